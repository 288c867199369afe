package org.jkeras.runtime.layers;

import java.util.List;
import org.jkeras.runtime.tensor.Tensor;

/**
 * A layer that can be trained by backpropagation: a forward pass that saves what the backward pass
 * needs, and the backward pass beside it (the {@code *_forward} / {@code *_backward} pairs of llm.c).
 * The layer itself stays immutable: the weights being trained are passed in as plain arrays in
 * {@link #weights()} order, and gradients are added into arrays the trainer owns.
 */
public interface Differentiable extends Layer {
    @Override
    default java.util.Optional<Differentiable> differentiable() {
        return java.util.Optional.of(this);
    }

    /**
     * The outputs for {@code inputs} computed with the given weight values, keeping in {@code saved}
     * what {@link #backward} needs.
     *
     * @param inputs  one tensor per input
     * @param weights one array per {@link #weights()} entry, same order and sizes (row-major)
     * @param saved   where to keep what the backward pass needs; handed back to {@link #backward}
     * @param ctx     whether training behaviour (dropout) is on, its random source and carried states
     * @return one tensor per output
     */
    List<Tensor> forwardTrain(List<Tensor> inputs, float[][] weights, Saved saved, TrainContext ctx);

    /**
     * Backpropagates: given the gradient of the loss with respect to each output, ADDS the gradient
     * with respect to each weight into {@code grads} and returns the gradient with respect to each input.
     *
     * @param outputGrads    one per output, shaped like it; null for an output the loss does not depend on
     * @param weights        the values {@link #forwardTrain} used
     * @param grads          one accumulator per weight, shaped like {@code weights}: added to, never overwritten
     * @param saved          what {@link #forwardTrain} kept
     * @param needInputGrads per input, whether its gradient is wanted (false for model inputs)
     * @return one gradient per input; null where not wanted
     */
    List<Tensor> backward(List<Tensor> outputGrads, float[][] weights, float[][] grads, Saved saved,
                          boolean[] needInputGrads);

    /**
     * Why this layer, called on {@code inputCount} inputs, cannot be trained (a message naming it), or null when it
     * can: a trainer refuses the model before the first step rather than train it wrongly.
     *
     * @param inputCount the number of inputs the layer is called on in the graph
     * @return the refusal, or null
     */
    default String trainingRefusal(int inputCount) {
        return null;
    }

    /**
     * The same layer (name, configuration) with other weights: how a trainer makes the immutable
     * snapshot of a trained model.
     *
     * @param weights one per {@link #weights()} entry, same shapes
     * @return a new layer; this one is unchanged
     * @throws IllegalArgumentException naming the layer and weight when a shape differs
     */
    Layer withWeights(List<Tensor> weights);
}
