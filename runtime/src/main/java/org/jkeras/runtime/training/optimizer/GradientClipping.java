package org.jkeras.runtime.training.optimizer;

import java.util.List;
import org.jkeras.runtime.tensor.Float32;

/** Keras's three gradient clips, in place, with TensorFlow's float32 operation order. */
final class GradientClipping {
    private GradientClipping() {
    }

    /**
     * {@code tf.clip_by_norm(g, c)}: {@code g * c / max(||g||, c)}, with a zero norm left as 0 (TF's
     * two-tap {@code where} that avoids {@code sqrt(0)}).
     */
    static void clipByNorm(float[] g, float c) {
        float l2sum = Float32.sumOfSquares(g);
        float l2norm = l2sum > 0f ? Float32.sqrt(l2sum) : l2sum;
        float denom = Math.max(l2norm, c);
        for (int i = 0; i < g.length; i++) {
            g[i] = g[i] * c / denom;
        }
    }

    /**
     * Keras's {@code clip_by_global_norm}: every gradient times
     * {@code c * min(1 / ||all||, 1 / c)}, plus {@code (norm - norm)} so a non-finite norm makes
     * the scale NaN as in Keras.
     */
    static void clipByGlobalNorm(List<float[]> grads, double clip) {
        double total = 0;
        for (int k = 0; k < grads.size(); k++) { // indexed: an iterator would allocate per update
            if (grads.get(k) != null) {
                total += Float32.sumOfSquares(grads.get(k));
            }
        }
        float norm = Float32.sqrt((float) total);
        // Keras: clip_norm * minimum(1.0 / use_norm, 1.0 / clip_norm); 1.0 / clip_norm is a Python double.
        float scale = (float) clip * Math.min(1f / norm, (float) (1.0 / clip));
        scale = scale + (norm - norm);
        for (int k = 0; k < grads.size(); k++) {
            float[] g = grads.get(k);
            if (g != null) {
                for (int i = 0; i < g.length; i++) {
                    g[i] = g[i] * scale;
                }
            }
        }
    }

    /** {@code clip(g, -c, c)}: {@code max(min(g, c), -c)}, NaN staying NaN. */
    static void clipByValue(float[] g, float c) {
        for (int i = 0; i < g.length; i++) {
            g[i] = Math.max(Math.min(g[i], c), -c);
        }
    }
}
