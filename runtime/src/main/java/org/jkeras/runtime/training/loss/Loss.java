package org.jkeras.runtime.training.loss;

import java.util.Optional;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;

/**
 * A Keras 3 loss: per-sample values reduced to one number, and its gradient with respect to
 * {@code y_pred}.
 *
 * <p>Shapes follow Keras: {@code y_true} and {@code y_pred} first go through Keras's
 * {@code squeeze_or_expand_to_same_rank} (a trailing dimension of 1 is dropped or added so the
 * ranks agree), then the loss averages (or, for categorical cross-entropy, sums) over the last
 * axis, giving one value per sample (per sample and time step for sequence outputs). Labels of
 * sparse losses are float32 tensors holding class indices.
 *
 * <p>Keras's TensorFlow backend computes the three cross-entropies from the <em>logits</em>
 * when {@code y_pred} is the unchanged output of a Keras {@code sigmoid} or {@code softmax}
 * activation (the {@code _keras_logits} it attaches), see {@link #onLogits}. Implementations are
 * immutable and thread-safe.
 */
public interface Loss {
    /**
     * The Keras class name, e.g. {@code "MeanSquaredError"}.
     *
     * @return the class name as Keras's {@code get_config} registers it
     */
    String kind();

    /**
     * The loss's {@code name} (Keras's default, e.g. {@code "mean_squared_error"}, or the compile string).
     *
     * @return the name Keras logs the loss under
     */
    String name();

    /**
     * How per-sample losses are reduced.
     *
     * @return the reduction, Keras's {@code reduction} argument
     */
    Reduction reduction();

    /**
     * The reduced loss, and optionally its gradient.
     *
     * @param yTrue        targets (class indices for sparse losses)
     * @param yPred        predictions, rank >= 2 ({@code [batch, ..., last]})
     * @param sampleWeight null, or weights broadcastable (NumPy rules, after Keras's rank fix) to
     *                     the per-sample loss shape without enlarging it
     * @param gradOut      null, or an array of {@code yPred.size()} values, overwritten with
     *                     {@code dLoss/dy_pred}
     * @throws IllegalArgumentException when shapes do not fit (the message gives expected and actual),
     *                                  a sparse label is not a class index (its position and value),
     *                                  or the reduction is {@link Reduction#NONE}
     * @return the reduced loss, float32
     */
    default float compute(Tensor yTrue, Tensor yPred, Tensor sampleWeight, float[] gradOut) {
        return compute(yTrue, yPred, sampleWeight, null, gradOut, 1f);
    }

    /**
     * {@link #compute(Tensor, Tensor, Tensor, float[])} with a Keras mask and an upstream gradient.
     *
     * @param yTrue targets (class indices for sparse losses)
     * @param yPred predictions, rank >= 2 ({@code [batch, ..., last]})
     * @param sampleWeight null, or weights broadcastable (NumPy rules, after Keras's rank fix) to the per-sample
     *                     loss shape without enlarging it
     * @param mask      null, or 1/0 per per-sample loss (Keras's {@code _keras_mask} of {@code y_pred},
     *                  e.g. from masked time steps); combined with the sample weights as Keras does
     *                  (for sum_over_batch_size the valid entries are weighted total/valid)
     * @param gradOut null, or an array of {@code yPred.size()} values, overwritten with
     *                {@code gradScale * dLoss/dy_pred}
     * @param gradScale {@code dTotal/dLoss} flowing in (1 for a single loss; its loss weight in a
     *                  multi-output model), applied where TensorFlow applies it
     * @return the reduced loss, float32, before {@code gradScale}
     * @throws IllegalArgumentException when shapes do not fit, a sparse label is not a class index, or the
     *         reduction is {@link Reduction#NONE}
     */
    float compute(Tensor yTrue, Tensor yPred, Tensor sampleWeight, Tensor mask, float[] gradOut, float gradScale);

    /**
     * Checks, before any step, that targets fit predictions of the given shape as this loss
     * expects, including sparse labels' values.
     *
     * @param yTrue the targets of all samples
     * @param yPredShape the full shape of the predictions, batch first
     * @throws IllegalArgumentException naming expected and actual shapes, or the bad label
     */
    void checkTargets(Tensor yTrue, int[] yPredShape);

    /**
     * {@link #checkTargets(Tensor, int[])} against a model's declared output shape, whose
     * {@link Shape#UNKNOWN} dimensions (the batch) are taken from {@code yTrue}.
     *
     * @param yTrue the targets of all samples; their dimensions fill the unknown ones of {@code yPredShape}
     * @param yPredShape the model output's declared shape, with {@link Shape#UNKNOWN} for the batch
     * @throws IllegalArgumentException naming expected and actual shapes, or the bad label
     */
    default void checkTargets(Tensor yTrue, Shape yPredShape) {
        int[] dims = yPredShape.dims();
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == Shape.UNKNOWN) {
                dims[i] = i < yTrue.rank() ? yTrue.dim(i) : 1;
            }
        }
        checkTargets(yTrue, dims);
    }

    /**
     * The loss Keras actually computes when {@code y_pred} of these shapes is the unchanged output
     * of a Keras {@code sigmoid} or {@code softmax} activation: the same cross-entropy on the
     * activation's input (the logits), with {@code from_logits} forced on — whichever of the two
     * activations it was, and even when {@code from_logits} was already true. Empty when Keras
     * keeps the probabilities: for losses other than the cross-entropies, when Keras's rank fix
     * reshapes {@code y_pred} (a trailing 1 squeezed: the attached logits are lost) and for
     * sparse categorical cross-entropy with {@code ignore_class}. The fit loop then feeds the
     * pre-activation values and skips the activation's backward pass.
     *
     * @param yTrueShape the shape of the targets
     * @param yPredShape the shape of the predictions
     * @return the loss to apply to the logits, or empty to apply this loss to the probabilities
     */
    default Optional<Loss> onLogits(int[] yTrueShape, int[] yPredShape) {
        return Optional.empty();
    }
}
