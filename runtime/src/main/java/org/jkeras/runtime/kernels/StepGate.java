package org.jkeras.runtime.kernels;

import java.util.concurrent.locks.LockSupport;

/**
 * How many output rows of a pipeline's first layer are written, for the second layer to read ({@link RecurrentPipeline}):
 * one writer, one reader, one volatile count. The reader spins (the next row is about a microsecond away), then
 * yields and parks briefly; it never waits forever: a writer that failed says so ({@link #fail}), and one that made
 * no progress for {@link StepTeam#stallNanos} fails the reader's wait with an {@link IllegalStateException}.
 * Optionally the writer also computes part of the reader's input projection before it publishes ({@link #projectFor}).
 */
final class StepGate {
    /** Rows per GEMM of the reader's input projection: the AVX-512 micro-kernel's height reads W once per group. */
    static final int GRAIN = 6;
    private volatile int published;
    private volatile boolean failed;
    // the reader's input projection rows·W + bias, partly done by the writer (kernel null: the reader does all of it)
    private PackedMatrix kernel;
    private float[] bias;
    private float[] rows;
    private float[] projected;
    private int total;
    private int writerPanels;
    private int done;

    /** Ready for a new call: nothing published, the reader projects its own input. */
    void reset() {
        published = 0;
        failed = false;
        kernel = null;
        bias = null;
        rows = null;
        projected = null;
        writerPanels = 0;
        done = 0;
    }

    /**
     * The writer also computes panels {@code 0 .. writerPanels-1} of the reader's input projection
     * {@code rows·kernel + bias} into {@code projected} ([total, columns]), {@link #GRAIN} rows per GEMM, and
     * publishes rows once those panels of them are done; the reader computes the other panels of each group. That
     * moves work to the writer's core when the writer's layer is the lighter one (S2: input 8 against 64). Each
     * column's arithmetic is the same whoever computes it.
     *
     * @param kernel the reader's packed input kernel, [in, columns]
     * @param bias   its bias, [columns], the projection's initial value
     */
    void projectFor(PackedMatrix kernel, float[] bias, float[] rows, float[] projected, int total, int writerPanels) {
        this.kernel = kernel;
        this.bias = bias;
        this.rows = rows;
        this.projected = projected;
        this.total = total;
        this.writerPanels = writerPanels;
        this.done = 0;
    }

    /** The reader's input projection ({@link #projectFor}), or null when the reader projects its own input. */
    float[] projected() {
        return projected;
    }

    /** Rows {@code 0 .. rows-1} are written (their writes happen-before a reader's {@link #await} returns). */
    void publish(int rows) {
        if (kernel == null) {
            published = rows;
        } else if (rows - done >= GRAIN || rows == total) {
            int in = kernel.rows();
            int columns = kernel.columns();
            PackedGemm.multiplyPanels(this.rows, done * in, in, rows - done, kernel, 0, writerPanels, bias, 0, 0,
                    projected, done * columns, columns);
            done = rows;
            published = rows;
        }
    }

    /**
     * A batch-1 layer's input projection {@code x·kernel + bias} for input rows {@code row .. row+count-1}, into
     * {@code z} from {@code zOff} (row stride: the kernel's columns): with a gate (a pipeline's consumer), once the writer
     * has published those rows, and only for the panels the writer leaves when it projects a share
     * ({@link #projectFor}: {@code z} must then be {@link #projected()}); without one, all panels unless
     * {@code fused} (the step computes its own row).
     */
    static void projectRows(StepGate gate, float[] x, int row, int count, PackedMatrix kernel, float[] bias,
                            float[] z, int zOff, boolean fused) {
        int in = kernel.rows();
        int columns = kernel.columns();
        if (gate != null) {
            gate.await(row + count);
            if (gate.projected != null) {
                int panels = columns / kernel.panelWidth();
                if (gate.writerPanels < panels) {
                    PackedGemm.multiplyPanels(x, row * in, in, count, kernel, gate.writerPanels, panels, bias, 0, 0,
                            z, zOff, columns);
                }
                return;
            }
        }
        if (!fused) {
            PackedGemm.multiply(x, row * in, in, count, kernel, bias, 0, 0, z, zOff, columns);
        }
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
