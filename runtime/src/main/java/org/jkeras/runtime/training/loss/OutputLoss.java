package org.jkeras.runtime.training.loss;

import java.util.List;

/**
 * The loss of one model output in a compiled model, with its {@code loss_weights} entry, as
 * Keras's {@code CompileLoss} holds it: the total is
 * {@code sum(loss_i * weight_i)} in output order (Python's {@code sum}, float32).
 *
 * @param output the output's name (Keras's output name), or null when there is one output
 * @param loss   the loss
 * @param weight the loss weight, or null for none (not even a multiplication by 1)
 */
public record OutputLoss(String output, Loss loss, Double weight) {
    /** Validates. */
    public OutputLoss {
        if (loss == null) {
            throw new IllegalArgumentException("output " + output + ": loss must not be null");
        }
    }

    /**
     * The gradient scale this loss receives from the total: its weight as float32, or 1.
     *
     * @return {@code dTotal/dLoss} for this output, float32
     */
    public float gradScale() {
        return weight == null ? 1f : (float) (double) weight;
    }

    /**
     * This output's weighted loss value.
     *
     * @param value this output's reduced loss
     * @return {@code value * weight} in float32, or {@code value} unchanged without a weight
     */
    public float weigh(float value) {
        return weight == null ? value : value * (float) (double) weight;
    }

    /**
     * The compiled total of per-output loss values ({@code values[i]} for {@code losses.get(i)}),
     * summed left to right from 0 as Keras's {@code sum(loss_values)}.
     *
     * @param losses the outputs' losses, in output order
     * @param values the outputs' reduced loss values, one per loss
     * @return the weighted total, float32
     * @throws IllegalArgumentException if the counts differ
     */
    public static float total(List<OutputLoss> losses, float[] values) {
        if (values.length != losses.size()) {
            throw new IllegalArgumentException(losses.size() + " losses but " + values.length + " values");
        }
        float total = 0f;
        for (int i = 0; i < values.length; i++) {
            total += losses.get(i).weigh(values[i]);
        }
        return total;
    }
}
