package org.jkeras.runtime.training.loss;

/**
 * Keras's {@code MeanSquaredError}: {@code mean((y_true - y_pred)^2)} over the last axis.
 * Gradient as TensorFlow's autodiff: {@code -((c / d) * ((y_true - y_pred) * 2))}.
 */
public final class MeanSquaredError extends BaseLoss {
    /** With Keras's defaults: name {@code mean_squared_error}, sum_over_batch_size. */
    public MeanSquaredError() {
        this("mean_squared_error", Reduction.SUM_OVER_BATCH_SIZE);
    }

    /**
     * With a name (e.g. the compile string {@code "mse"}) and a reduction.
     *
     * @param name the loss's {@code name}, as Keras logs it
     * @param reduction how per-sample losses are reduced (Keras's {@code reduction})
     */
    public MeanSquaredError(String name, Reduction reduction) {
        super(name, reduction);
    }

    @Override
    public String kind() {
        return "MeanSquaredError";
    }

    @Override
    protected Layout layout(int[] yTrueShape, int[] yPredShape) {
        return denseLayout(yTrueShape, yPredShape);
    }

    @Override
    protected float value(float[] yt, int ytOff, float[] yp, int ypOff, int d, float c, float[] grad) {
        double sum = 0;
        for (int j = 0; j < d; j++) {
            float diff = yt[ytOff + j] - yp[ypOff + j];
            float sq = diff * diff;
            sum += sq;
        }
        if (grad != null) {
            float g = c / d;
            for (int j = 0; j < d; j++) {
                float diff = yt[ytOff + j] - yp[ypOff + j];
                grad[ypOff + j] = -(g * (diff * 2f));
            }
        }
        return (float) sum / d;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MeanSquaredError l && name().equals(l.name()) && reduction() == l.reduction();
    }

    @Override
    public int hashCode() {
        return name().hashCode() * 31 + reduction().hashCode();
    }
}
