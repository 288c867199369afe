package org.jkeras.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.session.Session;
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
 * The serving forms side by side on the scenarios' models: {@code predict} (fresh output tensors),
 * {@code predictInto} (the caller's output, reused buffers) and one streaming step of a session into the caller's
 * output. Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is the bytes allocated per call, on every thread
 * (the step team's helpers included).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@State(Scope.Benchmark)
public class ServingBenchmark {
    /** The scenario whose model and input are served (see {@link Scenarios}). */
    @Param({"S1", "S2", "S4"})
    public String scenario;

    /** Threads passed to the calls: 2 splits each recurrent step of a batch of one across two cores. */
    @Param({"1"})
    public int threads;

    private Model model;
    private List<Tensor> input;
    private List<Tensor> output;
    private Session session;
    private List<Tensor> step;
    private List<Tensor> stepOutput;

    /** Builds the scenario, its output buffer, and a streaming session fed one time step per call. */
    @Setup
    public void setUp() {
        Scenarios.Scenario s = Scenarios.build(scenario);
        model = s.model();
        input = List.of(s.input());
        output = List.of(Tensor.zeros(model.predict(input).get(0).shape()));
        Tensor x = s.input();
        Tensor first = Tensor.zeros(x.dim(0), 1, x.dim(2));
        System.arraycopy(x.data(), 0, first.data(), 0, first.size()); // batch 1: the sequence's first step
        step = List.of(first);
        session = Session.streaming(model);
        stepOutput = List.of(Tensor.zeros(session.predict(first).shape()));
    }

    /** {@code Model.predict}: new output tensors every call. */
    @Benchmark
    public Tensor predict() {
        return model.predict(input, threads).get(0);
    }

    /** {@code Model.predictInto}: the same values into the caller's reused tensor. */
    @Benchmark
    public Tensor predictInto() {
        model.predictInto(input, output, threads);
        return output.get(0);
    }

    /** One time step of a streaming session into the caller's reused tensor, the state carried on. */
    @Benchmark
    public Tensor streamStep() {
        session.predictInto(step, stepOutput, threads);
        return stepOutput.get(0);
    }
}
