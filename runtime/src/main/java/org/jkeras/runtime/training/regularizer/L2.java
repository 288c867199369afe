package org.jkeras.runtime.training.regularizer;

import org.jkeras.runtime.tensor.Float32;

/**
 * Keras's {@code L2}: {@code l2 * sum(w^2)} (default 0.01; no 1/2 factor), gradient
 * {@code l2 * 2w}.
 *
 * @param l2 the factor, >= 0
 */
public record L2(double l2) implements Regularizer {
    /** Validates like Keras. */
    public L2 {
        Regularizer.checkFactor("l2", l2);
    }

    @Override
    public String kind() {
        return "L2";
    }

    @Override
    public float value(float[] w) {
        return (float) l2 * Float32.sumOfSquares(w);
    }

    @Override
    public void addGradient(float[] w, float[] grad, float scale) {
        if (grad.length != w.length) {
            throw new IllegalArgumentException("gradient has " + grad.length + " values, weights have " + w.length);
        }
        float b = scale * (float) l2;
        for (int i = 0; i < w.length; i++) {
            grad[i] += b * (w[i] * 2f);
        }
    }
}
