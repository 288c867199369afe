package org.jkeras.runtime.training.loss;

import org.jkeras.runtime.tensor.Float32;

/**
 * Keras's {@code LogCosh}: with {@code x = y_pred - y_true},
 * {@code x + softplus(-2x) - log 2} (a stable {@code log(cosh(x))}); mean over the last axis.
 * Softplus follows TensorFlow's kernel (identity above 13.94, {@code exp} below -13.94).
 */
public final class LogCosh extends BaseLoss {
    private static final float LOG2 = Float32.log(2f);
    /** TensorFlow's softplus threshold: log(float32 epsilon) + 2. */
    private static final float THRESHOLD = Float32.log(Math.ulp(1f)) + 2f;

    /** With Keras's defaults: name {@code log_cosh}, sum_over_batch_size. */
    public LogCosh() {
        this("log_cosh", Reduction.SUM_OVER_BATCH_SIZE);
    }

    /**
     * With a name and a reduction.
     *
     * @param name the loss's {@code name}, as Keras logs it
     * @param reduction how per-sample losses are reduced (Keras's {@code reduction})
     */
    public LogCosh(String name, Reduction reduction) {
        super(name, reduction);
    }

    @Override
    public String kind() {
        return "LogCosh";
    }

    @Override
    protected Layout layout(int[] yTrueShape, int[] yPredShape) {
        return denseLayout(yTrueShape, yPredShape);
    }

    @Override
    protected float value(float[] yt, int ytOff, float[] yp, int ypOff, int d, float c, float[] grad) {
        float g = c / d;
        double sum = 0;
        for (int j = 0; j < d; j++) {
            float x = yp[ypOff + j] - yt[ytOff + j];
            float z = x * -2f;
            sum += x + softplus(z) - LOG2;
            if (grad != null) {
                // d/dx: g from x itself, plus softplus'(z) * -2 with TF's SoftplusGrad g / (exp(-z) + 1).
                float viaSoftplus = g / (Float32.exp(-z) + 1f) * -2f;
                grad[ypOff + j] = g + viaSoftplus;
            }
        }
        return (float) sum / d;
    }

    private static float softplus(float z) {
        if (z > -THRESHOLD) {
            return z;
        }
        float e = Float32.exp(z);
        return z < THRESHOLD ? e : Float32.log1p(e);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogCosh l && name().equals(l.name()) && reduction() == l.reduction();
    }

    @Override
    public int hashCode() {
        return name().hashCode() * 31 + reduction().hashCode();
    }
}
