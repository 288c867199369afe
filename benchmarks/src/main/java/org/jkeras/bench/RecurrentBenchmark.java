package org.jkeras.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jkeras.runtime.tensor.Activation;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.graph.Graph;
import org.jkeras.runtime.graph.Port;
import org.jkeras.runtime.kernels.GruKernel;
import org.jkeras.runtime.kernels.Kernels;
import org.jkeras.runtime.kernels.SimpleRnnKernel;
import org.jkeras.runtime.layers.Gru;
import org.jkeras.runtime.layers.SimpleRnn;
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
 * GRU and SimpleRNN on the S3/S4 shapes of {@link LstmBenchmark} (64 features, 100 steps, 256 units, last step
 * out), one call per operation, the new packed kernels against the code the layers ran before them in the same
 * JVM:
 * <ul>
 *   <li>{@code kernel=packed}: {@code Model.predict}, i.e. the layer on {@code VectorGru} / {@code VectorSimpleRnn}
 *       (with {@code -Djkeras.kernels=scalar} the layer falls back to the scalar kernels);</li>
 *   <li>{@code kernel=reference}: {@code GruKernel} / {@code SimpleRnnKernel} called directly on the same weights
 *       and input, exactly what {@code Gru.runCell} / {@code SimpleRnn.runCell} ran before the packed kernels
 *       (their GEMMs on {@code Kernels.gemm()}, the unpacked Vector API GEMM).</li>
 * </ul>
 * Scenarios: G3 batch 64 GRU(256) reset_after=True (Keras 3's default), G4 the same at batch 1, G3b / G4b
 * reset_after=False, R3 / R4 SimpleRNN(256) (tanh) at batch 64 / 1.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@State(Scope.Benchmark)
public class RecurrentBenchmark {
    private static final int IN = 64;
    private static final int UNITS = 256;
    private static final int STEPS = 100;

    /** G3, G4, G3b, G4b (GRU) or R3, R4 (SimpleRNN). */
    @Param({"G3", "G4", "G3b", "G4b", "R3", "R4"})
    public String scenario;

    /** {@code packed}: the layer as it runs now; {@code reference}: the scalar-reference kernel it ran before. */
    @Param({"packed", "reference"})
    public String kernel;

    private Model model;
    private Tensor input;
    private int batch;
    private boolean gru;
    private boolean resetAfter;
    private float[] w;
    private float[] u;
    private float[] b;
    private float[] inputBias;     // reset_after: the halves of b
    private float[] recurrentBias;
    private float[] recurrentZr;   // reset_before: U split into its [z r] and h columns, as the old Gru did once
    private float[] recurrentH;

    /** Builds the scenario's model, input and, for the reference kernel, its Keras-layout weights. */
    @Setup
    public void setUp() {
        gru = scenario.startsWith("G");
        resetAfter = !scenario.endsWith("b");
        batch = scenario.startsWith("3", 1) ? 64 : 1;
        if (!gru && !scenario.matches("R[34]") || gru && !scenario.matches("G[34]b?")) {
            throw new IllegalArgumentException("unknown scenario " + scenario + ", expected G3, G4, G3b, G4b, R3, R4");
        }
        RandomWeights rw = new RandomWeights(42);
        int cols = gru ? 3 * UNITS : UNITS;
        Tensor kernelT = rw.glorot(IN, cols);
        Tensor recurrentT = rw.glorot(UNITS, cols);
        Tensor biasT = gru && resetAfter ? rw.uniform(0.1, 2, cols) : rw.uniform(0.1, cols);
        w = kernelT.toFloatArray();
        u = recurrentT.toFloatArray();
        b = biasT.toFloatArray();
        if (gru && resetAfter) {
            inputBias = Arrays.copyOfRange(b, 0, cols);
            recurrentBias = Arrays.copyOfRange(b, cols, 2 * cols);
        } else if (gru) {
            recurrentZr = new float[UNITS * 2 * UNITS];
            recurrentH = new float[UNITS * UNITS];
            for (int r = 0; r < UNITS; r++) {
                System.arraycopy(u, r * cols, recurrentZr, r * 2 * UNITS, 2 * UNITS);
                System.arraycopy(u, r * cols + 2 * UNITS, recurrentH, r * UNITS, UNITS);
            }
        }
        Graph.Builder g = Graph.builder();
        Port in = g.input("x", Shape.of(Shape.UNKNOWN, Shape.UNKNOWN, IN));
        Port out = gru
                ? g.apply(new Gru("gru", UNITS, kernelT, recurrentT, biasT, resetAfter, Activation.TANH,
                        Activation.SIGMOID, false), in)
                : g.apply(new SimpleRnn("rnn", UNITS, kernelT, recurrentT, biasT, Activation.TANH, false), in);
        model = new Model(g.build(List.of(out)), Map.of("source", "RecurrentBenchmark"));
        input = rw.uniform(1, batch, STEPS, IN);
        if (!Kernels.vectorized()) {
            System.err.println("NOTE: scalar kernels in use (" + Kernels.description() + ")");
        }
        if (!"packed".equals(kernel) && !"reference".equals(kernel)) {
            throw new IllegalArgumentException("unknown kernel " + kernel + ", expected packed or reference");
        }
    }

    /** One forward pass over the whole sequence. */
    @Benchmark
    public Object run() {
        return "packed".equals(kernel) ? model.predict(input) : reference();
    }

    /** What the layer's runCell did before the packed kernels, on the weights the old constructor prepared. */
    private float[] reference() {
        float[] x = input.data();
        float[] h = new float[batch * UNITS];
        float[] out = new float[batch * UNITS];
        if (!gru) {
            SimpleRnnKernel.forward(x, batch, STEPS, IN, UNITS, w, u, b, Activation.TANH, h, out, false);
        } else if (resetAfter) {
            GruKernel.forwardResetAfter(x, batch, STEPS, IN, UNITS, w, u, inputBias, recurrentBias, Activation.TANH,
                    Activation.SIGMOID, h, out, false);
        } else {
            GruKernel.forwardResetBefore(x, batch, STEPS, IN, UNITS, w, recurrentZr, recurrentH, b, Activation.TANH,
                    Activation.SIGMOID, h, out, false);
        }
        return out;
    }
}
