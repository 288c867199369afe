package org.jkeras.runtime.kernels;

/**
 * Two independent pieces of work run at once, the second on a helper of a free two-part {@link StepTeam}: the two
 * directions of a Bidirectional layer at batch 1, where the batch cannot be split and each direction is a sequence
 * of dependent steps. No barrier inside either piece, so even layers too small for the per-step split
 * ({@link SplitLstm}) gain. Only when the calling thread asked for 2+ threads ({@link StepThreads}); otherwise, or
 * when no team is free, one after the other on the calling thread. The pieces must not share mutable state; what
 * each computes does not depend on the thread that runs it.
 */
public final class PairRun {
    /** Multiply-adds per piece below which waking a helper (a few µs) costs more than it saves. */
    static final long MIN_FMAS = 1 << 17;
    private static final ThreadLocal<Pair> MINE = ThreadLocal.withInitial(Pair::new);
    private static volatile long minFmas = MIN_FMAS;

    private PairRun() {
    }

    /**
     * Runs {@code first} and {@code second}, at once when this thread asked for more than one thread and a helper is
     * free, else in that order; returns when both are done.
     *
     * @param fmas about how many multiply-adds each piece takes (below {@link #MIN_FMAS} they run in turn)
     * @throws RuntimeException or Error: what a piece threw
     */
    public static void run(Runnable first, Runnable second, long fmas) {
        if (!tryRun(first, second, fmas)) {
            first.run();
            second.run();
        }
    }

    /**
     * Runs {@code first} and {@code second} at once, as {@link #run} does, or nothing.
     *
     * @param fmas about how many multiply-adds each piece takes
     * @return false, having run nothing, when this thread asked for one thread, the pieces are below
     *         {@link #MIN_FMAS}, or no helper is free
     * @throws RuntimeException or Error: what a piece threw
     */
    public static boolean tryRun(Runnable first, Runnable second, long fmas) {
        if (StepThreads.current() < 2 || fmas < minFmas) {
            return false;
        }
        StepTeam team = StepTeams.acquireForSplit(2);
        if (team == null) { // every team is busy, or the cores are
            return false;
        }
        Pair job = MINE.get();
        job.first = first;
        job.second = second;
        int previous = StepThreads.set(1); // the caller's piece keeps to its core: the helper has the other
        try {
            StepTeams.runSplit(team, job, 1);
        } finally {
            StepThreads.restore(previous);
            job.first = null;
            job.second = null;
            StepTeams.release(team);
        }
        return true;
    }

    /** For tests: the smallest piece worth a helper ({@link #MIN_FMAS} by default; 0 runs every pair at once). */
    static void setThreshold(long fmas) {
        minFmas = fmas;
    }

    /** The team's job: part 0 runs the first piece, part 1 the second; reused by its calling thread. */
    private static final class Pair implements StepTeam.Job {
        private Runnable first;
        private Runnable second;

        @Override
        public void run(int phase, int part) {
            (part == 0 ? first : second).run();
        }
    }
}
