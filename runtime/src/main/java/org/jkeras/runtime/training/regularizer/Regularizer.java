package org.jkeras.runtime.training.regularizer;

/**
 * A penalty on one weight tensor added to the training loss (Keras's
 * {@code kernel_regularizer} etc.; the model's total loss is the compiled loss plus the sum of
 * every penalty). Immutable and thread-safe.
 */
public interface Regularizer {
    /**
     * The Keras class name, e.g. {@code "L2"}.
     *
     * @return the class name as Keras registers it
     */
    String kind();

    /**
     * The penalty for weights {@code w}, in float32 as Keras computes it.
     *
     * @param w the weight's values, row-major
     * @return the penalty added to the loss, float32
     */
    float value(float[] w);

    /**
     * Adds {@code dPenalty/dw * scale} to {@code grad} (same size as {@code w}); {@code scale} is
     * the upstream gradient, 1 in Keras's training step.
     *
     * @param w the weight's values, row-major
     * @param grad the weight's gradient accumulator, added to in place
     * @param scale the upstream gradient {@code dTotal/dPenalty}
     */
    void addGradient(float[] w, float[] grad, float scale);

    /**
     * {@link #addGradient(float[], float[], float)} with scale 1.
     *
     * @param w the weight's values, row-major
     * @param grad the weight's gradient accumulator, added to in place
     */
    default void addGradient(float[] w, float[] grad) {
        addGradient(w, grad, 1f);
    }

    /**
     * Checks a factor as Keras's {@code validate_float_arg}: a finite number >= 0.
     *
     * @param name the Keras argument name for the error message, e.g. {@code l2}
     * @param value the factor
     * @return {@code value}, unchanged
     * @throws IllegalArgumentException if {@code value} is negative, infinite or NaN
     */
    static double checkFactor(String name, double value) {
        if (!Double.isFinite(value) || value < 0) {
            throw new IllegalArgumentException("Invalid value for argument " + name + ": expected a non-negative float."
                    + " Received: " + name + "=" + value);
        }
        return value;
    }
}
