package org.jkeras.runtime.layers;

import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.tensor.Activation;

/**
 * A layer whose last operation is an activation and which can hand out the values before it. Why:
 * Keras on TensorFlow attaches those values to the output of a {@code sigmoid} or {@code softmax}
 * ({@code _keras_logits}), and its cross-entropy losses then compute from the logits rather than from
 * the clipped probabilities. To train exactly as Keras does, the trainer takes the loss on
 * {@link #logits} and backpropagates from there.
 */
public interface LogitsOutput extends Differentiable {
    /**
     * The activation the layer applies last; the trainer acts only on {@code SIGMOID} and {@code SOFTMAX}.
     *
     * @return the last activation applied
     */
    Activation finalActivation();

    /**
     * The values before the final activation in the training forward pass that filled {@code saved}.
     *
     * @param saved what the training forward pass kept
     * @return the logits, shaped like the output
     */
    Tensor logits(Saved saved);

    @Override
    default java.util.Optional<LogitsOutput> logitsOutput() {
        return java.util.Optional.of(this);
    }

    /**
     * The backward pass entered below the final activation: the total gradient with respect to the
     * logits is {@code logitsGrad} plus {@code outputGrad} brought back through the activation.
     *
     * @param logitsGrad d(loss)/d(logits), shaped like {@link #logits}
     * @param outputGrad d(loss)/d(output) from other consumers of the output, or null
     * @param weights the values the training forward pass used
     * @param grads one accumulator per weight: added to, never overwritten
     * @param saved what the training forward pass kept
     * @param needInputGrad whether the gradient with respect to the input is wanted
     * @return d(loss)/d(input), or null when not wanted
     */
    Tensor backpropagateLogits(Tensor logitsGrad, Tensor outputGrad, float[][] weights, float[][] grads, Saved saved,
                               boolean needInputGrad);
}
