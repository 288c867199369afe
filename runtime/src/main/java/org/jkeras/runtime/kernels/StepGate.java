package org.jkeras.runtime.kernels;

import java.util.concurrent.locks.LockSupport;

/**
 * How many output rows of a pipeline's first layer are written, for the second layer to read ({@link LstmPipeline}):
 * one writer, one reader, one volatile count. The reader spins (the next row is about a microsecond away), then
 * yields and parks briefly; it never waits forever: a writer that failed says so ({@link #fail}), and one that made
 * no progress for {@link StepTeam#stallNanos} fails the reader's wait with an {@link IllegalStateException}.
 */
final class StepGate {
    private volatile int published;
    private volatile boolean failed;

    /** Ready for a new call: nothing published. */
    void reset() {
        published = 0;
        failed = false;
    }

    /** Rows {@code 0 .. rows-1} are written (their writes happen-before a reader's {@link #await} returns). */
    void publish(int rows) {
        published = rows;
    }

    /** The writer stopped short: a waiting reader gives up instead of waiting for rows that will not come. */
    void fail() {
        failed = true;
    }

    /**
     * Returns once {@code rows} rows are published.
     *
     * @throws IllegalStateException when the writer failed, or stalled past {@link StepTeam#stallNanos}
     */
    void await(int rows) {
        if (published >= rows) {
            return;
        }
        long start = System.nanoTime();
        int seen = published;
        long since = start;
        while (published < rows) {
            if (failed) {
                throw new IllegalStateException("the first layer of a pipelined pair failed; its rows will not come");
            }
            long now = System.nanoTime();
            int p = published;
            if (p != seen) { // progress: the writer is alive
                seen = p;
                since = now;
            } else if (now - since > StepTeam.stallNanos) {
                throw new IllegalStateException("the first layer of a pipelined pair made no progress for "
                        + (now - since) / 1_000_000 + " ms");
            }
            long waited = now - start;
            if (waited < StepTeam.PHASE_SPIN_NANOS) {
                Thread.onSpinWait();
            } else if (waited < StepTeam.PHASE_YIELD_NANOS) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(50_000);
            }
        }
    }
}
