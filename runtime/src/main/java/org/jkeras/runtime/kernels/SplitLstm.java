package org.jkeras.runtime.kernels;

/**
 * The batch-1 LSTM recurrence split by gate columns across a {@link StepTeam}: phase t is time step t, part q a
 * contiguous range of panels (each panel holds all four gates of {@code lanes} units, so a part updates its own
 * units' c and h with no data from the other parts). Part q computes, for its columns only, the input projection
 * of each chunk at the chunk's first step, then {@code z += h·U}, the gates and the cell update
 * ({@link VectorLstm#stepRow} on its panels), and copies its units of h to a sequence output. The only exchange
 * between parts is the new h, read by every part at the next step: one barrier per step. Each column gets the
 * same float operations in the same order as on one thread, so results are bit-identical.
 *
 * <p>Each part keeps streaming the same slice of U and W, which stays in its core's cache: S4's U (1 MiB) does
 * not fit one core's 512 KiB L2, its halves do.
 *
 * <p>One instance per calling thread is reused from call to call (the fields are the current call's), so a
 * split call allocates nothing.
 */
final class SplitLstm extends SplitRecurrence {
    /**
     * Multiply-adds per call below which the split is not tried: waking a parked helper costs the caller a
     * futex call of a few µs, more than a single small step (S1, ~2 µs) takes.
     */
    static final long MIN_CALL_FMAS = 1 << 18;
    /** Panels per part at the least: a part of one panel (8 units) is too little work for a barrier. */
    static final int MIN_PANELS_PER_PART = 2;
    /**
     * Recurrent multiply-adds per part and step below which the split is not tried: a step then takes about as
     * long as the barrier and the exchange of h between the cores. Measured (AVX-512 Xeon, 2 vCPUs): LSTM(64)
     * (S2, 8 Ki per part) ran 14-26 % slower on 2 threads even in its best 1 % of calls; LSTM(256) (S4, 128 Ki per
     * part) 1.4-1.6× faster whenever the second core was free.
     */
    static final long MIN_PART_STEP_FMAS = 1 << 15;
    private static volatile long minCallFmas = MIN_CALL_FMAS; // tests lower both to split tiny shapes
    private static volatile long minPartStepFmas = MIN_PART_STEP_FMAS;

    private static final ThreadLocal<SplitLstm> MINE = ThreadLocal.withInitial(SplitLstm::new);
    private static final int L = PackedGemm.lanes();

    private PackedLstm w;
    private float[] c;
    private int rec;
    /**
     * Per part, its columns of the chunk's gate pre-activations ([chunk, width]) and its units of c, each in an
     * array of its own with {@link #PAD} spare floats at both ends: z is updated in place several times per step,
     * and two cores writing one cache line (a part boundary inside a shared row) would pass it back and forth.
     */
    private final float[][] zOwn = new float[MAX_PARTS][];
    private final float[][] cOwn = new float[MAX_PARTS][];
    private static final int PAD = 32;

    private SplitLstm() {
    }

    /**
     * Runs all steps of a batch-1 call on a team when this thread asked for more than one thread
     * ({@link StepThreads}), the layer is big enough and a team is free; returns false (nothing done) otherwise.
     * Arguments as in {@link VectorLstm#forward}'s batch-1 loop: h (read at step 0) and hNext alternate, c is
     * updated (its final value written back at the end).
     */
    static boolean run(PackedLstm w, float[] x, int steps, float[] out, boolean sequences, boolean carried,
                       int chunk, float[] h, float[] hNext, float[] c, int act, int rec) {
        int requested = StepThreads.current();
        if (requested < 2 || steps < 1) {
            return false;
        }
        int panels = w.paddedUnits / L;
        int parts = partsFor(w, requested);
        StepTeam team = wouldSplit(w, steps, parts) ? StepTeams.acquireForSplit(parts) : null;
        if (team == null) {
            return false; // too small, or every team is busy with another caller: run on this thread
        }
        SplitLstm job = MINE.get();
        job.set(w, x, steps, out, sequences, carried, chunk, h, hNext, c, act, rec, panels, parts);
        try {
            StepTeams.runSplit(team, job, steps);
            job.copyCellsBack(parts);
        } finally {
            job.clear();
            StepTeams.release(team);
        }
        return true;
    }

    /** Whether a batch-1 call of {@code steps} steps is large enough to split into {@code parts} parts. */
    static boolean wouldSplit(PackedLstm w, int steps, int parts) {
        long fmas = (long) steps * 4 * w.paddedUnits * (w.in + w.paddedUnits);
        long partStep = 4L * w.paddedUnits * w.paddedUnits / Math.max(1, parts);
        return worthSplitting(parts, fmas, partStep);
    }

    /** The parts a batch-1 call on {@code requested} threads would be cut into. */
    static int partsFor(PackedLstm w, int requested) {
        return parts(requested, w.paddedUnits / L / MIN_PANELS_PER_PART);
    }

    /**
     * Whether a recurrent call of {@code fmas} multiply-adds, {@code partStepFmas} per part and step, is worth
     * splitting into {@code parts} parts (the bounds above; {@link SplitGru} and {@link SplitSimpleRnn} use them too).
     */
    static boolean worthSplitting(int parts, long fmas, long partStepFmas) {
        return parts >= 2 && fmas >= minCallFmas && partStepFmas >= minPartStepFmas;
    }

    /**
     * For tests: the smallest call and part of a step worth splitting ({@link #MIN_CALL_FMAS} and
     * {@link #MIN_PART_STEP_FMAS} by default; 0 and 0 split everything).
     */
    static void setThresholds(long callFmas, long partStepFmas) {
        minCallFmas = callFmas;
        minPartStepFmas = partStepFmas;
    }

    private void set(PackedLstm w, float[] x, int steps, float[] out, boolean sequences, boolean carried,
                     int chunk, float[] h, float[] hNext, float[] c, int act, int rec, int panels,
                     int parts) {
        setCall(x, steps, out, sequences, carried, chunk, h, hNext, act);
        this.w = w;
        this.c = c;
        this.rec = rec;
        cut(bounds, panels, parts);
        for (int q = 0; q < parts; q++) { // each part's own z rows and c slice, apart from the others' lines
            int width = (bounds[q + 1] - bounds[q]) * 4 * L;
            int units = (bounds[q + 1] - bounds[q]) * L;
            if (zOwn[q] == null || zOwn[q].length < Math.multiplyExact(chunk, width) + 2 * PAD) {
                zOwn[q] = new float[chunk * width + 2 * PAD];
            }
            if (cOwn[q] == null || cOwn[q].length < units + 2 * PAD) {
                cOwn[q] = new float[units + 2 * PAD];
            }
            System.arraycopy(c, bounds[q] * L, cOwn[q], PAD, units);
        }
    }

    /** The parts' c slices back into the caller's c (its final state). */
    private void copyCellsBack(int parts) {
        for (int q = 0; q < parts; q++) {
            System.arraycopy(cOwn[q], PAD, c, bounds[q] * L, (bounds[q + 1] - bounds[q]) * L);
        }
    }

    /**
     * Near-equal contiguous ranges of panels, their edges on whole fused blocks where there are enough panels
     * (a part then runs the same blocks as one thread does, and no two parts write the same cache line of h).
     */
    static void cut(int[] bounds, int panels, int parts) {
        int grain = panels >= parts * VectorLstm.BLOCK ? VectorLstm.BLOCK : panels >= parts * 2 ? 2 : 1;
        int groups = (panels + grain - 1) / grain;
        for (int q = 0; q <= parts; q++) {
            bounds[q] = Math.min(panels, (int) ((long) groups * q / parts) * grain);
        }
    }

    @Override
    void clear() {
        super.clear();
        w = null;
        c = null;
    }

    @Override
    public void run(int t, int part) {
        int from = bounds[part];
        int to = bounds[part + 1];
        int in = w.in;
        int width = (to - from) * 4 * L;
        float[] z = zOwn[part];
        int zBase = PAD - from * 4 * L; // column col of this part's row r at zBase + r*width + col
        int t0 = chunkStart(t);
        boolean fuseInput = fusesInput(t0);
        if (!fuseInput && t == t0) {
            PackedGemm.multiplyPanels(x, t0 * in, in, Math.min(chunk, steps - t0), w.kernel, from, to, w.bias, 0, 0,
                    z, zBase, width);
        }
        boolean odd = (t & 1) == 1;
        float[] next = hWritten(t);
        boolean recur = t > 0 || carried; // h is zero only at the first step of a fresh start
        VectorLstm.stepRow(w, fuseInput ? x : null, t * in, z, zBase + (t - t0) * width, recur ? hRead(t) : null, next,
                cOwn[part], PAD - from * L, act, rec, odd, from, to);
        finishStep(next, t, from * L, to * L, w.units);
    }
}
