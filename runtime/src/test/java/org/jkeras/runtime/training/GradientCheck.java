package org.jkeras.runtime.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.SplittableRandom;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.layers.Saved;
import org.jkeras.runtime.layers.SingleInputLayer;
import org.jkeras.runtime.layers.TrainContext;
import org.jkeras.runtime.layers.Weight;

/**
 * Checks a layer's backward pass against central finite differences of a float64 reference forward
 * pass: with a random upstream gradient r, the loss is L = Σ r·y, and every weight and input gradient the
 * layer returns must equal (L(v + h) - L(v - h)) / 2h for h = 1e-5, evaluated in double.
 */
final class GradientCheck {
    /** The reference forward: weights (in {@code weights()} order) and input to output, all float64. */
    @FunctionalInterface
    interface RefForward {
        double[] apply(double[][] weights, double[] x);
    }

    private static final double H = 1e-5;
    private static final double ATOL = 2e-5;
    private static final double RTOL = 1e-3;

    private GradientCheck() {
    }

    /**
     * Runs the check.
     *
     * @param x          the input, shaped {@code xShape}
     * @param inputGrads whether to check the input gradient too (false for integer inputs)
     */
    static void check(String what, SingleInputLayer layer, float[] x, int[] xShape, RefForward ref,
                      boolean inputGrads) {
        check(what, layer, x, xShape, saved -> ref, inputGrads, new TrainContext(false, new SplittableRandom(1), null));
    }

    /**
     * The check in training mode ({@code ctx}), with a reference made from what the forward pass saved
     * (e.g. the dropout masks it drew, so the reference applies the same ones).
     */
    static void check(String what, SingleInputLayer layer, float[] x, int[] xShape,
                      java.util.function.Function<Saved, RefForward> refFromSaved, boolean inputGrads,
                      TrainContext ctx) {
        List<Weight> ws = layer.weights();
        float[][] w = new float[ws.size()][];
        float[][] g = new float[ws.size()][];
        double[][] wd = new double[ws.size()][];
        for (int i = 0; i < w.length; i++) {
            w[i] = ws.get(i).value().toFloatArray();
            g[i] = new float[w[i].length];
            wd[i] = Reference.d(w[i]);
        }
        Saved saved = new Saved();
        Tensor y = layer.applyTrain(Tensor.of(x, xShape), w, saved, ctx);
        RefForward ref = refFromSaved.apply(saved);
        double[] yRef = ref.apply(wd, Reference.d(x));
        assertEquals(yRef.length, y.size(), what + ": reference output size");
        for (int i = 0; i < yRef.length; i++) {
            if (Math.abs(yRef[i] - y.data()[i]) > 1e-5 + 1e-5 * Math.abs(yRef[i])) {
                fail(what + ": the float64 reference disagrees with the layer's forward pass at " + i + ": "
                        + yRef[i] + " vs " + y.data()[i]);
            }
        }
        SplittableRandom random = new SplittableRandom(what.hashCode());
        float[] r = new float[y.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) (random.nextDouble() * 2 - 1);
        }
        Tensor dx = layer.backpropagate(Tensor.of(r, y.shape()), w, g, saved, inputGrads);
        double[] rd = Reference.d(r);
        for (int i = 0; i < w.length; i++) {
            for (int k = 0; k < w[i].length; k++) {
                double keep = wd[i][k];
                wd[i][k] = keep + H;
                double plus = dot(rd, ref.apply(wd, Reference.d(x)));
                wd[i][k] = keep - H;
                double minus = dot(rd, ref.apply(wd, Reference.d(x)));
                wd[i][k] = keep;
                compare(what + " d" + ws.get(i).name() + "[" + k + "]", (plus - minus) / (2 * H), g[i][k]);
            }
        }
        if (inputGrads) {
            double[] xd = Reference.d(x);
            for (int k = 0; k < x.length; k++) {
                double keep = xd[k];
                xd[k] = keep + H;
                double plus = dot(rd, ref.apply(wd, xd));
                xd[k] = keep - H;
                double minus = dot(rd, ref.apply(wd, xd));
                xd[k] = keep;
                compare(what + " dx[" + k + "]", (plus - minus) / (2 * H), dx.data()[k]);
            }
        }
    }

    static void compare(String what, double expected, float actual) {
        if (!(Math.abs(expected - actual) <= ATOL + RTOL * Math.abs(expected))) {
            fail(what + ": backward gives " + actual + ", finite differences " + expected);
        }
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** n values uniform in [-scale, scale). */
    static float[] random(SplittableRandom random, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
        }
        return a;
    }
}
