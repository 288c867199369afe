package org.jkeras.runtime.training.regularizer;

import org.jkeras.runtime.tensor.Float32;

/**
 * Keras's {@code L1L2}: {@code 0 + l1 * sum(|w|) + l2 * sum(w^2)}, each term only when its
 * factor is not 0; gradient {@code l1 * sign(w) + l2 * 2w} (sign(0) = 0). {@link L1} and
 * {@link L2} are the one-term cases. Keras's class defaults are {@code l1 = l2 = 0}.
 *
 * @param l1 the L1 factor, >= 0
 * @param l2 the L2 factor, >= 0
 */
public record L1L2(double l1, double l2) implements Regularizer {
    /** Validates like Keras. */
    public L1L2 {
        Regularizer.checkFactor("l1", l1);
        Regularizer.checkFactor("l2", l2);
    }

    @Override
    public String kind() {
        return "L1L2";
    }

    @Override
    public float value(float[] w) {
        return value(l1, l2, w);
    }

    @Override
    public void addGradient(float[] w, float[] grad, float scale) {
        addGradient(l1, l2, w, grad, scale);
    }

    static float value(double l1, double l2, float[] w) {
        float r = 0f;
        if (l1 != 0) {
            double s = 0;
            for (float x : w) {
                s += Math.abs(x);
            }
            r += (float) l1 * (float) s;
        }
        if (l2 != 0) {
            r += (float) l2 * Float32.sumOfSquares(w);
        }
        return r;
    }

    static void addGradient(double l1, double l2, float[] w, float[] grad, float scale) {
        if (grad.length != w.length) {
            throw new IllegalArgumentException("gradient has " + grad.length + " values, weights have " + w.length);
        }
        float a = scale * (float) l1;
        float b = scale * (float) l2;
        for (int i = 0; i < w.length; i++) {
            float g = 0f;
            if (l1 != 0) {
                g += a * Math.signum(w[i]);
            }
            if (l2 != 0) {
                g += b * (w[i] * 2f);
            }
            grad[i] += g;
        }
    }
}
