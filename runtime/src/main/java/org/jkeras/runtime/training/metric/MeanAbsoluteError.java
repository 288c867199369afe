package org.jkeras.runtime.training.metric;

import org.jkeras.runtime.tensor.Tensor;

/** Keras's {@code MeanAbsoluteError} metric ({@code "mae"}): running mean of the per-sample MAE. */
public final class MeanAbsoluteError extends MeanMetric {
    /** Reported as Keras's default {@code mean_absolute_error}. */
    public MeanAbsoluteError() {
        this("mean_absolute_error");
    }

    /**
     * Reported as {@code name} (the compile string, e.g. {@code "mae"}).
     *
     * @param name the name Keras reports the metric under, e.g. the compile string
     */
    public MeanAbsoluteError(String name) {
        super(name);
    }

    @Override
    public String kind() {
        return "MeanAbsoluteError";
    }

    @Override
    protected Tensor values(Tensor yTrue, Tensor yPred) {
        return ErrorMetrics.meanError(name(), yTrue, yPred, false);
    }
}
