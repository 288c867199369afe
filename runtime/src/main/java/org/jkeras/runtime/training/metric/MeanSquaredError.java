package org.jkeras.runtime.training.metric;

import org.jkeras.runtime.tensor.Tensor;

/** Keras's {@code MeanSquaredError} metric ({@code "mse"}): running mean of the per-sample MSE. */
public final class MeanSquaredError extends MeanMetric {
    /** Reported as Keras's default {@code mean_squared_error}. */
    public MeanSquaredError() {
        this("mean_squared_error");
    }

    /**
     * Reported as {@code name} (the compile string, e.g. {@code "mse"}).
     *
     * @param name the name Keras reports the metric under, e.g. the compile string
     */
    public MeanSquaredError(String name) {
        super(name);
    }

    @Override
    public String kind() {
        return "MeanSquaredError";
    }

    @Override
    protected Tensor values(Tensor yTrue, Tensor yPred) {
        return ErrorMetrics.meanError(name(), yTrue, yPred, true);
    }
}
