package org.jkeras.runtime.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.layers.Differentiable;
import org.jkeras.runtime.layers.Saved;
import org.jkeras.runtime.layers.TrainContext;

/**
 * {@link GradientCheck} for weightless layers with several inputs and outputs (merges; a recurrent layer with
 * initial states): with random upstream gradients r_o, the loss is L = Σ_o Σ r_o·y_o, and every input gradient
 * the layer returns must equal central finite differences of a float64 reference forward pass.
 */
final class MultiInputGradientCheck {
    /** The reference forward: inputs to outputs, all float64. */
    @FunctionalInterface
    interface RefForward {
        List<double[]> apply(List<double[]> inputs);
    }

    private static final double H = 1e-5;

    private MultiInputGradientCheck() {
    }

    static void check(String what, Differentiable layer, List<Tensor> inputs, RefForward ref) {
        Saved saved = new Saved();
        List<Tensor> ys = layer.forwardTrain(inputs, new float[0][], saved,
                new TrainContext(false, new SplittableRandom(1), null));
        List<double[]> xd = new ArrayList<>();
        for (Tensor t : inputs) {
            xd.add(Reference.d(t.data()));
        }
        List<double[]> yRef = ref.apply(xd);
        assertEquals(yRef.size(), ys.size(), what + ": number of outputs");
        SplittableRandom random = new SplittableRandom(what.hashCode());
        List<Tensor> rs = new ArrayList<>();
        List<double[]> rd = new ArrayList<>();
        for (int o = 0; o < ys.size(); o++) {
            Tensor y = ys.get(o);
            assertEquals(yRef.get(o).length, y.size(), what + ": reference output size");
            for (int i = 0; i < y.size(); i++) {
                double e = yRef.get(o)[i];
                if (Math.abs(e - y.data()[i]) > 1e-5 + 1e-5 * Math.abs(e)) {
                    fail(what + ": the float64 reference disagrees with the forward pass at output " + o + "[" + i
                            + "]: " + e + " vs " + y.data()[i]);
                }
            }
            float[] r = GradientCheck.random(random, y.size(), 1.0);
            rs.add(Tensor.wrap(r, y.shape()));
            rd.add(Reference.d(r));
        }
        boolean[] need = new boolean[inputs.size()];
        java.util.Arrays.fill(need, true);
        List<Tensor> dx = layer.backward(rs, new float[0][], new float[0][], saved, need);
        for (int j = 0; j < inputs.size(); j++) {
            double[] x = xd.get(j);
            for (int k = 0; k < x.length; k++) {
                double keep = x[k];
                x[k] = keep + H;
                double plus = loss(rd, ref.apply(xd));
                x[k] = keep - H;
                double minus = loss(rd, ref.apply(xd));
                x[k] = keep;
                GradientCheck.compare(what + " d input " + j + "[" + k + "]", (plus - minus) / (2 * H),
                        dx.get(j).data()[k]);
            }
        }
    }

    private static double loss(List<double[]> r, List<double[]> y) {
        double s = 0;
        for (int o = 0; o < r.size(); o++) {
            s += GradientCheck.dot(r.get(o), y.get(o));
        }
        return s;
    }
}
