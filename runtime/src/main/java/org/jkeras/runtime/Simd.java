package org.jkeras.runtime;

import org.jkeras.runtime.kernels.Kernels;

/**
 * Which kernels this JVM runs: the Vector API (SIMD) ones when the {@code jdk.incubator.vector} module
 * is present ({@code --add-modules=jdk.incubator.vector} on the class path; automatic on the module path),
 * the scalar ones otherwise, with the same results about 9x slower. Chosen once per JVM; the kernels
 * themselves are internal.
 */
public final class Simd {
    private Simd() {
    }

    /**
     * True when the Vector API kernels run.
     *
     * @return whether SIMD kernels run
     */
    public static boolean enabled() {
        return Kernels.vectorized();
    }

    /**
     * Floats per SIMD vector (8 for AVX2, 16 for AVX-512); 1 on the scalar kernels.
     *
     * @return the lane count
     */
    public static int lanes() {
        return Kernels.lanes();
    }

    /**
     * Whether the batch-1 kernels read an aligned off-heap copy of the recurrent and Dense weights: on Java 22 and
     * later with the Vector API kernels, unless {@code -Djkeras.aligned=false}; never on Java 21. The copy takes the
     * weights' size again outside the heap (matrices over 4 MiB get none) and makes batch-1 steps about 1.2-1.5×
     * faster, with the same results.
     *
     * @return whether the copies are made
     */
    public static boolean alignedWeights() {
        return Kernels.alignedWeights();
    }

    /**
     * What runs, for logs and support questions: {@code "Vector API, 8 float lanes (256-bit vectors)"}, or
     * {@code "scalar: ..."} with the reason and, when it is the missing module, how to turn SIMD on.
     *
     * @return one line
     */
    public static String description() {
        return Kernels.description();
    }

    /**
     * How many recurrent layer calls, since this JVM started and over all models, ran on several threads at batch 1:
     * their time steps split by gate columns (LSTM, GRU and SimpleRNN layers large enough), a Bidirectional layer's two
     * directions at once, or two stacked recurrent layers pipelined (counted once for the pair); what a batch-1 call
     * given several threads does when the helper threads are free
     * ({@code Model.predict(inputs, threads)}).
     * A monotonic count for diagnostics and benchmarks: read it before and after calls to see whether they
     * split. Counted once per layer call, never per step.
     *
     * @return the count, 0 when nothing has split yet
     */
    public static long splitLayerCalls() {
        return Kernels.splitLayerCalls();
    }
}
