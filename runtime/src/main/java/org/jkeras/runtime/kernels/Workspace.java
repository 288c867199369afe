package org.jkeras.runtime.kernels;

import java.util.Arrays;

/**
 * Per-thread scratch arrays for the vector kernels, reused from call to call.
 *
 * <p>Why: a batch-1 prediction is a few microseconds, and fresh buffers cost more than their zeroing:
 * each call would walk new TLAB memory (S2 allocated 117 KB per call), pushing the layer weights out of
 * L2 and feeding the GC. Thread safety: each thread has its own instance ({@link #get}) and a kernel
 * call borrows at most one array per {@link Slot} and returns before any other code runs on that thread,
 * so layers stay immutable and safe to call concurrently. Arrays above {@link #MAX_FLOATS} are not kept
 * (allocated per call as before), so a thread holds at most 5 × 320 KiB (and a 256-byte panel row), and typically far less
 * (S2: 52 KiB).
 */
final class Workspace {
    /** Largest array kept per slot: the LSTM chunk budget plus room for h and c of a modest batch. */
    static final int MAX_FLOATS = VectorLstm.CHUNK_FLOATS + 16 * 1024;

    /**
     * The scratch arrays one kernel call may hold at the same time: gate pre-activations, h and the next h
     * (batch 1), c (LSTM), R (GRU: the candidate's recurrent product, or r⊙h), and PANEL (a GEMM's partial last
     * panel, one row at a time: the GEMM may run inside a kernel that holds the others).
     */
    enum Slot { Z, H, H_NEXT, C, R, PANEL }

    private static final ThreadLocal<Workspace> LOCAL = ThreadLocal.withInitial(Workspace::new);

    private final float[][] arrays = new float[Slot.values().length][];

    private Workspace() {
    }

    /** This thread's workspace. */
    static Workspace get() {
        return LOCAL.get();
    }

    /** An array of at least {@code size} floats with unspecified contents. */
    float[] dirty(Slot slot, int size) {
        if (size > MAX_FLOATS) {
            return new float[size];
        }
        float[] a = arrays[slot.ordinal()];
        if (a == null || a.length < size) {
            a = new float[size];
            arrays[slot.ordinal()] = a;
        }
        return a;
    }

    /** An array of at least {@code size} floats whose first {@code size} are zero. */
    float[] zeroed(Slot slot, int size) {
        float[] a = dirty(slot, size);
        Arrays.fill(a, 0, size, 0f);
        return a;
    }

    /**
     * Forgets every array, so the next call gets fresh ones: after a step thread stalled or died in a call, it
     * may still write into the arrays that call lent it.
     */
    void discard() {
        java.util.Arrays.fill(arrays, null);
    }
}
