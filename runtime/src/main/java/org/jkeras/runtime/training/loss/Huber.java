package org.jkeras.runtime.training.loss;

/**
 * Keras's {@code Huber}: with {@code e = y_pred - y_true}, {@code 0.5 e^2} where
 * {@code |e| <= delta}, else {@code delta |e| - 0.5 delta^2}; mean over the last axis.
 */
public final class Huber extends BaseLoss {
    private final double delta;

    /** With Keras's defaults: delta 1, name {@code huber_loss}, sum_over_batch_size. */
    public Huber() {
        this(1.0, "huber_loss", Reduction.SUM_OVER_BATCH_SIZE);
    }

    /**
     * With every parameter.
     *
     * @param delta Keras's {@code delta}, in units of {@code y}; must be finite
     * @param name the loss's {@code name}, as Keras logs it
     * @param reduction how per-sample losses are reduced (Keras's {@code reduction})
     * @throws IllegalArgumentException if {@code delta} is not finite
     */
    public Huber(double delta, String name, Reduction reduction) {
        super(name, reduction);
        if (!Double.isFinite(delta)) {
            throw new IllegalArgumentException("Huber delta must be finite, got " + delta);
        }
        this.delta = delta;
    }

    /**
     * Where the loss turns from quadratic to linear.
     *
     * @return Keras's {@code delta}: the error size {@code |y_pred - y_true|} where the loss turns linear
     */
    public double delta() {
        return delta;
    }

    @Override
    public String kind() {
        return "Huber";
    }

    @Override
    protected Layout layout(int[] yTrueShape, int[] yPredShape) {
        return denseLayout(yTrueShape, yPredShape);
    }

    @Override
    protected float value(float[] yt, int ytOff, float[] yp, int ypOff, int d, float c, float[] grad) {
        float dl = (float) delta;
        float half = 0.5f;
        float linearOffset = half * (dl * dl);
        float g = c / d;
        double sum = 0;
        for (int j = 0; j < d; j++) {
            float e = yp[ypOff + j] - yt[ytOff + j];
            float abs = Math.abs(e);
            boolean quadratic = abs <= dl;
            sum += quadratic ? half * (e * e) : dl * abs - linearOffset;
            if (grad != null) {
                grad[ypOff + j] = quadratic ? (half * g) * (e * 2f) : (dl * g) * Math.signum(e);
            }
        }
        return (float) sum / d;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Huber l && delta == l.delta && name().equals(l.name()) && reduction() == l.reduction();
    }

    @Override
    public int hashCode() {
        return (name().hashCode() * 31 + reduction().hashCode()) * 31 + Double.hashCode(delta);
    }

    @Override
    public String toString() {
        return "Huber(delta=" + delta + ", name=" + name() + ", reduction=" + reduction().keras() + ")";
    }
}
