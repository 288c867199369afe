package org.jkeras.runtime.kernels;

/**
 * How many threads the calling thread lets a batch-1 recurrence use ({@code Model.predict(inputs, threads)} and
 * {@code Session.predict(inputs, threads)} set it around one call): the recurrent kernels then split each step's
 * gate columns across a {@link StepTeam}. 1 (the default) keeps everything on the calling thread. Results are
 * bit-identical either way; the setting only changes where the work runs.
 */
public final class StepThreads {
    private static final ThreadLocal<int[]> REQUESTED = ThreadLocal.withInitial(() -> new int[] {1});

    private StepThreads() {
    }

    /**
     * Lets this thread's batch-1 recurrences use up to {@code threads} threads until {@link #restore}.
     *
     * @param threads at least 1
     * @return the previous setting, for {@link #restore}
     */
    public static int set(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        int[] r = REQUESTED.get();
        int previous = r[0];
        r[0] = threads;
        return previous;
    }

    /**
     * Puts back the setting {@link #set} returned.
     *
     * @param previous the value {@link #set} returned
     */
    public static void restore(int previous) {
        REQUESTED.get()[0] = previous;
    }

    /**
     * This thread's setting.
     *
     * @return the most threads this thread's current call asked for (1 unless set)
     */
    public static int current() {
        return REQUESTED.get()[0];
    }
}
