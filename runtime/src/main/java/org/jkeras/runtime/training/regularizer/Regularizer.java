package org.jkeras.runtime.training.regularizer;

/**
 * A penalty on one weight tensor added to the training loss (Keras's
 * {@code kernel_regularizer} etc.; the model's total loss is the compiled loss plus the sum of
 * every penalty). Immutable and thread-safe.
 */
public interface Regularizer {
    /** The Keras class name, e.g. {@code "L2"}. */
    String kind();

    /** The penalty for weights {@code w}, in float32 as Keras computes it. */
    float value(float[] w);

    /**
     * Adds {@code dPenalty/dw * scale} to {@code grad} (same size as {@code w}); {@code scale} is
     * the upstream gradient, 1 in Keras's training step.
     */
    void addGradient(float[] w, float[] grad, float scale);

    /** {@link #addGradient(float[], float[], float)} with scale 1. */
    default void addGradient(float[] w, float[] grad) {
        addGradient(w, grad, 1f);
    }

    /** Checks a factor as Keras's {@code validate_float_arg}: a finite number >= 0. */
    static double checkFactor(String name, double value) {
        if (!Double.isFinite(value) || value < 0) {
            throw new IllegalArgumentException("Invalid value for argument " + name + ": expected a non-negative float."
                    + " Received: " + name + "=" + value);
        }
        return value;
    }
}
