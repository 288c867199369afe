package org.jkeras.runtime.kernels;

/**
 * Two stacked LSTM layers of a batch-1 call run at once, one per core: the second layer's step t starts as soon as
 * the first has written its output row t ({@link StepGate}), so the layers overlap but for one step, where each
 * alone is too small to split by gate columns ({@link SplitLstm}: LSTM(64) steps take about as long as a barrier).
 * S2's shape, LSTM(64) → LSTM(64). The pair runs on a {@link PairRun} (the first layer on the calling thread), so it
 * needs 2+ requested threads and a free helper; otherwise the caller runs the layers one after the other as usual.
 * The second layer takes its input rows in groups of {@link StepGate#GRAIN}; when the first layer is the lighter,
 * its core also computes part of the second's input projection ({@link #writerShare}). The results are bit for bit
 * those of one thread either way.
 */
public final class LstmPipeline {
    private static final ThreadLocal<Pipe> MINE = ThreadLocal.withInitial(Pipe::new);

    private LstmPipeline() {
    }

    /**
     * Runs {@code first} over {@code x} ({@code [1, steps, first.in]}, every step's output into {@code mid}) and
     * {@code second} over {@code mid} (into {@code out}), at once when that pays; each from its carried states (a
     * session's h and c, read and then overwritten with its final ones) or from zero.
     *
     * @param mid          [steps, first.units], written
     * @param out          [steps, second.units] when {@code sequences}, else [second.units], written
     * @param firstStates  the first layer's {h, c}, each [first.units], or null for zero
     * @param secondStates the second layer's {h, c}, each [second.units], or null for zero
     * @return false, having run nothing, when the pair is not for a pipeline (fewer than 2 threads asked for, a
     *         single step, a layer large enough to split its steps instead, other lanes, or no helper free): run
     *         the layers in turn
     */
    public static boolean run(PackedLstm first, float[] x, int steps, float[] mid, PackedLstm second, float[] out,
                              boolean sequences, float[][] firstStates, float[][] secondStates) {
        int requested = StepThreads.current();
        if (requested < 2 || steps < 2 || first.lanes != Kernels.lanes() || second.lanes != Kernels.lanes()
                || SplitLstm.wouldSplit(first, steps, SplitLstm.partsFor(first, requested))
                || SplitLstm.wouldSplit(second, steps, SplitLstm.partsFor(second, requested))) {
            return false;
        }
        Pipe pipe = MINE.get();
        pipe.set(first, x, steps, mid, second, out, sequences, firstStates, secondStates);
        int share = writerShare(first, second);
        long projected = (long) steps * 4 * second.paddedUnits;
        if (share > 0 && projected <= VectorLstm.CHUNK_FLOATS) {
            pipe.gate.projectFor(second, mid, pipe.projected((int) projected), steps, share);
        }
        try {
            long fmas = (long) steps * 4 * Math.min(first.paddedUnits * (first.in + first.paddedUnits),
                    second.paddedUnits * (second.in + second.paddedUnits));
            // no helper free: the layers run in turn, ungated (one input GEMM over all steps is cheaper)
            return PairRun.tryRun(pipe.producer, pipe.consumer, fmas);
        } finally {
            pipe.clear();
        }
    }

    /**
     * The panels of the second layer's input projection the first layer's core computes, so that both cores get
     * about equal work: per step the first costs {@code u1·(u1 + in1)} multiply-adds, the second
     * {@code u2·(u2 + in2)}, of which {@code u2·in2} is the projection; the writer takes half the difference. 0 when
     * the first layer is the heavier one. S2 (LSTM(64) on 8 inputs, then on 64): 2 of 4 panels, measured 57 → 54 µs
     * in one JVM, 2-vCPU AVX-512 Xeon (the whole projection on the writer: 61 µs).
     */
    static int writerShare(PackedLstm first, PackedLstm second) {
        int panels = second.paddedUnits / second.lanes;
        double a = (double) first.paddedUnits * (first.paddedUnits + first.in);
        double b = (double) second.paddedUnits * (second.paddedUnits + second.in);
        double projection = (double) second.paddedUnits * second.in;
        return projection == 0 ? 0 : (int) Math.min(panels, Math.round(panels * Math.max(0, b - a) / (2 * projection)));
    }

    /** One caller's pipeline: the two halves as reusable runnables, so a call allocates none. */
    private static final class Pipe {
        private final StepGate gate = new StepGate();
        private PackedLstm first;
        private PackedLstm second;
        private float[] x;
        private float[] mid;
        private float[] out;
        private int steps;
        private boolean sequences;
        private float[][] firstStates;
        private float[][] secondStates;
        private float[] projected = new float[0];
        final Runnable producer = this::produce;
        final Runnable consumer = this::consume;

        void set(PackedLstm first, float[] x, int steps, float[] mid, PackedLstm second, float[] out,
                 boolean sequences, float[][] firstStates, float[][] secondStates) {
            this.firstStates = firstStates;
            this.secondStates = secondStates;
            this.first = first;
            this.x = x;
            this.steps = steps;
            this.mid = mid;
            this.second = second;
            this.out = out;
            this.sequences = sequences;
            gate.reset();
        }

        /** The second layer's projected input, grown to the largest call so far (at most a chunk's). */
        float[] projected(int floats) {
            if (projected.length < floats) {
                projected = new float[floats];
            }
            return projected;
        }

        void clear() {
            first = null;
            second = null;
            x = null;
            mid = null;
            out = null;
            firstStates = null;
            secondStates = null;
        }

        private void produce() {
            boolean done = false;
            try {
                VectorLstm.forward(first, x, 1, steps, mid, true, h(firstStates), c(firstStates),
                        VectorLstm.CHUNK_FLOATS, null, gate);
                done = true;
            } finally {
                if (!done) {
                    gate.fail(); // the consumer must not wait for rows that will not come
                }
            }
        }

        private void consume() {
            VectorLstm.forward(second, mid, 1, steps, out, sequences, h(secondStates), c(secondStates),
                    VectorLstm.CHUNK_FLOATS, gate, null);
        }

        private static float[] h(float[][] states) {
            return states == null ? null : states[0];
        }

        private static float[] c(float[][] states) {
            return states == null ? null : states[1];
        }
    }
}
