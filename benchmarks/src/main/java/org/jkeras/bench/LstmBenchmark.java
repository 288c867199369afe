package org.jkeras.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.kernels.Kernels;
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
 * One {@code Model.predict} call per operation, for the project's reference scenarios ({@link Scenarios}).
 * Models are built with random weights directly on the runtime API, so no file loading is timed.
 * <ul>
 *   <li>S1: batch 1, one step, 32 features, LSTM(128) — a single streaming step</li>
 *   <li>S2: batch 1, 50 steps, 8 features, LSTM(64, sequences) → LSTM(64) → Dense(1) — a small forecaster</li>
 *   <li>S3: batch 64, 100 steps, 64 features, LSTM(256) — batch throughput</li>
 *   <li>S4: as S3 with batch 1 — latency of a long sequence</li>
 *   <li>G2 (not in the default list; {@code -p scenario=G2}): S2 with GRU(64), reset_after=True</li>
 *   <li>G3, G4 (not in the default list; {@code -p scenario=G3,G4}): S3 and S4 with GRU(256), reset_after=True</li>
 *   <li>B4, R4 (not in the default list): batch 1, T=100, in 64, Bidirectional(LSTM(128)); SimpleRNN(256)</li>
 *   <li>L4 (not in the default list): S4 with LSTM(512), a recurrent kernel larger than a core's L2</li>
 * </ul>
 * {@code -p kernels=float32,bfloat16} compares the bfloat16 kernels ({@code Model.withBfloat16Kernels()}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@State(Scope.Benchmark)
public class LstmBenchmark {
    /** The scenario, S1 to S4, G3 / G4 (their GRU versions), B4 (Bidirectional) or R4 (SimpleRNN). */
    @Param({"S1", "S2", "S3", "S4"})
    public String scenario;

    /**
     * Threads passed to {@code Model.predict(inputs, threads)}: at batch 1 (S1, S2, S4) 2 splits each LSTM step
     * by gate columns across two cores; at batch 64 (S3) it splits the batch.
     */
    @Param({"1"})
    public int threads;

    /** The kernels' precision: {@code float32} (the model as built) or {@code bfloat16}. */
    @Param({"float32"})
    public String kernels;

    private Model model;
    private List<Tensor> input;

    /** Builds the scenario's model and input. */
    @Setup
    public void setUp() {
        Scenarios.Scenario s = prepare(scenario, kernels);
        model = s.model();
        input = List.of(s.input());
    }

    /** The scenario with its kernels in that precision; warns when the scalar kernels would be timed. */
    static Scenarios.Scenario prepare(String scenario, String kernels) {
        if (!Kernels.vectorized()) {
            System.err.println("WARNING: scalar kernels in use (run the fork with --add-modules=jdk.incubator.vector)");
        }
        return Scenarios.build(scenario).withKernels(kernels);
    }

    /** One prediction. */
    @Benchmark
    public Tensor predict() {
        return model.predict(input, threads).get(0);
    }
}
