package org.jkeras.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Tensor;
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
 * {@link LstmBenchmark} with the bfloat16 kernels ({@code Model.withBfloat16Kernels()}) on the batch-1 scenarios
 * that {@code benchmarks/peers/results.sh} reports them for. A parameter name of its own ({@code bf16Scenario}), so
 * that one JMH run passes it other scenarios than the float32 benchmarks' {@code scenario}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@State(Scope.Benchmark)
public class LstmBf16Benchmark {
    /** The scenario ({@link Scenarios}): S4 and L4 by default. */
    @Param({"S4", "L4"})
    public String bf16Scenario;

    /** Threads passed to {@code Model.predict(inputs, threads)}. */
    @Param({"1"})
    public int threads;

    private Model model;
    private List<Tensor> input;

    /** Builds the scenario's model with its kernels rounded, and its input. */
    @Setup
    public void setUp() {
        Scenarios.Scenario s = LstmBenchmark.prepare(bf16Scenario, "bfloat16");
        model = s.model();
        input = List.of(s.input());
    }

    /** One prediction. */
    @Benchmark
    public Tensor predict() {
        return model.predict(input, threads).get(0);
    }
}
