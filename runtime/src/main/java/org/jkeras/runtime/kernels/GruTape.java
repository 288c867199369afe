package org.jkeras.runtime.kernels;

/**
 * The buffers a GRU training forward pass fills for its backward pass, time-major (row
 * {@code t*batch + b}), for either {@code reset_after} variant; the backward pass reuses
 * {@link #preactivations} for the gradients.
 */
public final class GruTape {
    /** Inputs, [steps*batch, in]. */
    final float[] xt;
    /** Pre-activations of z, r and the candidate, [steps*batch, 3*units]. */
    final float[] preactivations;
    /** z, r and the candidate hh after their activations, [steps*batch, 3*units]. */
    final float[] gates;
    /**
     * reset_after: the candidate's recurrent term h·U_h + b_rec_h, which r multiplies; reset_before: r*h(t-1),
     * which U_h multiplies. [steps*batch, units].
     */
    final float[] reset;
    /** h(t) for t = -1..steps-1, [(steps+1)*batch, units]; block 0 is the initial state. */
    final float[] h;
    private final int finalOffset;
    private final int[] dims;      // batch, steps, in, units
    private final float[][] scratch = new float[4][]; // the backward pass's work buffers, kept for reuse

    /** Buffers for one call of the given sizes. */
    public GruTape(int batch, int steps, int in, int units) {
        this.dims = new int[] {batch, steps, in, units};
        int rows = Math.multiplyExact(batch, steps);
        this.xt = new float[Math.multiplyExact(rows, in)];
        this.preactivations = new float[Math.multiplyExact(rows, 3 * units)];
        this.gates = new float[preactivations.length];
        this.reset = new float[Math.multiplyExact(rows, units)];
        this.h = new float[Math.multiplyExact(rows + batch, units)];
        this.finalOffset = rows * units;
    }

    /** Copies the final h ([batch, units]) into {@code hOut}: a stateful layer's next state. */
    public void copyFinalState(float[] hOut) {
        System.arraycopy(h, finalOffset, hOut, 0, hOut.length);
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
