package org.jkeras.runtime.training.metric;

import java.util.Arrays;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;

/**
 * Keras's {@code SparseCategoricalAccuracy}: 1 when the class index in {@code y_true} equals
 * {@code argmax(y_pred)} (a float comparison: a non-integer label never matches, as in Keras).
 */
public final class SparseCategoricalAccuracy extends MeanMetric {
    /** Reported as Keras's default {@code sparse_categorical_accuracy}. */
    public SparseCategoricalAccuracy() {
        this("sparse_categorical_accuracy");
    }

    /**
     * Reported as {@code name} (e.g. {@code "accuracy"}).
     *
     * @param name the name Keras reports the metric under, e.g. the compile string
     */
    public SparseCategoricalAccuracy(String name) {
        super(name);
    }

    @Override
    public String kind() {
        return "SparseCategoricalAccuracy";
    }

    @Override
    protected Tensor values(Tensor yTrue, Tensor yPred) {
        int[] t = yTrue.shape();
        int[] p = yPred.shape();
        if (p.length < 1) {
            throw new IllegalArgumentException(name() + ": y_pred needs a class axis, got shape " + Shape.format(p));
        }
        if (t.length == p.length && t[t.length - 1] == 1) {
            t = Arrays.copyOf(t, t.length - 1);
        }
        int[] rows = Arrays.copyOf(p, p.length - 1);
        if (!Arrays.equals(t, rows)) {
            throw new IllegalArgumentException(name() + ": y_true of shape " + Shape.format(yTrue.shape())
                    + " does not fit y_pred of shape " + Shape.format(yPred.shape()) + "; expected class indices of shape "
                    + Shape.format(rows));
        }
        int d = p[p.length - 1];
        int n = yTrue.size();
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = yTrue.data()[i] == (float) CategoricalAccuracy.argmax(yPred.data(), i * d, d) ? 1f : 0f;
        }
        // Keras squeezes a trailing 1 of the matches: one value per row.
        return Tensor.wrap(out, rows.length > 1 && rows[rows.length - 1] == 1 ? Arrays.copyOf(rows, rows.length - 1)
                : rows);
    }
}
