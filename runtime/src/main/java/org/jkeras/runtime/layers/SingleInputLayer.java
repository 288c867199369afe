package org.jkeras.runtime.layers;

import java.util.List;
import org.jkeras.runtime.tensor.Mask;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;

/**
 * Base for the common layer with one input and one output, for inference ({@link #apply}) and
 * training ({@link #applyTrain} and {@link #backpropagate}, its backward pass beside it).
 */
public abstract class SingleInputLayer implements Differentiable {
    private final String name;

    /**
     * A layer with the given name.
     *
     * @param name the layer's name, unique within its model
     */
    protected SingleInputLayer(String name) {
        this.name = name;
    }

    @Override
    public final String name() {
        return name;
    }

    /**
     * The output shape for an input of the given declared shape.
     *
     * @param input the declared input shape, batch dimension included
     * @return the output shape
     * @throws IllegalArgumentException naming this layer when the input does not fit it
     */
    public abstract Shape outputShape(Shape input);

    /**
     * The output for one concrete input.
     *
     * @param input a tensor whose shape passed {@link #outputShape}
     * @return the output, shaped as {@link #outputShape} said
     */
    public abstract Tensor apply(Tensor input);

    /**
     * {@link #apply} writing into {@code output}, a tensor shaped as {@link #outputShape} said for this input,
     * every element overwritten. The default copies what {@link #apply} computes; the layers a served model spends
     * its calls in (recurrent, Dense, TimeDistributed Dense, activations) write in place and allocate nothing.
     *
     * @param input  a tensor whose shape passed {@link #outputShape}
     * @param output where the result goes; not {@code input}
     */
    public void applyInto(Tensor input, Tensor output) {
        OutputCopy.copy(this, apply(input), output);
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputShapes) {
        if (inputShapes.size() != 1) {
            throw new IllegalArgumentException(describe() + " takes 1 input, got " + inputShapes.size());
        }
        return List.of(outputShape(inputShapes.get(0)));
    }

    @Override
    public List<Tensor> forward(List<Tensor> inputs) {
        return List.of(apply(inputs.get(0)));
    }

    /** Without masks (whose handling subclasses may add to {@code forward}), the in-place {@link #applyInto}. */
    @Override
    public void forwardInto(List<Tensor> inputs, CallContext ctx, List<Tensor> outputs) {
        if (inputs.size() == 1 && outputs.size() == 1 && !ctx.anyMask()) {
            applyInto(inputs.get(0), outputs.get(0));
        } else {
            OutputCopy.copy(this, forward(inputs, ctx), outputs);
        }
    }

    /**
     * The training forward pass for one input: {@link #apply} with the given weight values (in
     * {@link #weights()} order), keeping in {@code saved} what {@link #backpropagate} needs.
     *
     * @param input   the input tensor
     * @param weights one array per {@link #weights()} entry, same order and sizes (row-major)
     * @param saved   where to keep what the backward pass needs
     * @param ctx     whether dropout is on, its random source and carried states
     * @return the output tensor
     */
    public abstract Tensor applyTrain(Tensor input, float[][] weights, Saved saved, TrainContext ctx);

    /**
     * The backward pass for one input: adds the weight gradients into {@code grads} and returns the
     * input gradient, or null when {@code needInputGrad} is false.
     *
     * @param outputGrad    d(loss)/d(output), shaped like the output of the matching {@link #applyTrain}
     * @param weights       the values {@link #applyTrain} used
     * @param grads         one accumulator per weight, shaped like {@code weights}: added to, never overwritten
     * @param saved         what {@link #applyTrain} kept
     * @param needInputGrad whether the gradient with respect to the input is wanted
     * @return d(loss)/d(input), shaped like the input, or null when not wanted
     */
    public abstract Tensor backpropagate(Tensor outputGrad, float[][] weights, float[][] grads, Saved saved,
                                         boolean needInputGrad);

    @Override
    public List<Tensor> forwardTrain(List<Tensor> inputs, float[][] weights, Saved saved, TrainContext ctx) {
        return List.of(applyTrain(inputs.get(0), weights, saved, ctx));
    }

    @Override
    public List<Tensor> backward(List<Tensor> outputGrads, float[][] weights, float[][] grads, Saved saved,
                                       boolean[] needInputGrads) {
        Tensor dy = outputGrads.get(0);
        if (dy == null) { // the loss does not depend on this output: nothing flows back
            return java.util.Collections.singletonList(null);
        }
        return java.util.Collections.singletonList(backpropagate(dy, weights, grads, saved, needInputGrads[0]));
    }

    /**
     * True when the layer passes its input's mask on to its output unchanged (Keras's {@code supports_masking}
     * with the default {@code compute_mask}: Dense, Dropout, Activation, ...); false (the default) when it drops
     * it, as Keras 3 does for layers without masking support (Flatten, RepeatVector). Layers that make or consume
     * masks override {@link #outputsMasked} and {@link #outputMasks} instead.
     *
     * @return true when the input's mask passes through unchanged
     */
    protected boolean passesMask() {
        return false;
    }

    @Override
    public List<Boolean> outputsMasked(List<Boolean> inputsMasked, int outputCount) {
        return List.of(passesMask() && inputsMasked.get(0));
    }

    @Override
    public List<Mask> outputMasks(List<Tensor> inputs, List<Mask> masks) {
        return passesMask() && masks.get(0) != null ? masks : null;
    }

    /** A weightless layer is its own re-weighted copy; layers with weights override this. */
    @Override
    public Layer withWeights(List<Tensor> newWeights) {
        if (!weights().isEmpty() || !newWeights.isEmpty()) {
            throw new IllegalArgumentException(describe() + " has " + weights().size() + " weights, got "
                    + newWeights.size());
        }
        return this;
    }

    @Override
    public List<Weight> weights() {
        return List.of();
    }

    /**
     * This layer named for error messages.
     *
     * @return {@code layer 'name' (Kind)}
     */
    protected final String describe() {
        return "layer '" + name + "' (" + kind() + ")";
    }

    /**
     * Throws unless {@code input} has the given rank.
     *
     * @param input  the declared input shape
     * @param rank   the rank required
     * @param layout the expected layout for the message, e.g. {@code [batch, time, features]}
     * @throws IllegalArgumentException naming this layer when the rank differs
     */
    protected final void requireRank(Shape input, int rank, String layout) {
        if (input.rank() != rank) {
            throw new IllegalArgumentException(describe() + " expects input of rank " + rank + " " + layout
                    + ", got " + input);
        }
    }

    @Override
    public String toString() {
        return describe();
    }
}
