package org.jkeras.bench.peers;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jkeras.bench.Scenarios;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * ONNX Runtime (Java API) on the scenarios S1-S4 with the weights of {@link Scenarios}, one
 * {@code session.run} per operation; {@code threads} is ORT's intra-op thread count (inter-op 1, sequential
 * execution, all graph optimizations). The setup checks ORT's output against jkeras's before anything is timed.
 * Built only with {@code -Ppeers}; run it in the same JMH invocation as {@link org.jkeras.bench.LstmBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@State(Scope.Benchmark)
public class OrtLstmBenchmark {
    /** The scenario: S1 .. S4, G2, G3, G4, B4, R4, L4. */
    @Param({"S1", "S2", "S3", "S4", "G2", "G3", "G4", "B4", "R4", "L4"})
    public String scenario;

    /** ORT's intra-op threads. */
    @Param({"1"})
    public int threads;

    private OrtEnvironment env;
    private OrtSession session;
    private OnnxTensor input;
    private Map<String, OnnxTensor> feed;

    /** Builds the ONNX model from the scenario's weights, opens the session, checks the output. */
    @Setup
    public void setUp() throws OrtException {
        Scenarios.Scenario s = Scenarios.build(scenario);
        Tensor x = s.input();
        int batch = x.dim(0);
        int steps = x.dim(1);
        int features = x.dim(2);
        byte[] onnx = OnnxLstmModel.of(s.model(), steps, batch, features);
        env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(threads);
        options.setInterOpNumThreads(1);
        options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        session = env.createSession(onnx, options);
        input = OnnxTensor.createTensor(env, FloatBuffer.wrap(OnnxLstmModel.input(x)), new long[] {steps, batch, features});
        feed = Map.of("x", input);
        float[] expected = s.model().predict(x).data();
        float[] got = run();
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(got[i] - expected[i]) / (1e-5 + Math.abs(expected[i])));
        }
        if (got.length != expected.length || worst > 1e-2) {
            throw new IllegalStateException("ONNX Runtime's output differs from jkeras's on " + scenario
                    + ": worst relative error " + worst);
        }
        System.err.printf("%s: ONNX Runtime %s agrees with jkeras (%d outputs, worst |d|/(1e-5+|y|) %.2e)%n",
                scenario, env.getVersion(), expected.length, worst);
    }

    private float[] run() throws OrtException {
        try (OrtSession.Result r = session.run(feed)) {
            OnnxTensor y = (OnnxTensor) r.get(0);
            FloatBuffer b = y.getFloatBuffer();
            float[] out = new float[b.remaining()];
            b.get(out);
            return out;
        }
    }

    /** One inference; the result is closed inside (as a service would). */
    @Benchmark
    public float predict() throws OrtException {
        try (OrtSession.Result r = session.run(feed)) {
            return ((OnnxTensor) r.get(0)).getFloatBuffer().get(0);
        }
    }

    /** Releases the native session. */
    @TearDown
    public void tearDown() throws OrtException {
        input.close();
        session.close();
    }
}
