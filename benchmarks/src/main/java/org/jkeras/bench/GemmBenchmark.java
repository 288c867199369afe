package org.jkeras.bench;

import java.util.concurrent.TimeUnit;
import org.jkeras.runtime.kernels.Gemm;
import org.jkeras.runtime.kernels.PackedGemm;
import org.jkeras.runtime.kernels.PackedMatrix;
import org.jkeras.runtime.kernels.ScalarGemm;
import org.jkeras.runtime.kernels.VectorGemm;
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
 * The three GEMMs in the same run, on the shapes the LSTM uses: the per-step recurrent product h·U
 * ({@code [batch, units] · [units, 4*units]}) and the input projection of a whole sequence.
 * {@code packed} is the register-blocked kernel on a pre-packed B (what the layers use), {@code vector}
 * the row-streaming Vector API GEMM, {@code scalar} the reference; the ratios are the numbers to watch.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@State(Scope.Benchmark)
public class GemmBenchmark {
    /** {@code packed}, {@code vector} or {@code scalar}. */
    @Param({"packed", "vector", "scalar"})
    public String impl;

    /** m x k x n. */
    @Param({"1x128x512", "64x256x1024", "100x64x1024"})
    public String size;

    private Gemm gemm;
    private int m;
    private int k;
    private int n;
    private float[] a;
    private float[] b;
    private float[] c;
    private PackedMatrix packed; // B packed once, as a layer does at construction
    private float[] zeroRow;     // the packed GEMM's initial value: C = 0 + A·B

    /** Allocates random operands. */
    @Setup
    public void setUp() {
        String[] p = size.split("x");
        m = Integer.parseInt(p[0]);
        k = Integer.parseInt(p[1]);
        n = Integer.parseInt(p[2]);
        gemm = switch (impl) {
            case "packed" -> null;
            case "vector" -> VectorGemm.INSTANCE;
            case "scalar" -> ScalarGemm.INSTANCE;
            default -> throw new IllegalArgumentException("impl must be packed, vector or scalar, got " + impl);
        };
        RandomWeights w = new RandomWeights(7);
        a = w.uniform(1, m, k).toFloatArray();
        b = w.uniform(1, k, n).toFloatArray();
        c = new float[m * n];
        if (gemm == null) {
            packed = PackedMatrix.pack(b, 0, k, n, PackedGemm.panelWidth()).aligned(); // as the layers hold it
            zeroRow = new float[packed.paddedColumns()];
        }
    }

    /** C = A·B. */
    @Benchmark
    public float[] multiply() {
        if (gemm == null) {
            PackedGemm.multiply(a, 0, k, m, packed, zeroRow, 0, 0, c, 0, n);
        } else {
            gemm.multiply(a, 0, b, 0, c, 0, m, k, n, false);
        }
        return c;
    }
}
