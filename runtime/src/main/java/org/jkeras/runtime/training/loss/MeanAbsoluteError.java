package org.jkeras.runtime.training.loss;

/**
 * Keras's {@code MeanAbsoluteError}: {@code mean(|y_true - y_pred|)} over the last axis; the
 * gradient uses {@code sign(0) = 0}, as TensorFlow's.
 */
public final class MeanAbsoluteError extends BaseLoss {
    /** With Keras's defaults: name {@code mean_absolute_error}, sum_over_batch_size. */
    public MeanAbsoluteError() {
        this("mean_absolute_error", Reduction.SUM_OVER_BATCH_SIZE);
    }

    /**
     * With a name (e.g. the compile string {@code "mae"}) and a reduction.
     *
     * @param name the loss's {@code name}, as Keras logs it
     * @param reduction how per-sample losses are reduced (Keras's {@code reduction})
     */
    public MeanAbsoluteError(String name, Reduction reduction) {
        super(name, reduction);
    }

    @Override
    public String kind() {
        return "MeanAbsoluteError";
    }

    @Override
    protected Layout layout(int[] yTrueShape, int[] yPredShape) {
        return denseLayout(yTrueShape, yPredShape);
    }

    @Override
    protected float value(float[] yt, int ytOff, float[] yp, int ypOff, int d, float c, float[] grad) {
        double sum = 0;
        float g = c / d;
        for (int j = 0; j < d; j++) {
            float diff = yt[ytOff + j] - yp[ypOff + j];
            sum += Math.abs(diff);
            if (grad != null) {
                grad[ypOff + j] = -(g * Math.signum(diff));
            }
        }
        return (float) sum / d;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MeanAbsoluteError l && name().equals(l.name()) && reduction() == l.reduction();
    }

    @Override
    public int hashCode() {
        return name().hashCode() * 31 + reduction().hashCode();
    }
}
