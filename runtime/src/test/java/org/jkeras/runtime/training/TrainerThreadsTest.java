package org.jkeras.runtime.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
import org.jkeras.runtime.layers.Bidirectional;
import org.jkeras.runtime.layers.Dense;
import org.jkeras.runtime.layers.Gru;
import org.jkeras.runtime.layers.Lstm;
import org.jkeras.runtime.training.loss.MeanSquaredError;
import org.jkeras.runtime.training.optimizer.Adam;
import org.junit.jupiter.api.Test;

/**
 * Training with several threads and with the layers' tapes recycled from step to step gives exactly the
 * single-thread, fresh-buffer results: the same losses, gradients and weights, bit for bit.
 */
class TrainerThreadsTest {
    private static final int STEPS = 12;
    private static final int IN = 5;

    /**
     * Bidirectional(LSTM(40), sequences) -> GRU(36) -> Dense(2): big enough that batches of 8 are split between
     * threads (the kernels keep tiny products on one thread).
     */
    private static Model model() {
        SplittableRandom r = new SplittableRandom(21);
        Lstm fwd = new Lstm("fwd", 40, LayerGradientTest.t(r, IN, 160), LayerGradientTest.t(r, 40, 160),
                LayerGradientTest.t(r, 160), Activation.TANH, Activation.SIGMOID, true, false, false);
        Lstm bwd = new Lstm("bwd", 40, LayerGradientTest.t(r, IN, 160), LayerGradientTest.t(r, 40, 160),
                LayerGradientTest.t(r, 160), Activation.TANH, Activation.SIGMOID, true, false, true);
        Gru gru = new Gru("gru", 36, LayerGradientTest.t(r, 80, 108), LayerGradientTest.t(r, 36, 108),
                LayerGradientTest.t(r, 2, 108), true, Activation.TANH, Activation.SIGMOID, false);
        Dense dense = new Dense("dense", LayerGradientTest.t(r, 36, 2), LayerGradientTest.t(r, 2), Activation.LINEAR);
        Graph.Builder g = Graph.builder();
        Port x = g.input("x", Shape.of(Shape.UNKNOWN, STEPS, IN));
        Port h = g.apply(new Bidirectional("bi", fwd, bwd, Bidirectional.Merge.CONCAT), x);
        return new Model(g.build(List.of(g.apply(dense, g.apply(gru, h)))), Map.of());
    }

    private static Trainer trainer(Model m, int threads) {
        return new Trainer(m, Adam.builder().learningRate(0.01).build(), List.of(new MeanSquaredError()), List.of(),
                Set.of(), Map.of(), Map.of(), null, 3).threads(threads);
    }

    private static List<Tensor> x(int seed, int batch) {
        return List.of(Tensor.of(GradientCheck.random(new SplittableRandom(seed), batch * STEPS * IN, 1.0), batch,
                STEPS, IN));
    }

    private static List<Tensor> y(int seed, int batch) {
        return List.of(Tensor.of(GradientCheck.random(new SplittableRandom(seed + 100), batch * 2, 1.0), batch, 2));
    }

    @Test
    void anyThreadCountAndInterleavedEvaluationGiveTheSameTrainingBitForBit() {
        Model m = model();
        Trainer one = trainer(m, 1);
        Trainer three = trainer(m, 3);
        Trainer evaluating = trainer(m, 2);
        int[] batches = {8, 8, 3, 8, 1, 5};
        for (int s = 0; s < batches.length; s++) {
            List<Tensor> x = x(s, batches[s]);
            List<Tensor> y = y(s, batches[s]);
            float a = one.trainOnBatch(x, y, null);
            float b = three.trainOnBatch(x, y, null);
            evaluating.testOnBatch(x(s + 50, batches[s]), y(s + 50, batches[s]), null); // a forward without backward
            float c = evaluating.trainOnBatch(x, y, null);
            assertEquals(a, b, 0f, "step " + s + ": 3 threads");
            assertEquals(a, c, 0f, "step " + s + ": 2 threads with evaluation in between");
        }
        for (Parameters.Trainable t : one.parameters().trainable()) {
            assertArrayEquals(t.value(), three.parameters().value(t.name()).toFloatArray(), t.name());
            assertArrayEquals(t.value(), evaluating.parameters().value(t.name()).toFloatArray(), t.name());
        }
    }

    @Test
    void recycledTapesGiveTheGradientsOfFreshOnes() {
        Trainer used = trainer(model(), 2);
        for (int s = 0; s < 3; s++) {
            used.trainOnBatch(x(s, 6), y(s, 6), null);
        }
        Trainer fresh = trainer(used.snapshot(), 1); // same weights, no tape of any earlier step
        used.computeGradients(x(9, 6), y(9, 6), null);
        fresh.computeGradients(x(9, 6), y(9, 6), null);
        for (Parameters.Trainable t : used.parameters().trainable()) {
            assertArrayEquals(fresh.gradient(t.name()).toFloatArray(), used.gradient(t.name()).toFloatArray(), t.name());
        }
    }

    @Test
    void aFitOnTwoThreadsHasTheHistoryAndWeightsOfOne() {
        Tensor x = x(77, 40).get(0);
        Tensor y = y(77, 40).get(0);
        FitResult one = Fit.of(model()).data(x, y).epochs(2).batchSize(8).optimizer(Adam.builder().build())
                .loss(new MeanSquaredError()).run();
        FitResult two = Fit.of(model()).data(x, y).epochs(2).batchSize(8).optimizer(Adam.builder().build())
                .loss(new MeanSquaredError()).threads(2).run();
        assertEquals(one.history().get("loss"), two.history().get("loss"));
        assertArrayEquals(one.model().predict(x).toFloatArray(), two.model().predict(x).toFloatArray());
    }

    @Test
    void threadsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> trainer(model(), 0));
        assertThrows(IllegalArgumentException.class, () -> Fit.of(model()).threads(0));
    }
}
