package org.jkeras.runtime.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.graph.Graph;
import org.jkeras.runtime.graph.Port;
import org.jkeras.runtime.tensor.Activation;
import org.jkeras.runtime.layers.Dense;
import org.jkeras.runtime.layers.Lstm;
import org.jkeras.runtime.layers.TrainContext;
import org.junit.jupiter.api.Test;

/** The tape: node order, gradients summed over shared layers and fanned-out ports, frozen weights, snapshots. */
class TapeTest {
    private static final int BATCH = 2;
    private static final int STEPS = 3;
    private static final int IN = 3;
    private static final int U = 4;

    /**
     * x -> lstm -> h; shared Dense s applied twice (h -> s -> a -> s -> b); outputs [a·dense2, b]:
     * s's gradient sums both uses, h's port feeds one node, a's port feeds two.
     */
    private static Model sharedModel(SplittableRandom r) {
        Lstm lstm = new Lstm("lstm", U, LayerGradientTest.t(r, IN, 4 * U), LayerGradientTest.t(r, U, 4 * U),
                LayerGradientTest.t(r, 4 * U), Activation.TANH, Activation.SIGMOID, false);
        Dense shared = new Dense("shared", LayerGradientTest.t(r, U, U), LayerGradientTest.t(r, U), Activation.TANH);
        Dense head = new Dense("head", LayerGradientTest.t(r, U, 2), LayerGradientTest.t(r, 2), Activation.LINEAR);
        Graph.Builder g = Graph.builder();
        Port x = g.input("x", Shape.of(Shape.UNKNOWN, STEPS, IN));
        Port h = g.apply(lstm, x);
        Port a = g.apply(shared, h);
        Port b = g.apply(shared, a);
        Port y = g.apply(head, a);
        return new Model(g.build(List.of(y, b)), Map.of());
    }

    private static double[][] refOutputs(double[][] lstm, double[][] shared, double[][] head, double[] x) {
        double[] h = Reference.recurrent(Reference.Cell.LSTM, x, BATCH, STEPS, IN, U, lstm[0], lstm[1], lstm[2], "tanh",
                "sigmoid", false, false, null, null);
        double[] a = Reference.dense(h, BATCH, U, shared[0], shared[1], U, "tanh");
        double[] b = Reference.dense(a, BATCH, U, shared[0], shared[1], U, "tanh");
        double[] y = Reference.dense(a, BATCH, U, head[0], head[1], 2, "linear");
        return new double[][] {y, b};
    }

    @Test
    void gradientsOfASharedLayerAndAFannedOutPortMatchFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(31);
        Model model = sharedModel(r);
        Parameters params = new Parameters(model, Set.of());
        Tape tape = new Tape(model.graph(), params);
        float[] x = GradientCheck.random(r, BATCH * STEPS * IN, 1.0);
        List<Tensor> out = tape.forward(List.of(Tensor.of(x, BATCH, STEPS, IN)), TrainContext.training(r), null);
        float[] ry = GradientCheck.random(r, BATCH * 2, 1.0);
        float[] rb = GradientCheck.random(r, BATCH * U, 1.0);
        tape.backward(List.of(Tensor.of(ry, BATCH, 2), Tensor.of(rb, BATCH, U)));

        List<Parameters.Trainable> ws = params.trainable();
        assertEquals(List.of("lstm/kernel", "lstm/recurrent_kernel", "lstm/bias", "shared/kernel", "shared/bias",
                "head/kernel", "head/bias"), ws.stream().map(Parameters.Trainable::name).toList());
        double[][] v = new double[ws.size()][];
        for (int i = 0; i < v.length; i++) {
            v[i] = Reference.d(ws.get(i).value());
        }
        double[][] ref = refOutputs(new double[][] {v[0], v[1], v[2]}, new double[][] {v[3], v[4]},
                new double[][] {v[5], v[6]}, Reference.d(x));
        for (int i = 0; i < ref[0].length; i++) {
            assertEquals(ref[0][i], out.get(0).data()[i], 1e-5);
        }
        double h = 1e-5;
        for (int i = 0; i < v.length; i++) {
            for (int k = 0; k < v[i].length; k++) {
                double keep = v[i][k];
                v[i][k] = keep + h;
                double plus = loss(v, x, ry, rb);
                v[i][k] = keep - h;
                double minus = loss(v, x, ry, rb);
                v[i][k] = keep;
                GradientCheck.compare(ws.get(i).name() + "[" + k + "]", (plus - minus) / (2 * h), ws.get(i).grad()[k]);
            }
        }
    }

    private static double loss(double[][] v, float[] x, float[] ry, float[] rb) {
        double[][] o = refOutputs(new double[][] {v[0], v[1], v[2]}, new double[][] {v[3], v[4]},
                new double[][] {v[5], v[6]}, Reference.d(x));
        return GradientCheck.dot(Reference.d(ry), o[0]) + GradientCheck.dot(Reference.d(rb), o[1]);
    }

    @Test
    void frozenWeightsGetNoTrainableEntryAndNothingFlowsBackBeforeTheFirstTrainableLayer() {
        SplittableRandom r = new SplittableRandom(32);
        Model model = sharedModel(r);
        Parameters params = new Parameters(model, Set.of("lstm", "shared/bias"));
        assertEquals(List.of("shared/kernel", "head/kernel", "head/bias"),
                params.trainable().stream().map(Parameters.Trainable::name).toList());
        Parameters all = new Parameters(model, Set.of("lstm", "shared", "head"));
        assertEquals(List.of(), all.trainable());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Parameters(model, Set.of("dense_9")));
        assertEquals("frozen weights or layers [dense_9] are not in the model", e.getMessage());
    }

    @Test
    void snapshotHasTheNewWeightsKeepsSharingAndLeavesTheSourceModelUnchanged() {
        SplittableRandom r = new SplittableRandom(33);
        Model model = sharedModel(r);
        Tensor x = Tensor.of(GradientCheck.random(r, BATCH * STEPS * IN, 1.0), BATCH, STEPS, IN);
        List<Tensor> before = model.predict(List.of(x));
        Parameters params = new Parameters(model, Set.of());
        for (Parameters.Trainable t : params.trainable()) {
            for (int i = 0; i < t.value().length; i++) {
                t.value()[i] *= 0.5f;
            }
        }
        Model trained = params.snapshot(model);
        assertEquals(model.layers().size(), trained.layers().size(), "the shared layer stays one layer");
        assertArrayEquals(before.get(0).data(), model.predict(List.of(x)).get(0).data(), "source model unchanged");
        Parameters reread = new Parameters(trained, Set.of());
        for (int i = 0; i < params.trainable().size(); i++) {
            assertArrayEquals(params.trainable().get(i).value(), reread.trainable().get(i).value());
        }
        // the snapshot's inference path (packed kernels) agrees with the tape's training forward on the same weights
        List<Tensor> viaTape = new Tape(trained.graph(), reread).forward(List.of(x), new TrainContext(false, r, null),
                null);
        List<Tensor> viaPredict = trained.predict(List.of(x));
        for (int o = 0; o < 2; o++) {
            float[] a = viaTape.get(o).data();
            float[] b = viaPredict.get(o).data();
            for (int i = 0; i < a.length; i++) {
                assertEquals(b[i], a[i], 1e-6, "output " + o + " at " + i + " of " + Arrays.toString(a));
            }
        }
    }
}
