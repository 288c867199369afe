package org.jkeras.runtime.training.metric;

import org.jkeras.runtime.tensor.Tensor;

/**
 * Keras's {@code MeanMetricWrapper}: a metric function giving values per sample (or per element),
 * averaged by a {@link Mean}. Subclasses give the function.
 */
public abstract class MeanMetric implements Metric {
    private final Mean mean;

    /**
     * A metric reported as {@code name}.
     *
     * @param name the name Keras reports the metric under, e.g. the compile string
     */
    protected MeanMetric(String name) {
        this.mean = new Mean(name);
    }

    /**
     * The metric function's values for one batch, Keras's {@code fn(y_true, y_pred)}.
     *
     * @param yTrue the batch's targets
     * @param yPred the batch's predictions
     * @throws IllegalArgumentException when the shapes do not fit
     * @return the function's values, batch first, for the {@link Mean} to average
     */
    protected abstract Tensor values(Tensor yTrue, Tensor yPred);

    @Override
    public final String name() {
        return mean.name();
    }

    @Override
    public final void update(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        mean.update(values(yTrue, yPred), sampleWeight);
    }

    @Override
    public final double result() {
        return mean.result();
    }

    @Override
    public final void reset() {
        mean.reset();
    }

    /**
     * Keras's float32 {@code total} variable.
     *
     * @return the weighted sum of the per-sample values so far
     */
    public final float total() {
        return mean.total();
    }

    /**
     * Keras's float32 {@code count} variable.
     *
     * @return the sum of the weights so far (the number of samples when unweighted)
     */
    public final float count() {
        return mean.count();
    }

    @Override
    public String toString() {
        return kind() + "(name=" + name() + ", result=" + result() + ")";
    }
}
