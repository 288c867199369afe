package org.jkeras.runtime.kernels;

/**
 * The batch-1 GRU recurrence split by units across a {@link StepTeam}, as {@link SplitLstm} splits the LSTM: part q
 * owns a contiguous range of groups of {@code lanes} units (a multiple of 4 groups: whole panels of both the [z r]
 * and the candidate columns) and computes for those units only the chunk's input projection, the products with h,
 * the gates and the blend ({@link VectorGru#stepFirstHalf}). reset_after=True needs nothing from the other parts
 * within a step: one barrier per step, for the new h. reset_after=False needs all of r⊙h before any candidate
 * column: two phases per step (z, r and r⊙h of the part's units; then the candidate), two barriers. Each column
 * gets the same float operations in the same order as on one thread, so results are bit-identical.
 *
 * <p>Each part keeps its own z rows and its reset_after candidate product in arrays of its own (the cores would
 * otherwise pass the boundary cache lines back and forth), and its slice of U stays in its core's cache. One
 * instance per calling thread is reused from call to call, so a split call allocates nothing once warm.
 */
final class SplitGru extends SplitRecurrence {
    private static final ThreadLocal<SplitGru> MINE = ThreadLocal.withInitial(SplitGru::new);
    private static final int L = PackedGemm.lanes();
    private static final int PW = PackedGemm.panelWidth();
    /** Groups of units per part boundary: 4 groups fill one candidate panel and two [z r] panels. */
    private static final int GRAIN = 4;

    private PackedGru w;
    private float[] rh;    // reset_after=False: r⊙h, [paddedUnits], written by each part for its units
    private int rec;
    private final float[][] zOwn = new float[MAX_PARTS][];  // per part: [chunk, columns], only its columns used
    private final float[][] rbOwn = new float[MAX_PARTS][]; // per part, reset_after: h·U_h + b_rec_h, [columns]

    private SplitGru() {
    }

    /**
     * Runs all steps of a batch-1 call on a team when this thread asked for more than one thread
     * ({@link StepThreads}), the layer is big enough and a team is free; returns false (nothing done) otherwise.
     * Arguments as in {@link VectorGru}'s batch-1 loop: h (read at step 0) and hNext alternate; {@code rb} is the
     * caller's r⊙h buffer ([paddedUnits] at least), shared by the parts for reset_after=False.
     */
    static boolean run(PackedGru w, float[] x, int steps, float[] out, boolean sequences, boolean carried,
                       int chunk, float[] h, float[] hNext, float[] rb, int act, int rec) {
        int requested = StepThreads.current();
        if (requested < 2 || steps < 1) {
            return false;
        }
        int groups = w.paddedUnits / L;
        int parts = partsFor(w, requested);
        StepTeam team = wouldSplit(w, steps, parts) ? StepTeams.acquireForSplit(parts) : null;
        if (team == null) {
            return false; // too small, or every team is busy with another caller: run on this thread
        }
        SplitGru job = MINE.get();
        job.set(w, x, steps, out, sequences, carried, chunk, h, hNext, rb, act, rec, groups, parts);
        try {
            StepTeams.runSplit(team, job, w.resetAfter ? steps : 2 * steps);
        } finally {
            job.clear();
            StepTeams.release(team);
        }
        return true;
    }

    /** The parts a batch-1 call on {@code requested} threads would be cut into (bounds: groups of units). */
    static int partsFor(PackedGru w, int requested) {
        return parts(requested, w.paddedUnits / L / GRAIN);
    }

    /** Whether a batch-1 call of {@code steps} steps is large enough to split into {@code parts} parts. */
    static boolean wouldSplit(PackedGru w, int steps, int parts) {
        long fmas = (long) steps * w.columns * (w.in + w.paddedUnits);
        long partStep = (long) w.columns * w.paddedUnits / Math.max(1, parts);
        return SplitLstm.worthSplitting(parts, fmas, partStep);
    }

    private void set(PackedGru w, float[] x, int steps, float[] out, boolean sequences, boolean carried, int chunk,
                     float[] h, float[] hNext, float[] rb, int act, int rec, int groups, int parts) {
        setCall(x, steps, out, sequences, carried, chunk, h, hNext, act);
        this.w = w;
        this.rh = rb;
        this.rec = rec;
        int grains = (groups + GRAIN - 1) / GRAIN;
        for (int q = 0; q <= parts; q++) {
            bounds[q] = Math.min(groups, (int) ((long) grains * q / parts) * GRAIN);
        }
        int zSize = Math.multiplyExact(chunk, w.columns);
        for (int q = 0; q < parts; q++) {
            if (zOwn[q] == null || zOwn[q].length < zSize) {
                zOwn[q] = new float[zSize];
            }
            if (w.resetAfter && (rbOwn[q] == null || rbOwn[q].length < w.columns)) {
                rbOwn[q] = new float[w.columns];
            }
        }
    }

    @Override
    void clear() {
        super.clear();
        w = null;
        rh = null;
    }

    @Override
    public void run(int phase, int part) {
        int g0 = bounds[part];
        int g1 = bounds[part + 1];
        boolean second = !w.resetAfter && (phase & 1) == 1; // reset_after=False: the candidate half of a step
        int t = w.resetAfter ? phase : phase >> 1;
        int in = w.in;
        int gp = w.columns;
        float[] z = zOwn[part];
        int t0 = chunkStart(t);
        boolean fuseInput = fusesInput(t0);
        if (!fuseInput && t == t0 && !second) { // this part's columns of the chunk's input projection
            int tc = Math.min(chunk, steps - t0);
            int zrPanels = w.zrCols / PW;
            PackedGemm.multiplyPanels(x, t0 * in, in, tc, w.kernel, g0 / 2, (g1 + 1) / 2, w.bias, 0, 0, z, 0, gp);
            PackedGemm.multiplyPanels(x, t0 * in, in, tc, w.kernel, zrPanels + g0 / 4, zrPanels + (g1 + 3) / 4,
                    w.bias, 0, 0, z, 0, gp);
        }
        boolean odd = (t & 1) == 1;
        float[] h = hRead(t);
        float[] next = hWritten(t);
        boolean recur = t > 0 || carried; // h is zero only at the first step of a fresh start
        float[] xs = fuseInput ? x : null;
        int zOff = (t - t0) * gp;
        if (!second) {
            VectorGru.stepFirstHalf(w, xs, t * in, z, zOff, h, recur, next, w.resetAfter ? rbOwn[part] : rh, act, rec,
                    odd, g0, g1);
            if (!w.resetAfter) {
                for (int j = Math.max(w.units, g0 * L); j < g1 * L; j++) {
                    rh[j] = 0f; // r⊙h must be exactly 0 where h is padding
                }
                return; // the candidate half waits for every part's r⊙h
            }
        } else {
            VectorGru.stepCandidateBefore(w, xs, t * in, z, zOff, h, recur, next, rh, act, odd, g0, g1);
        }
        finishStep(next, t, g0 * L, g1 * L, w.units);
    }
}
