package org.jkeras.bench;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.Shape;
import org.jkeras.runtime.Tensor;
import org.jkeras.runtime.graph.Graph;
import org.jkeras.runtime.graph.Port;
import org.jkeras.runtime.Activation;
import org.jkeras.runtime.kernels.Kernels;
import org.jkeras.runtime.layers.Dense;
import org.jkeras.runtime.layers.Lstm;
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
 * One {@code Model.predict} call per operation, for the project's reference scenarios. Models
 * are built with random weights directly on the runtime API, so no file loading is timed.
 * <ul>
 *   <li>S1: batch 1, one step, 32 features, LSTM(128) — a single streaming step</li>
 *   <li>S2: batch 1, 50 steps, 8 features, LSTM(64, sequences) → LSTM(64) → Dense(1) — a small forecaster</li>
 *   <li>S3: batch 64, 100 steps, 64 features, LSTM(256) — batch throughput</li>
 *   <li>S4: as S3 with batch 1 — latency of a long sequence</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@State(Scope.Benchmark)
public class LstmBenchmark {
    /** The scenario, S1 to S4. */
    @Param({"S1", "S2", "S3", "S4"})
    public String scenario;

    /**
     * Threads passed to {@code Model.predict(inputs, threads)}: at batch 1 (S1, S2, S4) 2 splits each LSTM step
     * by gate columns across two cores; at batch 64 (S3) it splits the batch.
     */
    @Param({"1"})
    public int threads;

    private Model model;
    private List<Tensor> input;

    /** Builds the scenario's model and input. */
    @Setup
    public void setUp() {
        RandomWeights w = new RandomWeights(42);
        Graph.Builder g = Graph.builder();
        switch (scenario) {
            case "S1" -> {
                Port in = g.input("x", Shape.of(Shape.UNKNOWN, Shape.UNKNOWN, 32));
                model = model(g, g.apply(lstm(w, "lstm", 32, 128, false), in));
                input = List.of(w.uniform(1, 1, 1, 32));
            }
            case "S2" -> {
                Port in = g.input("x", Shape.of(Shape.UNKNOWN, Shape.UNKNOWN, 8));
                Port h1 = g.apply(lstm(w, "lstm_1", 8, 64, true), in);
                Port h2 = g.apply(lstm(w, "lstm_2", 64, 64, false), h1);
                Port y = g.apply(new Dense("dense", w.glorot(64, 1), w.uniform(0.1, 1), Activation.LINEAR), h2);
                model = model(g, y);
                input = List.of(w.uniform(1, 1, 50, 8));
            }
            case "S3", "S4" -> {
                Port in = g.input("x", Shape.of(Shape.UNKNOWN, Shape.UNKNOWN, 64));
                model = model(g, g.apply(lstm(w, "lstm", 64, 256, false), in));
                input = List.of(w.uniform(1, "S3".equals(scenario) ? 64 : 1, 100, 64));
            }
            default -> throw new IllegalArgumentException("unknown scenario " + scenario + ", expected S1..S4");
        }
        if (!Kernels.vectorized()) {
            System.err.println("WARNING: scalar kernels in use (run the fork with --add-modules=jdk.incubator.vector)");
        }
    }

    /** One prediction. */
    @Benchmark
    public Tensor predict() {
        return model.predict(input, threads).get(0);
    }

    private static Lstm lstm(RandomWeights w, String name, int in, int units, boolean sequences) {
        return new Lstm(name, units, w.glorot(in, 4 * units), w.glorot(units, 4 * units), w.uniform(0.1, 4 * units),
                Activation.TANH, Activation.SIGMOID, sequences);
    }

    private static Model model(Graph.Builder g, Port output) {
        return new Model(g.build(List.of(output)), Map.of("source", "LstmBenchmark"));
    }
}
