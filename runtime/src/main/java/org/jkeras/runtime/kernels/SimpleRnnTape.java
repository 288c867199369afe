package org.jkeras.runtime.kernels;

/**
 * The buffers a SimpleRNN training forward pass fills for its backward pass, time-major
 * (row {@code t*batch + b}); the backward pass reuses {@link #preactivations} for the gradients.
 */
public final class SimpleRnnTape {
    /** Inputs, [steps*batch, in]. */
    final float[] xt;
    /** x·W + b + h·U, [steps*batch, units]. */
    final float[] preactivations;
    /** h(t) for t = -1..steps-1, [(steps+1)*batch, units]; block 0 is the initial state. */
    final float[] h;
    private final int finalOffset;

    /** Buffers for one call of the given sizes. */
    public SimpleRnnTape(int batch, int steps, int in, int units) {
        int rows = Math.multiplyExact(batch, steps);
        this.xt = new float[Math.multiplyExact(rows, in)];
        this.preactivations = new float[Math.multiplyExact(rows, units)];
        this.h = new float[Math.multiplyExact(rows + batch, units)];
        this.finalOffset = rows * units;
    }

    /** Copies the final h ([batch, units]) into {@code hOut}: a stateful layer's next state. */
    public void copyFinalState(float[] hOut) {
        System.arraycopy(h, finalOffset, hOut, 0, hOut.length);
    }
}
