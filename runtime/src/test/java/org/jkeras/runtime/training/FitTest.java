package org.jkeras.runtime.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.jkeras.runtime.tensor.InputMismatchException;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.graph.Graph;
import org.jkeras.runtime.graph.Port;
import org.jkeras.runtime.tensor.Activation;
import org.jkeras.runtime.layers.Dense;
import org.jkeras.runtime.layers.Lstm;
import org.jkeras.runtime.training.callback.EarlyStopping;
import org.jkeras.runtime.training.loss.MeanSquaredError;
import org.jkeras.runtime.training.loss.SparseCategoricalCrossentropy;
import org.jkeras.runtime.training.optimizer.Sgd;
import org.junit.jupiter.api.Test;

/**
 * The fit loop's mechanics (batching, history, validation split, callbacks, stopping, data checks) on a
 * small LSTM. The numbers of training itself are checked against Keras in keras-import's conformance tests.
 */
class FitTest {
    private static final int N = 20;
    private static final int T = 4;
    private static final int F = 2;

    private static Model model(boolean stateful, int batch) {
        SplittableRandom r = new SplittableRandom(3);
        Lstm lstm = new Lstm("lstm", 3, LayerGradientTest.t(r, F, 12), LayerGradientTest.t(r, 3, 12),
                LayerGradientTest.t(r, 12), Activation.TANH, Activation.SIGMOID, false, stateful);
        Dense dense = new Dense("dense", LayerGradientTest.t(r, 3, 1), LayerGradientTest.t(r, 1), Activation.LINEAR);
        Graph.Builder g = Graph.builder();
        Port x = g.input("x", Shape.of(stateful ? batch : Shape.UNKNOWN, T, F));
        return new Model(g.build(List.of(g.apply(dense, g.apply(lstm, x)))), Map.of());
    }

    private static Tensor x(int n) {
        return Tensor.of(GradientCheck.random(new SplittableRandom(5), n * T * F, 1.0), n, T, F);
    }

    private static Tensor y(int n) {
        return Tensor.of(GradientCheck.random(new SplittableRandom(6), n, 1.0), n, 1);
    }

    @Test
    void fitVisitsEveryBatchLogsOneEntryPerEpochAndLeavesTheSourceModelUnchanged() {
        Model m = model(false, 0);
        float[] before = m.predict(x(N)).toFloatArray();
        List<String> events = new ArrayList<>();
        FitResult r = Fit.of(m).data(x(N), y(N)).epochs(3).batchSize(8).optimizer(Sgd.builder().learningRate(0.1).build())
                .loss(new MeanSquaredError()).metrics("mae").callbacks(new Callback() {
                    @Override
                    public void onEpochBegin(int epoch, FitProgress fit) {
                        events.add("epoch " + epoch + " of " + fit.epochs() + ", " + fit.stepsPerEpoch() + " steps");
                    }

                    @Override
                    public void onBatchEnd(int epoch, int batch, Map<String, Double> logs, FitProgress fit) {
                        events.add("batch " + batch);
                    }
                }).run();
        assertEquals(List.of("epoch 0 of 3, 3 steps", "batch 0", "batch 1", "batch 2", "epoch 1 of 3, 3 steps", "batch 0",
                "batch 1", "batch 2", "epoch 2 of 3, 3 steps", "batch 0", "batch 1", "batch 2"), events);
        assertEquals(List.of("loss", "mae"), r.history().keys());
        assertEquals(3, r.history().get("loss").size());
        assertTrue(r.history().get("loss").get(2) < r.history().get("loss").get(0), "the loss goes down: " + r.history());
        assertArrayEquals(before, m.predict(x(N)).toFloatArray(), "the source model keeps serving unchanged");
        assertNotEquals(before[0], r.model().predict(x(N)).data()[0]);
        assertEquals(9, (int) r.optimizerState().get(0).data()[0], "iterations: 3 epochs x 3 steps");
        assertFalse(r.stoppedEarly());
    }

    @Test
    void validationSplitHoldsOutTheLastSamplesAndLogsValEntries() {
        AtomicInteger samples = new AtomicInteger();
        FitResult r = Fit.of(model(false, 0)).data(x(N), y(N)).epochs(2).batchSize(5).validationSplit(0.25)
                .optimizer(Sgd.builder().build()).loss(new MeanSquaredError()).metrics("mse")
                .callbacks(new Callback() {
                    @Override
                    public void onTrainBegin(FitProgress fit) {
                        samples.set(fit.samples());
                    }
                }).run();
        assertEquals(15, samples.get(), "floor(20 * 0.75) training samples");
        assertEquals(List.of("loss", "mse", "val_loss", "val_mse"), r.history().keys());
    }

    @Test
    void earlyStoppingStopsAfterPatienceAndRestoresTheBestWeights() {
        // learning rate 0: the loss never improves after epoch 0, so patience 1 stops at epoch 1
        EarlyStopping stop = new EarlyStopping("loss", 0, 1, EarlyStopping.Mode.AUTO, null, true, 0);
        Model m = model(false, 0);
        FitResult r = Fit.of(m).data(x(N), y(N)).epochs(10).batchSize(4).shuffle(false)
                .optimizer(Sgd.builder().learningRate(0.0).build()).loss(new MeanSquaredError()).callbacks(stop).run();
        assertEquals(2, r.history().epochs(), "no improvement at epoch 1 with patience 1: stop there");
        assertEquals(1, stop.stoppedEpoch());
        assertTrue(r.stoppedEarly());
    }

    @Test
    void aStopSignalFromAnotherThreadEndsTheFitAfterTheCurrentStep() {
        StopSignal signal = new StopSignal();
        FitResult r = Fit.of(model(false, 0)).data(x(N), y(N)).epochs(100).batchSize(4)
                .optimizer(Sgd.builder().build()).loss(new MeanSquaredError()).stopSignal(signal)
                .callbacks(new Callback() {
                    @Override
                    public void onBatchEnd(int epoch, int batch, Map<String, Double> logs, FitProgress fit) {
                        if (epoch == 1 && batch == 2) {
                            Thread t = new Thread(signal::stop);
                            t.start();
                            try {
                                t.join();
                            } catch (InterruptedException e) {
                                throw new AssertionError(e);
                            }
                        }
                    }
                }).run();
        assertEquals(2, r.history().epochs());
        assertTrue(r.stoppedEarly());
    }

    @Test
    void statefulLayersCarryStateAcrossBatchesAndNeedEqualBatches() {
        Model m = model(true, 4);
        FitResult r = Fit.of(m).data(x(N), y(N)).batchSize(4).shuffle(false).optimizer(Sgd.builder().build())
                .loss(new MeanSquaredError()).run();
        assertEquals(1, r.history().epochs());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Fit.of(m).data(x(18), y(18))
                .batchSize(4).optimizer(Sgd.builder().build()).loss(new MeanSquaredError()).run());
        assertEquals("the model has stateful layers, so every batch must have the same size: 18 training samples are"
                + " not a multiple of batch size 4", e.getMessage());
    }

    @Test
    void badDataFailsBeforeAnyStepWithTheExpectedAndActualShapes() {
        Model m = model(false, 0);
        Fit base = Fit.of(m).optimizer(Sgd.builder().build()).loss(new MeanSquaredError());
        InputMismatchException batch = assertThrows(InputMismatchException.class, () -> base.data(x(N), y(N - 1)).run());
        assertEquals("training data: target 0 has 19 samples but the data before it has 20: every input, target and"
                + " weight needs the same number of samples (axis 0)", batch.getMessage());
        InputMismatchException shape = assertThrows(InputMismatchException.class,
                () -> base.data(Tensor.zeros(N, T, 3), y(N)).run());
        assertEquals("training data: input 'x' expects shape (None, 4, 2), got (20, 4, 3)", shape.getMessage());
        float[] bad = y(N).toFloatArray();
        bad[7] = Float.NaN;
        InputMismatchException nan = assertThrows(InputMismatchException.class,
                () -> base.data(x(N), Tensor.of(bad, N, 1)).run());
        assertEquals("training data: target 0 holds NaN at position [7, 0]: training data must be finite",
                nan.getMessage());
        InputMismatchException target = assertThrows(InputMismatchException.class,
                () -> base.data(x(N), Tensor.zeros(N, 3)).run());
        assertTrue(target.getMessage().startsWith("training data: target 0 does not fit output 0 (None, 1) with loss"),
                target.getMessage());
        float[] labels = new float[N];
        labels[3] = 0.5f;
        InputMismatchException label = assertThrows(InputMismatchException.class, () -> Fit.of(m)
                .optimizer(Sgd.builder().build()).loss(new SparseCategoricalCrossentropy())
                .data(x(N), Tensor.of(labels, N)).run());
        assertTrue(label.getMessage().startsWith("training data: target 0 does not fit output 0 (None, 1) with loss"),
                label.getMessage());
        assertTrue(label.getMessage().contains("0.5"), label.getMessage());
        IllegalArgumentException noOpt = assertThrows(IllegalArgumentException.class,
                () -> Fit.of(m).data(x(N), y(N)).loss(new MeanSquaredError()).run());
        assertTrue(noOpt.getMessage().startsWith("no optimizer: the model file has no usable compiled optimizer"),
                noOpt.getMessage());
    }

    @Test
    void learningRateSchedulerSetsTheRateBeforeEachEpoch() {
        Model m = model(false, 0);
        List<Double> seen = new ArrayList<>();
        // epoch 0 at the optimizer's rate, then rate 0: weights stop changing after the first epoch
        org.jkeras.runtime.training.callback.LearningRateScheduler scheduler =
                new org.jkeras.runtime.training.callback.LearningRateScheduler((epoch, current) -> {
                    seen.add(current);
                    return epoch == 0 ? current : 0.0;
                });
        List<float[]> afterEpoch = new ArrayList<>();
        Fit.of(m).data(x(N), y(N)).epochs(3).batchSize(5).shuffle(false)
                .optimizer(Sgd.builder().learningRate(0.1).build()).loss(new MeanSquaredError())
                .callbacks(scheduler, new Callback() {
                    @Override
                    public void onEpochEnd(int epoch, Map<String, Double> logs, FitProgress fit) {
                        afterEpoch.add(fit.trainer().parameters().value("dense/kernel").toFloatArray());
                    }
                }).run();
        assertEquals(0.1, seen.get(0), 1e-7);
        assertEquals(0.0, seen.get(2), 0.0, "the rate the previous epoch's schedule set");
        assertFalse(java.util.Arrays.equals(afterEpoch.get(0), model(false, 0).layers().get(1).weights().get(0)
                .value().data()), "epoch 0 trained");
        assertArrayEquals(afterEpoch.get(0), afterEpoch.get(1), "rate 0 from epoch 1: no change");
        assertArrayEquals(afterEpoch.get(1), afterEpoch.get(2));
    }

    @Test
    void modelCheckpointHandsEverySnapshotOrOnlyImprovementsToTheSaver() {
        List<Integer> every = new ArrayList<>();
        List<Integer> best = new ArrayList<>();
        List<float[]> savedPredictions = new ArrayList<>();
        Tensor probe = x(2);
        FitResult r = Fit.of(model(false, 0)).data(x(N), y(N)).epochs(4).batchSize(5).shuffle(false)
                .optimizer(Sgd.builder().learningRate(0.05).build()).loss(new MeanSquaredError())
                .callbacks(new org.jkeras.runtime.training.callback.ModelCheckpoint((model, epoch) -> {
                    every.add(epoch);
                    savedPredictions.add(model.predict(probe).toFloatArray());
                }), new org.jkeras.runtime.training.callback.ModelCheckpoint((model, epoch) -> best.add(epoch), "loss",
                        true, false)).run();
        assertEquals(List.of(0, 1, 2, 3), every);
        List<Double> losses = r.history().get("loss");
        List<Integer> improving = new ArrayList<>();
        double bestSoFar = Double.POSITIVE_INFINITY;
        for (int e = 0; e < losses.size(); e++) {
            if (losses.get(e) < bestSoFar) {
                bestSoFar = losses.get(e);
                improving.add(e);
            }
        }
        assertEquals(improving, best, "saveBestOnly saves exactly the epochs that lowered the loss: " + losses);
        assertArrayEquals(r.model().predict(probe).toFloatArray(), savedPredictions.get(3),
                "the last snapshot is the returned model");
    }
}
