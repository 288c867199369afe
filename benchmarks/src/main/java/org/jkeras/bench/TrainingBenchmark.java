package org.jkeras.bench;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.graph.Graph;
import org.jkeras.runtime.graph.Port;
import org.jkeras.runtime.tensor.Activation;
import org.jkeras.runtime.kernels.Kernels;
import org.jkeras.runtime.layers.Dense;
import org.jkeras.runtime.layers.Gru;
import org.jkeras.runtime.layers.Lstm;
import org.jkeras.runtime.training.Trainer;
import org.jkeras.runtime.training.loss.MeanSquaredError;
import org.jkeras.runtime.training.optimizer.Adam;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training step ({@link Trainer#trainOnBatch}: training forward, MSE loss, backpropagation through
 * time, one Adam update) per operation, and its phases, on the reference training shapes. Models are built
 * with random weights on the runtime API, as in {@link LstmBenchmark}; the peer is
 * {@code benchmarks/peers/tf_train_step.py} (Keras 3 {@code train_on_batch} on the same shapes).
 * <ul>
 *   <li>{@code S2_b32}: batch 32, 50 steps, 8 features, LSTM(64, sequences) → LSTM(64) → Dense(1)</li>
 *   <li>{@code S2_b1}: the same model at batch 1</li>
 *   <li>{@code S3_lstm}: batch 64, 100 steps, 64 features, LSTM(256) → Dense(1)</li>
 *   <li>{@code S3_gru}: as S3 with GRU(256) (Keras 3's default {@code reset_after=True})</li>
 * </ul>
 * Phases: {@link #trainStep} is the whole step; {@link #forward} is the training-mode forward pass and the
 * loss ({@link Trainer#testOnBatch}: the same tape-recording kernels, no dropout in these models);
 * {@link #gradients} adds the backward pass ({@link Trainer#computeGradients}). So
 * backward ≈ gradients − forward and update ≈ trainStep − gradients.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@State(Scope.Benchmark)
public class TrainingBenchmark {
    /** The shape: S2_b32, S2_b1, S3_lstm or S3_gru. */
    @Param({"S2_b32", "S2_b1", "S3_lstm", "S3_gru"})
    public String scenario;

    /** Threads of the training kernels ({@link Trainer#threads(int)}); results are identical for any count. */
    @Param({"1"})
    public int threads;

    private Trainer trainer;
    private List<Tensor> x;
    private List<Tensor> y;

    /** Builds the scenario's model, data and trainer (Adam with Keras's defaults, MSE). */
    @Setup
    public void setUp() {
        RandomWeights w = new RandomWeights(42);
        Graph.Builder g = Graph.builder();
        int batch;
        Port out;
        switch (scenario) {
            case "S2_b32", "S2_b1" -> {
                batch = "S2_b32".equals(scenario) ? 32 : 1;
                Port in = g.input("x", Shape.of(Shape.UNKNOWN, Shape.UNKNOWN, 8));
                Port h1 = g.apply(lstm(w, "lstm_1", 8, 64, true), in);
                Port h2 = g.apply(lstm(w, "lstm_2", 64, 64, false), h1);
                out = g.apply(dense(w, 64), h2);
                x = List.of(w.uniform(1, batch, 50, 8));
            }
            case "S3_lstm", "S3_gru" -> {
                batch = 64;
                Port in = g.input("x", Shape.of(Shape.UNKNOWN, Shape.UNKNOWN, 64));
                Port h = "S3_lstm".equals(scenario) ? g.apply(lstm(w, "lstm", 64, 256, false), in)
                        : g.apply(new Gru("gru", 256, w.glorot(64, 768), w.glorot(256, 768), w.uniform(0.1, 2, 768),
                                true, Activation.TANH, Activation.SIGMOID, false), in);
                out = g.apply(dense(w, 256), h);
                x = List.of(w.uniform(1, batch, 100, 64));
            }
            default -> throw new IllegalArgumentException("unknown scenario " + scenario
                    + ", expected S2_b32, S2_b1, S3_lstm or S3_gru");
        }
        y = List.of(w.uniform(1, batch, 1));
        Model model = new Model(g.build(List.of(out)), Map.of("source", "TrainingBenchmark"));
        trainer = new Trainer(model, Adam.builder().build(), List.of(new MeanSquaredError()), List.of(), Set.of(),
                Map.of(), Map.of(), null, 1).threads(threads);
        if (!Kernels.vectorized()) {
            System.err.println("WARNING: scalar kernels in use (run the fork with --add-modules=jdk.incubator.vector)");
        }
    }

    /** One training step: forward, loss, backward, Adam update. */
    @Benchmark
    public float trainStep() {
        return trainer.trainOnBatch(x, y, null);
    }

    /** The training forward pass and the loss, no backward, no update. */
    @Benchmark
    public float forward() {
        return trainer.testOnBatch(x, y, null);
    }

    /** Forward, loss and backward (the gradients), no update. */
    @Benchmark
    public float gradients() {
        return trainer.computeGradients(x, y, null);
    }

    private static Lstm lstm(RandomWeights w, String name, int in, int units, boolean sequences) {
        return new Lstm(name, units, w.glorot(in, 4 * units), w.glorot(units, 4 * units), w.uniform(0.1, 4 * units),
                Activation.TANH, Activation.SIGMOID, sequences);
    }

    private static Dense dense(RandomWeights w, int in) {
        return new Dense("dense", w.glorot(in, 1), w.uniform(0.1, 1), Activation.LINEAR);
    }
}
