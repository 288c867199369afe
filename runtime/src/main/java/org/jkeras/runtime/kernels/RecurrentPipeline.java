package org.jkeras.runtime.kernels;

/**
 * Two stacked recurrent layers of a batch-1 call run at once, one per core: the second layer's step t starts as soon
 * as the first has written its output row t ({@link StepGate}), so the layers overlap but for one step, where each
 * alone is too small to split by gate columns ({@link SplitLstm}, {@link SplitGru}, {@link SplitSimpleRnn}: a
 * LSTM(64) step takes about as long as a barrier). Either layer may be an LSTM, a GRU (either {@code reset_after})
 * or a SimpleRNN on packed weights; S2's shape is LSTM(64) → LSTM(64). The pair runs on a {@link PairRun} (the first
 * layer on the calling thread), so it needs 2+ requested threads and a free helper; otherwise the caller runs the
 * layers one after the other as usual. The second layer takes its input rows in groups of {@link StepGate#GRAIN};
 * when the first is the lighter and the second an LSTM or GRU, the first core also computes part of the second's
 * input projection ({@link #writerShare}). The results are bit for bit those of one thread either way.
 */
public final class RecurrentPipeline {
    private static final ThreadLocal<Pipe> MINE = ThreadLocal.withInitial(Pipe::new);

    private RecurrentPipeline() {
    }

    /**
     * Runs {@code first} over {@code x} ({@code [1, steps, first's inputs]}, every step's output into {@code mid})
     * and {@code second} over {@code mid} (into {@code out}), at once when that pays; each from its carried states
     * (a session's, read and then overwritten with its final ones) or from zero.
     *
     * @param first        the first layer's packed weights: a {@link PackedLstm}, {@link PackedGru} or
     *                     {@link PackedSimpleRnn}
     * @param mid          [steps, first's units], written
     * @param second       the second layer's, of the same three kinds
     * @param out          [steps, second's units] when {@code sequences}, else [second's units], written
     * @param firstStates  the first layer's states ({h, c} for an LSTM, {h} otherwise, each of its units), or null
     *                     for zero
     * @param secondStates the second layer's, or null for zero
     * @return false, having run nothing, when the pair is not for a pipeline (fewer than 2 threads asked for, a
     *         single step, a layer large enough to split its steps instead, other lanes, or no helper free): run
     *         the layers in turn
     * @throws IllegalArgumentException when a layer's weights are of none of the three kinds
     */
    public static boolean run(Object first, float[] x, int steps, float[] mid, Object second, float[] out,
                              boolean sequences, float[][] firstStates, float[][] secondStates) {
        int requested = StepThreads.current();
        if (requested < 2 || steps < 2 || lanes(first) != Kernels.lanes() || lanes(second) != Kernels.lanes()
                || splitsSteps(first, steps, requested) || splitsSteps(second, steps, requested)) {
            return false;
        }
        Pipe pipe = MINE.get();
        pipe.set(first, x, steps, mid, second, out, sequences, firstStates, secondStates);
        int share = writerShare(first, second);
        long projected = (long) steps * kernel(second).columns();
        if (share > 0 && projected <= VectorLstm.CHUNK_FLOATS) {
            pipe.gate.projectFor(kernel(second), bias(second), mid, pipe.projected((int) projected), steps, share);
        }
        try {
            long fmas = steps * Math.min(stepFmas(first), stepFmas(second));
            // no helper free: the layers run in turn, ungated (one input GEMM over all steps is cheaper)
            return PairRun.tryRun(pipe.producer, pipe.consumer, fmas);
        } finally {
            pipe.clear();
        }
    }

    /**
     * The panels of the second layer's input projection the first layer's core computes, so that both cores get
     * about equal work: per step the first costs {@code a} multiply-adds, the second {@code b}, of which
     * {@code columns·in} are the projection; the writer takes half the difference. 0 when the first layer is the
     * heavier one, or the second a SimpleRNN (whose consumer projects all of its input). S2 (LSTM(64) on 8 inputs,
     * then on 64): 2 of 4 panels, measured 57 → 54 µs in one JVM, 2-vCPU AVX-512 Xeon (the whole projection on the
     * writer: 61 µs).
     */
    static int writerShare(Object first, Object second) {
        if (!(second instanceof PackedLstm || second instanceof PackedGru)) {
            return 0;
        }
        PackedMatrix w = kernel(second);
        int panels = w.columns() / w.panelWidth();
        double a = stepFmas(first);
        double b = stepFmas(second);
        double projection = (double) w.columns() * w.rows();
        return projection == 0 ? 0 : (int) Math.min(panels, Math.round(panels * Math.max(0, b - a) / (2 * projection)));
    }

    /**
     * The layer's packed input kernel W, [in, gate columns padded to whole panels]: its shape gives the layer's inputs,
     * its columns and, through the panel width (4 vectors), the lanes it was packed for.
     */
    private static PackedMatrix kernel(Object w) {
        return switch (w) {
            case PackedLstm l -> l.kernel;
            case PackedGru g -> g.kernel;
            case PackedSimpleRnn s -> s.kernel;
            default -> throw notRecurrent(w);
        };
    }

    /** The layer's packed recurrent kernel U, [padded units, gate columns]. */
    private static PackedMatrix recurrentKernel(Object w) {
        return switch (w) {
            case PackedLstm l -> l.recurrentKernel;
            case PackedGru g -> g.recurrentKernel;
            case PackedSimpleRnn s -> s.recurrentKernel;
            default -> throw notRecurrent(w);
        };
    }

    /** The bias the input projection starts from, [gate columns]. */
    private static float[] bias(Object w) {
        return switch (w) {
            case PackedLstm l -> l.bias;
            case PackedGru g -> g.bias;
            case PackedSimpleRnn s -> s.bias;
            default -> throw notRecurrent(w);
        };
    }

    private static int lanes(Object w) {
        return kernel(w).panelWidth() / 4;
    }

    /** Whether the layer is large enough to split each of its steps across the cores instead. */
    private static boolean splitsSteps(Object w, int steps, int requested) {
        return switch (w) {
            case PackedLstm l -> SplitLstm.wouldSplit(l, steps, SplitLstm.partsFor(l, requested));
            case PackedGru g -> SplitGru.wouldSplit(g, steps, SplitGru.partsFor(g, requested));
            case PackedSimpleRnn s -> SplitSimpleRnn.wouldSplit(s, steps, SplitSimpleRnn.partsFor(s, requested));
            default -> throw notRecurrent(w);
        };
    }

    /** Multiply-adds of one step (input projection and recurrent product). */
    private static long stepFmas(Object w) {
        return (long) kernel(w).columns() * (kernel(w).rows() + recurrentKernel(w).rows());
    }

    /** One layer's batch-1 run from its states, reading its input through {@code in}, publishing through {@code out}. */
    private static void forward(Object w, float[] x, int steps, float[] y, boolean sequences, float[][] states,
                                StepGate in, StepGate out) {
        float[] h = states == null ? null : states[0];
        switch (w) {
            case PackedLstm l -> VectorLstm.forward(l, x, 1, steps, y, sequences, h, states == null ? null : states[1],
                    VectorLstm.CHUNK_FLOATS, in, out);
            case PackedGru g -> VectorGru.forward(g, x, 1, steps, y, sequences, h, VectorLstm.CHUNK_FLOATS, in, out);
            case PackedSimpleRnn s -> VectorSimpleRnn.forward(s, x, 1, steps, y, sequences, h, VectorLstm.CHUNK_FLOATS,
                    in, out);
            default -> throw notRecurrent(w);
        }
    }

    private static IllegalArgumentException notRecurrent(Object w) {
        return new IllegalArgumentException("a pipelined pair takes packed LSTM, GRU or SimpleRNN weights, not "
                + (w == null ? "null" : w.getClass().getSimpleName()));
    }

    /** One caller's pipeline: the two halves as reusable runnables, so a call allocates none. */
    private static final class Pipe {
        private final StepGate gate = new StepGate();
        private Object first;
        private Object second;
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

        void set(Object first, float[] x, int steps, float[] mid, Object second, float[] out,
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
                forward(first, x, steps, mid, true, firstStates, null, gate);
                done = true;
            } finally {
                if (!done) {
                    gate.fail(); // the consumer must not wait for rows that will not come
                }
            }
        }

        private void consume() {
            forward(second, mid, steps, out, sequences, secondStates, gate, null);
        }
    }
}
