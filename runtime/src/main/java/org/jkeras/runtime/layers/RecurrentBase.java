package org.jkeras.runtime.layers;

import java.util.ArrayList;
import java.util.List;
import org.jkeras.runtime.tensor.Mask;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;

/**
 * What LSTM, GRU and SimpleRNN share: the flags Keras gives every recurrent layer, the output
 * shape, state checking, and {@code go_backwards} by reversing the input, so each subclass only
 * runs its cell over {@code [batch, steps, in]} forwards.
 *
 * <p>Beyond the sequence, a call may take initial states as extra inputs (Keras's {@code initial_state}: h, and c
 * for an LSTM, each {@code [batch, units]}) and, with {@code return_state}, gives the final states as extra
 * outputs. A mask on the sequence ({@code [batch, time]}) is honoured as Keras's backend {@code rnn} does: at a
 * masked step a row's states stay as they were and its output is the previous step's output (zeros before the
 * first step, or zeros always under {@code zero_output_for_mask}); the last output of a row is the one at the last
 * step, so a post-padded row ends with the output of its last real step. Steps where no row is masked run through
 * the fast kernels in one piece.
 */
public abstract sealed class RecurrentBase extends SingleInputLayer implements RecurrentLayer
        permits Lstm, Gru, SimpleRnn {
    /** Number of units (size of each state per sample). */
    protected final int units;
    /** Input features the kernel expects. */
    protected final int inputSize;
    private final RecurrentOptions options;
    private final boolean returnSequences;
    private final boolean stateful;
    private final boolean goBackwards;
    /** Keras's {@code dropout}: fraction of the inputs dropped in training. */
    protected final double dropout;
    /** Keras's {@code recurrent_dropout}: fraction of h dropped before the recurrent product in training. */
    protected final double recurrentDropout;

    RecurrentBase(String name, String kind, int units, Tensor kernel, RecurrentOptions options) {
        super(name);
        boolean returnSequences = options.returnSequences();
        boolean stateful = options.stateful();
        boolean goBackwards = options.goBackwards();
        double dropout = options.dropout();
        double recurrentDropout = options.recurrentDropout();
        this.options = options;
        if (units <= 0) {
            throw new IllegalArgumentException("layer '" + name + "' (" + kind + "): units must be positive, got "
                    + units);
        }
        this.units = units;
        this.inputSize = kernel.rank() == 2 ? kernel.dim(0) : -1;
        this.returnSequences = returnSequences;
        this.stateful = stateful;
        this.goBackwards = goBackwards;
        if (!(dropout >= 0 && dropout <= 1) || !(recurrentDropout >= 0 && recurrentDropout <= 1)) {
            throw new IllegalArgumentException("layer '" + name + "' (" + kind + "): dropout rates must be in [0, 1],"
                    + " got dropout=" + dropout + ", recurrent_dropout=" + recurrentDropout);
        }
        this.dropout = dropout;
        this.recurrentDropout = recurrentDropout;
    }

    /**
     * Every Keras flag of the layer.
     *
     * @return the options given at construction
     */
    public final RecurrentOptions options() {
        return options;
    }

    /**
     * True when the final states are extra outputs (Keras's {@code return_state}).
     *
     * @return Keras's {@code return_state}
     */
    public final boolean returnState() {
        return options.returnState();
    }

    /**
     * Keras's {@code dropout} rate (used in training only).
     *
     * @return the input dropout rate
     */
    public final double dropout() {
        return dropout;
    }

    /**
     * Keras's {@code recurrent_dropout} rate (used in training only).
     *
     * @return the state dropout rate
     */
    public final double recurrentDropout() {
        return recurrentDropout;
    }

    /**
     * This call's dropout masks, as Keras 3 draws them: none outside training or at rate 0 (or 1, which
     * Keras skips); one input mask, or one per gate when {@code recurrent_dropout} is set (Keras then
     * switches LSTM and GRU to {@code implementation=1}; SimpleRNN always has one of each).
     *
     * @param gates the cell's gate count (4 LSTM, 3 GRU, 1 SimpleRNN)
     */
    final org.jkeras.runtime.kernels.RecurrentDropout dropoutMasks(int batch, int gates, TrainContext ctx) {
        boolean input = ctx.training() && dropout > 0 && dropout < 1;
        boolean recurrent = ctx.training() && recurrentDropout > 0 && recurrentDropout < 1;
        if (!input && !recurrent) {
            return null;
        }
        int inputMasks = recurrentDropout != 0 ? gates : 1;
        return new org.jkeras.runtime.kernels.RecurrentDropout(
                input ? draw(inputMasks, batch * inputSize, dropout, ctx) : null,
                recurrent ? draw(gates, batch * units, recurrentDropout, ctx) : null);
    }

    /** The masks a training forward pass kept, or null when it drew none. */
    static org.jkeras.runtime.kernels.RecurrentDropout savedDropout(Saved saved) {
        return saved.has("dropout") ? saved.getObject("dropout", org.jkeras.runtime.kernels.RecurrentDropout.class)
                : null;
    }

    private static float[][] draw(int count, int size, double rate, TrainContext ctx) {
        float keep = (float) (1.0 / (1.0 - rate));
        float[][] masks = new float[count][size];
        for (float[] m : masks) {
            for (int i = 0; i < size; i++) {
                m[i] = ctx.random().nextDouble() >= rate ? keep : 0f;
            }
        }
        return masks;
    }

    /**
     * Number of units (size of h).
     *
     * @return the size of h
     */
    public final int units() {
        return units;
    }

    /** True when every step's output is returned. */
    @Override
    public final boolean returnSequences() {
        return returnSequences;
    }

    @Override
    public final boolean stateful() {
        return stateful;
    }

    /** True when Keras declared {@code go_backwards}: the steps are read last to first. */
    @Override
    public final boolean goBackwards() {
        return goBackwards;
    }

    @Override
    public final int stateSize() {
        return units;
    }

    @Override
    public final Shape outputShape(Shape input) {
        requireRank(input, 3, "[batch, time, features]");
        if (input.dim(2) != inputSize) {
            throw new IllegalArgumentException(describe() + " has a kernel for " + inputSize
                    + " features but its input is " + input);
        }
        return returnSequences ? Shape.of(input.dim(0), input.dim(1), units) : Shape.of(input.dim(0), units);
    }

    @Override
    public final List<Shape> outputShapes(List<Shape> inputShapes) {
        int n = inputShapes.size();
        if (n != 1 && n != 1 + stateCount()) {
            throw new IllegalArgumentException(describe() + " takes a sequence and optionally its " + stateCount()
                    + " initial state(s), got " + n + " inputs");
        }
        Shape out = outputShape(inputShapes.get(0));
        for (int i = 1; i < n; i++) {
            Shape st = inputShapes.get(i);
            if (st.rank() != 2 || (st.dim(1) != Shape.UNKNOWN && st.dim(1) != units)) {
                throw new IllegalArgumentException(describe() + ": initial state " + (i - 1) + " must be [batch, "
                        + units + "], got " + st);
            }
        }
        if (!returnState()) {
            return List.of(out);
        }
        List<Shape> all = new ArrayList<>();
        all.add(out);
        for (int i = 0; i < stateCount(); i++) {
            all.add(Shape.of(out.dim(0), units));
        }
        return all;
    }

    /** The output mask is the sequence's under {@code return_sequences} (Keras's RNN.compute_mask); states carry none. */
    @Override
    public final List<Boolean> outputsMasked(List<Boolean> inputsMasked, int outputCount) {
        List<Boolean> out = new ArrayList<>(java.util.Collections.nCopies(outputCount, false));
        out.set(0, returnSequences && inputsMasked.get(0));
        return out;
    }

    @Override
    public final List<Mask> outputMasks(List<Tensor> inputs, List<Mask> masks) {
        if (!returnSequences || masks.get(0) == null) {
            return null;
        }
        List<Mask> out = new ArrayList<>(java.util.Collections.nCopies(returnState() ? 1 + stateCount() : 1, null));
        out.set(0, masks.get(0));
        return out;
    }

    @Override
    public final List<Tensor> forward(List<Tensor> inputs) {
        return forwardWithState(inputs, CallContext.NONE, null, false);
    }

    @Override
    public final List<Tensor> forward(List<Tensor> inputs, CallContext ctx) {
        return forwardWithState(inputs, ctx, null, false);
    }

    @Override
    public final List<Tensor> forwardWithState(List<Tensor> inputs, CallContext ctx, float[][] carried,
                                               boolean continuation) {
        Tensor x = inputs.get(0);
        int batch = x.dim(0);
        Mask mask = inputs.size() > 1 && options.keras3InitialState() ? null : ctx.mask(0);
        if (mask != null && mask.allTrue()) {
            mask = null; // nothing masked: Keras's masked loop computes exactly the plain one
        }
        boolean initial = inputs.size() > 1;
        float[][] states = carried;
        if (states != null) {
            RecurrentStates.check(this, states, stateCount(), batch, units);
        } else if (initial || returnState() || mask != null) {
            states = new float[stateCount()][Math.multiplyExact(batch, units)];
        }
        // Keras 3: given initial states replace any carried ones; tf.keras 2 keeps carried ones that are non-zero
        boolean keepCarried = initial && carried != null && !options.keras3InitialState() && anyNonZero(carried);
        if (initial && !keepCarried) {
            if (inputs.size() != 1 + stateCount()) {
                throw new IllegalArgumentException(describe() + " takes " + stateCount() + " initial state(s), got "
                        + (inputs.size() - 1));
            }
            for (int i = 0; i < stateCount(); i++) {
                Tensor s = inputs.get(1 + i);
                if (s.rank() != 2 || s.dim(0) != batch || s.dim(1) != units) {
                    throw new IllegalArgumentException(describe() + ": initial state " + i + " must be [" + batch
                            + ", " + units + "], got " + Shape.format(s.shape()));
                }
                System.arraycopy(s.data(), 0, states[i], 0, states[i].length);
            }
        }
        Tensor out = mask == null ? run(x, states) : runMasked(x, mask, states, continuation && carried != null);
        if (!returnState()) {
            return List.of(out);
        }
        List<Tensor> all = new ArrayList<>(1 + stateCount());
        all.add(out);
        for (float[] s : states) {
            all.add(Tensor.of(s, batch, units));
        }
        return all;
    }

    @Override
    public final void forwardInto(List<Tensor> inputs, CallContext ctx, List<Tensor> outputs) {
        forwardWithStateInto(inputs, ctx, null, false, outputs);
    }

    /**
     * The plain call (one sequence, no mask, no states returned, read forwards) runs the cell straight into the
     * output buffer; every other form computes fresh tensors and copies them.
     */
    @Override
    public final void forwardWithStateInto(List<Tensor> inputs, CallContext ctx, float[][] carried,
                                           boolean continuation, List<Tensor> outputs) {
        Mask mask = ctx.mask(0);
        if (inputs.size() == 1 && outputs.size() == 1 && !goBackwards && (mask == null || mask.allTrue())) {
            Tensor x = inputs.get(0);
            if (carried != null) {
                RecurrentStates.check(this, carried, stateCount(), x.dim(0), units);
            }
            runInto(x, outputs.get(0), carried);
        } else {
            OutputCopy.copy(this, forwardWithState(inputs, ctx, carried, continuation), outputs);
        }
    }

    @Override
    public final void applyInto(Tensor input, Tensor output) {
        if (goBackwards) {
            super.applyInto(input, output);
        } else {
            runInto(input, output, null);
        }
    }

    /** Runs the cell forwards over {@code input} into {@code output}, checked to be the size the cell writes. */
    private void runInto(Tensor input, Tensor output, float[][] states) {
        int batch = input.dim(0);
        int steps = input.dim(1);
        long size = (returnSequences ? (long) batch * steps : batch) * units;
        if (output.size() != size) {
            throw new IllegalStateException(describe() + ": an output buffer of " + output.size() + " values for "
                    + size);
        }
        runCell(input.data(), batch, steps, output.data(), states);
    }

    private static boolean anyNonZero(float[][] states) {
        for (float[] s : states) {
            for (float v : s) {
                if (v != 0f) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public final Tensor apply(Tensor input) {
        return run(input, null);
    }

    /** Runs from the given states (each [batch, units]) and leaves the final ones there. */
    @Override
    public final Tensor applyWithState(Tensor input, float[][] states) {
        RecurrentStates.check(this, states, stateCount(), input.dim(0), units);
        return run(input, states);
    }

    /**
     * The masked run (see the class comment), in processing order.
     *
     * @param states        the states to start from and update (never null here)
     * @param lastFromState true when this call continues a sequence (a streaming session): the output a leading
     *                      masked step repeats is the carried h, as in one call over the whole sequence; false for
     *                      Keras's call semantics (zeros)
     */
    private Tensor runMasked(Tensor input, Mask mask, float[][] states, boolean lastFromState) {
        if (mask.rank() != 2 || mask.dim(0) != input.dim(0) || mask.dim(1) != input.dim(1)) {
            throw new IllegalArgumentException(describe() + ": a mask " + Shape.format(mask.shape())
                    + " does not fit the sequence " + Shape.format(input.shape()));
        }
        if (goBackwards) {
            input = TimeAxis.reversed(input);
            mask = mask.reversedTime();
        }
        int batch = input.dim(0);
        int steps = input.dim(1);
        int bu = batch * units;
        float[] x = input.data();
        float[] out = new float[Math.multiplyExact(returnSequences ? batch * steps : batch, units)];
        float[] last = lastFromState ? states[0].clone() : new float[bu]; // per row: the output last emitted
        boolean zero = options.zeroOutputForMask();
        float[][] before = new float[states.length][];
        int t = 0;
        while (t < steps) {
            int kind = stepKind(mask, batch, t);
            if (kind == ALL) { // a run of steps where every row is real: one kernel call
                int t1 = t + 1;
                while (t1 < steps && stepKind(mask, batch, t1) == ALL) {
                    t1++;
                }
                int len = t1 - t;
                float[] piece = slice(x, batch, steps, t, len);
                float[] pieceOut = new float[Math.multiplyExact(returnSequences ? batch * len : batch, units)];
                runCell(piece, batch, len, pieceOut, states);
                if (returnSequences) {
                    for (int b = 0; b < batch; b++) {
                        System.arraycopy(pieceOut, b * len * units, out, (b * steps + t) * units, len * units);
                    }
                }
                System.arraycopy(states[0], 0, last, 0, bu); // every cell here outputs its h
                t = t1;
                continue;
            }
            if (kind == SOME) {
                for (int i = 0; i < states.length; i++) {
                    before[i] = states[i].clone();
                }
                float[] stepOut = new float[bu];
                runCell(slice(x, batch, steps, t, 1), batch, 1, stepOut, states);
                for (int b = 0; b < batch; b++) {
                    int r = b * units;
                    if (mask.get(b, t)) {
                        System.arraycopy(stepOut, r, last, r, units);
                    } else {
                        for (int i = 0; i < states.length; i++) { // a masked row keeps its states
                            System.arraycopy(before[i], r, states[i], r, units);
                        }
                        if (zero) {
                            java.util.Arrays.fill(last, r, r + units, 0f);
                        }
                    }
                }
            } else if (zero) { // NONE: every row masked, states untouched
                java.util.Arrays.fill(last, 0f);
            }
            if (returnSequences) {
                for (int b = 0; b < batch; b++) {
                    System.arraycopy(last, b * units, out, (b * steps + t) * units, units);
                }
            }
            t++;
        }
        if (!returnSequences) {
            System.arraycopy(last, 0, out, 0, bu);
        }
        return returnSequences ? Tensor.wrap(out, batch, steps, units) : Tensor.wrap(out, batch, units);
    }

    private static final int ALL = 0;
    private static final int SOME = 1;
    private static final int NONE = 2;

    /** Whether every row, some rows or no row is real (unmasked) at step {@code t}. */
    private static int stepKind(Mask mask, int batch, int t) {
        int real = 0;
        for (int b = 0; b < batch; b++) {
            if (mask.get(b, t)) {
                real++;
            }
        }
        return real == batch ? ALL : real == 0 ? NONE : SOME;
    }

    /** Steps {@code t .. t+len-1} of x [batch, steps, in] as a fresh [batch, len, in]. */
    private float[] slice(float[] x, int batch, int steps, int t, int len) {
        float[] piece = new float[Math.multiplyExact(batch * len, inputSize)];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(x, (b * steps + t) * inputSize, piece, b * len * inputSize, len * inputSize);
        }
        return piece;
    }

    private Tensor run(Tensor input, float[][] states) {
        if (goBackwards) {
            input = TimeAxis.reversed(input); // a cheap copy, so the kernels only ever run forwards
        }
        int batch = input.dim(0);
        int steps = input.dim(1);
        float[] out = new float[Math.toIntExact((returnSequences ? (long) batch * steps : batch) * units)];
        runCell(input.data(), batch, steps, out, states);
        return returnSequences ? Tensor.wrap(out, batch, steps, units) : Tensor.wrap(out, batch, units);
    }

    @Override
    public final List<Tensor> forwardTrain(List<Tensor> inputs, float[][] weights, Saved saved, TrainContext ctx) {
        String refusal = trainingRefusal(inputs.size());
        if (refusal != null) {
            throw new IllegalArgumentException(refusal);
        }
        return List.of(applyTrain(inputs.get(0), weights, saved, ctx));
    }

    /**
     * Why this layer cannot be trained as configured, or null when it can: initial states given as inputs and
     * final states returned as outputs have no backward pass yet (the kernels stop gradients at the states).
     *
     * @param inputCount the number of inputs the layer is called on (more than one: initial states)
     * @return the refusal, or null
     */
    @Override
    public final String trainingRefusal(int inputCount) {
        return inputCount == 1 && !returnState() ? null : describe() + ": training a recurrent layer with"
                + " return_state outputs or initial_state inputs is not supported yet";
    }

    @Override
    public final Tensor applyTrain(Tensor input, float[][] weights, Saved saved, TrainContext ctx) {
        float[][] states = ctx.states();
        if (states != null) {
            RecurrentStates.check(this, states, stateCount(), input.dim(0), units);
        }
        if (goBackwards) {
            input = TimeAxis.reversed(input);
        }
        int batch = input.dim(0);
        int steps = input.dim(1);
        float[] out = new float[Math.toIntExact((returnSequences ? (long) batch * steps : batch) * units)];
        saved.putObject("batch_steps", new int[] {batch, steps});
        trainCell(input.data(), batch, steps, out, weights, states, saved, ctx);
        return returnSequences ? Tensor.wrap(out, batch, steps, units) : Tensor.wrap(out, batch, units);
    }

    @Override
    public final Tensor backpropagate(Tensor outputGrad, float[][] weights, float[][] grads, Saved saved,
                                      boolean needInputGrad) {
        int[] bs = saved.getObject("batch_steps", int[].class);
        float[] dx = needInputGrad ? new float[Math.multiplyExact(bs[0] * bs[1], inputSize)] : null;
        backwardCell(outputGrad.data(), bs[0], bs[1], weights, grads, saved, dx);
        if (dx == null) {
            return null;
        }
        Tensor t = Tensor.wrap(dx, bs[0], bs[1], inputSize);
        return goBackwards ? TimeAxis.reversed(t) : t; // back to the caller's step order
    }

    /**
     * The training forward pass of the cell over {@code [batch, steps, in]} (already reversed for
     * {@code go_backwards}), with the given weights, keeping its tape in {@code saved}.
     *
     * @param states {@link #stateCount()} arrays [batch, units] to start from and overwrite with the final
     *               states, or null for zero
     */
    abstract void trainCell(float[] x, int batch, int steps, float[] out, float[][] weights, float[][] states,
                            Saved saved, TrainContext ctx);

    /**
     * The backward pass of {@link #trainCell}: adds weight gradients into {@code grads}, writes the input
     * gradient into {@code dx} ([batch, steps, in], in the cell's step order) unless it is null.
     */
    abstract void backwardCell(float[] dOut, int batch, int steps, float[][] weights, float[][] grads, Saved saved,
                               float[] dx);

    /**
     * Runs the cell forwards.
     *
     * @param x      [batch, steps, in]
     * @param out    [batch, steps, units] when returning sequences, else [batch, units]
     * @param states {@link #stateCount()} arrays [batch, units] to start from and update, or null for zero
     */
    abstract void runCell(float[] x, int batch, int steps, float[] out, float[][] states);

    /** A fresh zero state when none is carried. */
    static float[] stateOrZero(float[][] states, int i, int size) {
        return states != null ? states[i] : new float[size];
    }
}
