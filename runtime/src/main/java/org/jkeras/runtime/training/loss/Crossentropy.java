package org.jkeras.runtime.training.loss;

import org.jkeras.runtime.tensor.Float32;

/**
 * The arithmetic shared by the cross-entropy losses: Keras's probability clip and TensorFlow's
 * fused softmax cross-entropy kernels, in their float32 operation order.
 */
final class Crossentropy {
    /** Keras's {@code backend.epsilon()} as float32. */
    static final float EPSILON = (float) 1e-7;
    /** {@code 1.0 - epsilon} computed on Python floats, then cast. */
    static final float ONE_MINUS_EPSILON = (float) (1.0 - 1e-7);

    private Crossentropy() {
    }

    /** {@code clip_by_value(p, eps, 1 - eps)}. */
    static float clip(float p) {
        return Math.max(Math.min(p, ONE_MINUS_EPSILON), EPSILON);
    }

    /**
     * Whether the clip passes the gradient: TensorFlow's minimum/maximum gradients go to the input
     * on ties ({@code <=} and {@code >=}), so only strictly clipped values stop it.
     */
    static boolean clipPasses(float p) {
        return p <= ONE_MINUS_EPSILON && Math.min(p, ONE_MINUS_EPSILON) >= EPSILON;
    }

    /** Row maximum of {@code z[off, off + d)}. */
    static float max(float[] z, int off, int d) {
        float m = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < d; j++) {
            m = Math.max(m, z[off + j]);
        }
        return m;
    }

    /** {@code sum(exp(z - max))} over the row. */
    static float sumExp(float[] z, int off, int d, float max) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            s += Float32.exp(z[off + j] - max);
        }
        return (float) s;
    }
}
