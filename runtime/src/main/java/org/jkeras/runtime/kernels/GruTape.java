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

    /** Buffers for one call of the given sizes. */
    public GruTape(int batch, int steps, int in, int units) {
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
}
