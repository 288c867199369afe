package org.jkeras.bench.peers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.jkeras.bench.Scenarios;
import org.jkeras.keras.KerasModels;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
 * DL4J 1.0.0-M2.1 (nd4j-native) on the scenarios S1-S4, importing the tf.keras 2 {@code .h5} files that
 * {@code benchmarks/peers/scenario_h5.py} writes (DL4J reads no Keras 3 file), one {@code net.output} per operation.
 * The directory comes from {@code -Djkeras.peers.h5=DIR} (default {@code benchmarks/target/peers}); S3 is S4's file
 * at batch 64. The setup loads the same file in jkeras and checks DL4J's output against jkeras's before anything is
 * timed, so the two compute the same function on the same weights. {@code threads} is nd4j's thread limit
 * ({@code Environment.setMaxThreads}). Built only with {@code -Ppeers}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@State(Scope.Benchmark)
public class Dl4jLstmBenchmark {
    /**
     * The scenario: S1 .. S4 (a parameter name of its own, so that one JMH run can pass the GRU scenarios, which
     * DL4J's Keras import does not read (it has LSTM and SimpleRNN, no GRU), to the other engines).
     */
    @Param({"S1", "S2", "S3", "S4"})
    public String dl4jScenario;

    /** nd4j's thread limit. */
    @Param({"1"})
    public int threads;

    private MultiLayerNetwork net;
    private INDArray input;

    /** Imports the scenario's file in DL4J and in jkeras and checks that they agree. */
    @Setup
    public void setUp() throws Exception {
        Path dir = Path.of(System.getProperty("jkeras.peers.h5", "benchmarks/target/peers"));
        Path file = dir.resolve(("S3".equals(dl4jScenario) ? "S4" : dl4jScenario) + ".h5");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("missing " + file.toAbsolutePath() + ": write it with"
                    + " benchmarks/peers/scenario_h5.py (or run benchmarks/peers/results.sh)");
        }
        Nd4j.getEnvironment().setMaxThreads(threads);
        net = KerasModelImport.importKerasSequentialModelAndWeights(file.toString(), false);
        Tensor x = Scenarios.build(dl4jScenario).input(); // [batch, steps, features]: the layout DL4J's Keras import keeps
        input = Nd4j.create(x.data(), new long[] {x.dim(0), x.dim(1), x.dim(2)}, DataType.FLOAT);
        Model jkeras = KerasModels.load(file);
        float[] expected = jkeras.predict(x).data();
        float[] got = net.output(input).castTo(DataType.FLOAT).dup('c').data().asFloat(); // row-major, not a view's order
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(got[i] - expected[i]) / (1e-5 + Math.abs(expected[i])));
        }
        if (got.length != expected.length || worst > 1e-2) {
            throw new IllegalStateException("DL4J's output differs from jkeras's on " + dl4jScenario + " (" + file
                    + "): " + got.length + " vs " + expected.length + " values, worst relative error " + worst);
        }
        System.err.printf("%s: DL4J agrees with jkeras on %s (%d outputs, worst |d|/(1e-5+|y|) %.2e)%n",
                dl4jScenario, file.getFileName(), expected.length, worst);
    }

    /** One inference. */
    @Benchmark
    public INDArray predict() {
        return net.output(input);
    }
}
