package org.jkeras.runtime.kernels;

/**
 * The buffers an LSTM training forward pass fills for its backward pass, all time-major
 * (row {@code t*batch + b}). Allocated per training call (or reused from the same layer's last call, {@link #fits}); the backward pass reuses
 * {@link #preactivations} for the gradients, so a tape serves one backward pass.
 */
public final class LstmTape {
    /** Inputs, [steps*batch, in]. */
    final float[] xt;
    /** Gate pre-activations z = x·W + h·U + b, [steps*batch, 4*units] (i, f, c, o). */
    final float[] preactivations;
    /** Gate values after their activations, [steps*batch, 4*units]. */
    final float[] gates;
    /** h(t) for t = -1..steps-1, [(steps+1)*batch, units]; block 0 is the initial state. */
    final float[] h;
    /** c(t) likewise, [(steps+1)*batch, units]. */
    final float[] c;
    /** act(c(t)), [steps*batch, units]. */
    final float[] actC;

    private final int finalOffset; // start of h(steps-1) and c(steps-1)
    private final int stateSize;   // batch*units
    private final int[] dims;      // batch, steps, in, units
    private final float[][] scratch = new float[4][]; // the backward pass's work buffers, kept for reuse

    /** Buffers for one call of the given sizes. */
    public LstmTape(int batch, int steps, int in, int units) {
        this.dims = new int[] {batch, steps, in, units};
        this.stateSize = Math.multiplyExact(batch, units);
        this.finalOffset = Math.multiplyExact(steps, stateSize);
        int rows = Math.multiplyExact(batch, steps);
        this.xt = new float[Math.multiplyExact(rows, in)];
        this.preactivations = new float[Math.multiplyExact(rows, 4 * units)];
        this.gates = new float[preactivations.length];
        this.h = new float[Math.multiplyExact(rows + batch, units)];
        this.c = new float[h.length];
        this.actC = new float[Math.multiplyExact(rows, units)];
    }

    /** Copies the final h and c ([batch, units] each) into the given arrays: a stateful layer's next state. */
    public void copyFinalStates(float[] hOut, float[] cOut) {
        System.arraycopy(h, finalOffset, hOut, 0, stateSize);
        System.arraycopy(c, finalOffset, cOut, 0, stateSize);
    }

    /**
     * True when this tape was made for these sizes, so a later call of the same layer may reuse it (a training
     * loop keeps one per layer instead of allocating and zeroing it at every step: see
     * {@link org.jkeras.runtime.layers.Saved#putReusable}). Every buffer is fully rewritten by each call.
     */
    public boolean fits(int batch, int steps, int in, int units) {
        return dims[0] == batch && dims[1] == steps && dims[2] == in && dims[3] == units;
    }

    /** Work buffer {@code slot} (0-3) of at least {@code size} floats, contents unspecified; kept with the tape. */
    float[] scratch(int slot, int size) {
        float[] a = scratch[slot];
        if (a == null || a.length < size) {
            a = new float[size];
            scratch[slot] = a;
        }
        return a;
    }
}
