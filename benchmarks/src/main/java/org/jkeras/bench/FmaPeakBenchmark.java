package org.jkeras.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The machine's single-thread fp32 FMA peak on the Vector API ({@code FloatVector.SPECIES_PREFERRED}), so the
 * kernels' throughput can be stated as a share of what this CPU, in this JVM, can do at all. Score: GFLOP/s
 * (JMH's ops/ns, one op = one FLOP; an FMA is 2 per lane).
 *
 * <p>The loop runs {@code accumulators} independent FMA chains on register-resident vectors: to keep two FMA ports
 * busy with a 4-cycle FMA latency takes at least 8 chains; 12 leaves headroom and fits the 16 AVX2 registers with
 * the two operands, 16 needs AVX-512's 32. No memory is touched inside the loop. Run it in the same JMH invocation
 * as the benchmark it is compared with (the clock and the neighbours' load change from run to run).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@State(Scope.Benchmark)
public class FmaPeakBenchmark {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int ITERATIONS = 4096;
    /** FLOP per invocation at 12 accumulators; the other counts scale it (see {@link #peak}). */
    private static final int FLOP_12 = ITERATIONS * 12 * 2 * 16;

    /** Independent FMA chains: 12 (the default) or 16; fewer show the latency bound. */
    @Param({"12"})
    public int accumulators;

    private float a;
    private float b;

    /** Operands that keep every chain finite (x ← x·a + b converges to b / (1 - a)). */
    @Setup
    public void setUp() {
        a = 0.999f;
        b = 1e-3f;
        if (accumulators != 12 && accumulators != 16 && accumulators != 8) {
            throw new IllegalArgumentException("accumulators must be 8, 12 or 16, got " + accumulators);
        }
        if (S.length() > 16) {
            throw new IllegalStateException("species of " + S.length() + " lanes: FLOP count assumes at most 16");
        }
    }

    /**
     * {@code ITERATIONS} rounds of one FMA per chain. The FLOP count is declared for 12 chains of 16 lanes; the
     * loop runs as many rounds as keep that count exact for the species and chain count in use.
     */
    @Benchmark
    @OperationsPerInvocation(FLOP_12)
    public float peak() {
        int rounds = FLOP_12 / (accumulators * 2 * S.length());
        return switch (accumulators) {
            case 8 -> chains8(rounds);
            case 16 -> chains16(rounds);
            default -> chains12(rounds);
        };
    }

    private float chains8(int rounds) {
        FloatVector va = FloatVector.broadcast(S, a);
        FloatVector vb = FloatVector.broadcast(S, b);
        FloatVector c0 = vb, c1 = vb.add(1), c2 = vb.add(2), c3 = vb.add(3);
        FloatVector c4 = vb.add(4), c5 = vb.add(5), c6 = vb.add(6), c7 = vb.add(7);
        for (int i = 0; i < rounds; i++) {
            c0 = c0.fma(va, vb);
            c1 = c1.fma(va, vb);
            c2 = c2.fma(va, vb);
            c3 = c3.fma(va, vb);
            c4 = c4.fma(va, vb);
            c5 = c5.fma(va, vb);
            c6 = c6.fma(va, vb);
            c7 = c7.fma(va, vb);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }

    private float chains12(int rounds) {
        FloatVector va = FloatVector.broadcast(S, a);
        FloatVector vb = FloatVector.broadcast(S, b);
        FloatVector c0 = vb, c1 = vb.add(1), c2 = vb.add(2), c3 = vb.add(3);
        FloatVector c4 = vb.add(4), c5 = vb.add(5), c6 = vb.add(6), c7 = vb.add(7);
        FloatVector c8 = vb.add(8), c9 = vb.add(9), c10 = vb.add(10), c11 = vb.add(11);
        for (int i = 0; i < rounds; i++) {
            c0 = c0.fma(va, vb);
            c1 = c1.fma(va, vb);
            c2 = c2.fma(va, vb);
            c3 = c3.fma(va, vb);
            c4 = c4.fma(va, vb);
            c5 = c5.fma(va, vb);
            c6 = c6.fma(va, vb);
            c7 = c7.fma(va, vb);
            c8 = c8.fma(va, vb);
            c9 = c9.fma(va, vb);
            c10 = c10.fma(va, vb);
            c11 = c11.fma(va, vb);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }

    private float chains16(int rounds) {
        FloatVector va = FloatVector.broadcast(S, a);
        FloatVector vb = FloatVector.broadcast(S, b);
        FloatVector c0 = vb, c1 = vb.add(1), c2 = vb.add(2), c3 = vb.add(3);
        FloatVector c4 = vb.add(4), c5 = vb.add(5), c6 = vb.add(6), c7 = vb.add(7);
        FloatVector c8 = vb.add(8), c9 = vb.add(9), c10 = vb.add(10), c11 = vb.add(11);
        FloatVector c12 = vb.add(12), c13 = vb.add(13), c14 = vb.add(14), c15 = vb.add(15);
        for (int i = 0; i < rounds; i++) {
            c0 = c0.fma(va, vb);
            c1 = c1.fma(va, vb);
            c2 = c2.fma(va, vb);
            c3 = c3.fma(va, vb);
            c4 = c4.fma(va, vb);
            c5 = c5.fma(va, vb);
            c6 = c6.fma(va, vb);
            c7 = c7.fma(va, vb);
            c8 = c8.fma(va, vb);
            c9 = c9.fma(va, vb);
            c10 = c10.fma(va, vb);
            c11 = c11.fma(va, vb);
            c12 = c12.fma(va, vb);
            c13 = c13.fma(va, vb);
            c14 = c14.fma(va, vb);
            c15 = c15.fma(va, vb);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .add(c12).add(c13).add(c14).add(c15).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }
}
