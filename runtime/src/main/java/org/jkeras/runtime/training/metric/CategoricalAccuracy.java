package org.jkeras.runtime.training.metric;

import java.util.Arrays;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;

/**
 * Keras's {@code CategoricalAccuracy}: 1 when {@code argmax(y_true) == argmax(y_pred)} over the
 * last axis (ties go to the first index, as TensorFlow's {@code argmax}).
 */
public final class CategoricalAccuracy extends MeanMetric {
    /** Reported as Keras's default {@code categorical_accuracy}. */
    public CategoricalAccuracy() {
        this("categorical_accuracy");
    }

    /**
     * Reported as {@code name} (e.g. {@code "accuracy"}).
     *
     * @param name the name Keras reports the metric under, e.g. the compile string
     */
    public CategoricalAccuracy(String name) {
        super(name);
    }

    @Override
    public String kind() {
        return "CategoricalAccuracy";
    }

    @Override
    protected Tensor values(Tensor yTrue, Tensor yPred) {
        if (!Arrays.equals(yTrue.shape(), yPred.shape()) || yPred.rank() < 1) {
            throw new IllegalArgumentException(name() + ": y_true of shape " + Shape.format(yTrue.shape())
                    + " does not match y_pred of shape " + Shape.format(yPred.shape()) + " (one-hot targets expected)");
        }
        int d = yPred.dim(-1);
        int n = d == 0 ? 0 : yPred.size() / d;
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = argmax(yTrue.data(), i * d, d) == argmax(yPred.data(), i * d, d) ? 1f : 0f;
        }
        int[] shape = yPred.shape();
        return Tensor.wrap(out, Arrays.copyOf(shape, shape.length - 1));
    }

    /** TensorFlow's argmax: the first maximum; NaN counts as a maximum. */
    static int argmax(float[] a, int offset, int n) {
        int best = 0;
        for (int j = 1; j < n; j++) {
            float v = a[offset + j];
            float b = a[offset + best];
            if (v > b || (Float.isNaN(v) && !Float.isNaN(b))) {
                best = j;
            }
        }
        return best;
    }
}
