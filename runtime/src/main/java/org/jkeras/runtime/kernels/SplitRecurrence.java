package org.jkeras.runtime.kernels;

/**
 * What the batch-1 splits of {@link SplitLstm}, {@link SplitGru} and {@link SplitSimpleRnn} share: the call's
 * arguments, the two h buffers that alternate between steps (every part reads all of h at step t and writes its
 * units of the other buffer), the parts' unit ranges, and the end of a part's step (its share of the padding back
 * to exactly 0, its units to a sequence output). One instance per calling thread, reused from call to call.
 */
abstract class SplitRecurrence implements StepTeam.Job {
    /** The most parts a call is cut into. */
    static final int MAX_PARTS = 64;

    float[] x;
    int steps;
    float[] out;
    boolean sequences;
    boolean carried;
    int chunk;
    int act;
    private float[] hEven; // h read at even steps (written at odd ones)
    private float[] hOdd;
    /** Part q's range (of panels or groups, as the subclass cuts them): {@code bounds[q] .. bounds[q+1]-1}. */
    final int[] bounds = new int[MAX_PARTS + 1];

    /** Parts for a call asking for {@code requested} threads over {@code pieces} cuttable pieces. */
    static int parts(int requested, int pieces) {
        return Math.min(Math.min(requested, StepTeams.maxHelpers() + 1), Math.min(pieces, MAX_PARTS));
    }

    /** Keeps the call's arguments: h is read at step 0, then h and hNext alternate. */
    final void setCall(float[] x, int steps, float[] out, boolean sequences, boolean carried, int chunk, float[] h,
                       float[] hNext, int act) {
        this.x = x;
        this.steps = steps;
        this.out = out;
        this.sequences = sequences;
        this.carried = carried;
        this.chunk = chunk;
        this.hEven = h;
        this.hOdd = hNext;
        this.act = act;
    }

    /** Drops the call's arrays so a finished call keeps nothing alive. */
    void clear() {
        x = null;
        out = null;
        hEven = null;
        hOdd = null;
    }

    /** h as step t reads it. */
    final float[] hRead(int t) {
        return (t & 1) == 1 ? hOdd : hEven;
    }

    /** The buffer step t writes h into. */
    final float[] hWritten(int t) {
        return (t & 1) == 1 ? hEven : hOdd;
    }

    /** The first step of t's chunk. */
    final int chunkStart(int t) {
        return t - t % chunk;
    }

    /** As on one thread: a one-step chunk fuses x·W into the step instead of a GEMM at the chunk's start. */
    final boolean fusesInput(int t0) {
        return Math.min(chunk, steps - t0) == 1;
    }

    /**
     * The end of a part's step t over units {@code u0..u1-1} of {@code next}: the padding units among them (from
     * {@code units} on) set to exactly 0 (an infinite input times zero padding weights is NaN, which would reach
     * every unit through h·U), and the real ones copied to a sequence output.
     */
    final void finishStep(float[] next, int t, int u0, int u1, int units) {
        for (int j = Math.max(units, u0); j < u1; j++) {
            next[j] = 0f;
        }
        if (sequences) {
            int end = Math.min(units, u1);
            if (end > u0) {
                System.arraycopy(next, u0, out, t * units + u0, end - u0);
            }
        }
    }
}
