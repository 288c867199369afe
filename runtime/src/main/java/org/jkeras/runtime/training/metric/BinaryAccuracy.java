package org.jkeras.runtime.training.metric;

import java.util.Arrays;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.training.loss.KerasShapes;

/**
 * Keras's {@code BinaryAccuracy}: per element, 1 when {@code (y_pred > threshold) == y_true}
 * (so only targets exactly 0 or 1 can match), averaged per sample then over samples.
 */
public final class BinaryAccuracy extends MeanMetric {
    private final double threshold;

    /** Keras's defaults: name {@code binary_accuracy}, threshold 0.5. */
    public BinaryAccuracy() {
        this("binary_accuracy", 0.5);
    }

    /**
     * Reported as {@code name}, with a threshold.
     *
     * @param name the name Keras reports the metric under, e.g. the compile string
     * @param threshold Keras's {@code threshold}: a prediction above it counts as 1, else 0
     */
    public BinaryAccuracy(String name, double threshold) {
        super(name);
        this.threshold = threshold;
    }

    /**
     * The decision threshold.
     *
     * @return Keras's {@code threshold}
     */
    public double threshold() {
        return threshold;
    }

    @Override
    public String kind() {
        return "BinaryAccuracy";
    }

    @Override
    protected Tensor values(Tensor yTrue, Tensor yPred) {
        int[][] fixed = KerasShapes.squeezeOrExpand(yTrue.shape(), yPred.shape());
        if (!Arrays.equals(fixed[0], fixed[1])) {
            throw new IllegalArgumentException(name() + ": y_true of shape " + Shape.format(yTrue.shape())
                    + " does not match y_pred of shape " + Shape.format(yPred.shape()));
        }
        float t = (float) threshold;
        float[] yt = yTrue.data();
        float[] yp = yPred.data();
        float[] out = new float[yp.length];
        for (int i = 0; i < yp.length; i++) {
            float predicted = yp[i] > t ? 1f : 0f;
            out[i] = yt[i] == predicted ? 1f : 0f;
        }
        return Tensor.wrap(out, fixed[1]);
    }
}
