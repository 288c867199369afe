package org.jkeras.runtime.training.regularizer;

/**
 * Keras's {@code L1}: {@code l1 * sum(|w|)} (default 0.01). Keras keeps the factor as a float32
 * tensor, so its config reports {@code l1} rounded to float32 (0.01 becomes 0.009999999776482582).
 *
 * @param l1 the factor, >= 0
 */
public record L1(double l1) implements Regularizer {
    /** Validates like Keras. */
    public L1 {
        Regularizer.checkFactor("l1", l1);
    }

    @Override
    public String kind() {
        return "L1";
    }

    @Override
    public float value(float[] w) {
        // Keras's L1 always computes the product, even for l1 = 0.
        double s = 0;
        for (float x : w) {
            s += Math.abs(x);
        }
        return (float) l1 * (float) s;
    }

    @Override
    public void addGradient(float[] w, float[] grad, float scale) {
        if (grad.length != w.length) {
            throw new IllegalArgumentException("gradient has " + grad.length + " values, weights have " + w.length);
        }
        float a = scale * (float) l1;
        for (int i = 0; i < w.length; i++) {
            grad[i] += a * Math.signum(w[i]);
        }
    }
}
