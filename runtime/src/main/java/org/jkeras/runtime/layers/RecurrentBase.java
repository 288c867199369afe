package org.jkeras.runtime.layers;

import org.jkeras.runtime.Shape;
import org.jkeras.runtime.Tensor;

/**
 * What LSTM, GRU and SimpleRNN share: the flags Keras gives every recurrent layer, the output
 * shape, state checking, and {@code go_backwards} by reversing the input, so each subclass only
 * runs its cell over {@code [batch, steps, in]} forwards.
 */
public abstract sealed class RecurrentBase extends SingleInputLayer implements RecurrentLayer
        permits Lstm, Gru, SimpleRnn {
    /** Number of units (size of each state per sample). */
    protected final int units;
    /** Input features the kernel expects. */
    protected final int inputSize;
    private final boolean returnSequences;
    private final boolean stateful;
    private final boolean goBackwards;
    /** Keras's {@code dropout}: fraction of the inputs dropped in training. */
    protected final double dropout;
    /** Keras's {@code recurrent_dropout}: fraction of h dropped before the recurrent product in training. */
    protected final double recurrentDropout;

    RecurrentBase(String name, String kind, int units, Tensor kernel, boolean returnSequences, boolean stateful,
                  boolean goBackwards, double dropout, double recurrentDropout) {
        super(name);
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

    /** Keras's {@code dropout} rate (used in training only). */
    public final double dropout() {
        return dropout;
    }

    /** Keras's {@code recurrent_dropout} rate (used in training only). */
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

    /** Number of units (size of h). */
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
    public final Tensor apply(Tensor input) {
        return run(input, null);
    }

    /** Runs from the given states (each [batch, units]) and leaves the final ones there. */
    @Override
    public final Tensor applyWithState(Tensor input, float[][] states) {
        RecurrentStates.check(this, states, stateCount(), input.dim(0), units);
        return run(input, states);
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
