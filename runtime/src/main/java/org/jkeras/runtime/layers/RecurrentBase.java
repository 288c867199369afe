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

    RecurrentBase(String name, String kind, int units, Tensor kernel, boolean returnSequences, boolean stateful,
                  boolean goBackwards) {
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
        float[] out = new float[Math.multiplyExact(returnSequences ? batch * steps : batch, units)];
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
        float[] out = new float[Math.multiplyExact(returnSequences ? batch * steps : batch, units)];
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
