package org.jkeras.runtime.kernels;

/**
 * The batch-1 SimpleRNN recurrence split by panels of units across a {@link StepTeam}, as {@link SplitLstm} splits
 * the LSTM: part q owns a contiguous range of panels (units), computes their columns of the chunk's input
 * projection, {@code z += h·U}, the activation into the next h ({@link VectorSimpleRnn#stepRow} on its panels), and
 * copies its units to a sequence output. The only exchange is the new h: one barrier per step. Each column gets the
 * same float operations in the same order as on one thread, so results are bit-identical. Each part keeps its own
 * z rows in an array of its own; one instance per calling thread is reused, so a split call allocates nothing once
 * warm.
 */
final class SplitSimpleRnn extends SplitRecurrence {
    private static final ThreadLocal<SplitSimpleRnn> MINE = ThreadLocal.withInitial(SplitSimpleRnn::new);
    private static final int PW = PackedGemm.panelWidth();

    private PackedSimpleRnn w;
    private final float[][] zOwn = new float[MAX_PARTS][]; // per part: [chunk, columns], only its columns used

    private SplitSimpleRnn() {
    }

    /**
     * Runs all steps of a batch-1 call on a team when this thread asked for more than one thread
     * ({@link StepThreads}), the layer is big enough and a team is free; returns false (nothing done) otherwise.
     * Arguments as in {@link VectorSimpleRnn}'s batch-1 loop: h (read at step 0) and hNext alternate.
     */
    static boolean run(PackedSimpleRnn w, float[] x, int steps, float[] out, boolean sequences, boolean carried,
                       int chunk, float[] h, float[] hNext, int act) {
        int requested = StepThreads.current();
        if (requested < 2 || steps < 1) {
            return false;
        }
        int panels = w.columns / PW;
        int parts = partsFor(w, requested);
        StepTeam team = wouldSplit(w, steps, parts) ? StepTeams.acquireForSplit(parts) : null;
        if (team == null) {
            return false; // too small, or every team is busy with another caller: run on this thread
        }
        SplitSimpleRnn job = MINE.get();
        job.set(w, x, steps, out, sequences, carried, chunk, h, hNext, act, panels, parts);
        try {
            StepTeams.runSplit(team, job, steps);
        } finally {
            job.clear();
            StepTeams.release(team);
        }
        return true;
    }

    /** The parts a batch-1 call on {@code requested} threads would be cut into (bounds: panels). */
    static int partsFor(PackedSimpleRnn w, int requested) {
        return parts(requested, w.columns / PW);
    }

    /** Whether a batch-1 call of {@code steps} steps is large enough to split into {@code parts} parts. */
    static boolean wouldSplit(PackedSimpleRnn w, int steps, int parts) {
        long fmas = (long) steps * w.columns * (w.in + w.paddedUnits);
        long partStep = (long) w.columns * w.paddedUnits / Math.max(1, parts);
        return SplitLstm.worthSplitting(parts, fmas, partStep);
    }

    private void set(PackedSimpleRnn w, float[] x, int steps, float[] out, boolean sequences, boolean carried,
                     int chunk, float[] h, float[] hNext, int act, int panels, int parts) {
        setCall(x, steps, out, sequences, carried, chunk, h, hNext, act);
        this.w = w;
        SplitLstm.cut(bounds, panels, parts);
        int zSize = Math.multiplyExact(chunk, w.columns);
        for (int q = 0; q < parts; q++) {
            if (zOwn[q] == null || zOwn[q].length < zSize) {
                zOwn[q] = new float[zSize];
            }
        }
    }

    @Override
    void clear() {
        super.clear();
        w = null;
    }

    @Override
    public void run(int t, int part) {
        int from = bounds[part];
        int to = bounds[part + 1];
        int in = w.in;
        int cp = w.columns;
        float[] z = zOwn[part];
        int t0 = chunkStart(t);
        boolean fuseInput = fusesInput(t0);
        if (!fuseInput && t == t0) {
            PackedGemm.multiplyPanels(x, t0 * in, in, Math.min(chunk, steps - t0), w.kernel, from, to, w.bias, 0, 0,
                    z, 0, cp);
        }
        boolean recur = t > 0 || carried; // h is zero only at the first step of a fresh start
        float[] next = hWritten(t);
        VectorSimpleRnn.stepRow(w, fuseInput ? x : null, t * in, z, (t - t0) * cp, recur ? hRead(t) : null, next, act,
                (t & 1) == 1, from, to);
        finishStep(next, t, from * PW, Math.min(w.paddedUnits, to * PW), w.units);
    }
}
