package org.jkeras.runtime.kernels;

/**
 * The buffers an LSTM training forward pass fills for its backward pass, all time-major
 * (row {@code t*batch + b}). Allocated per training call; the backward pass reuses
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

    /** Buffers for one call of the given sizes. */
    public LstmTape(int batch, int steps, int in, int units) {
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
}
