package org.jkeras.runtime.training.loss;

import java.util.Optional;
import org.jkeras.runtime.tensor.Float32;

/**
 * Keras's {@code CategoricalCrossentropy}, summed over the class (last) axis. Labels are first
 * smoothed to {@code y * (1 - s) + s / classes}. On probabilities Keras renormalises
 * {@code y_pred} to sum 1, clips to {@code [1e-7, 1 - 1e-7]} and computes
 * {@code -sum(y log p)}; on logits TensorFlow's fused {@code softmax_cross_entropy_with_logits},
 * whose gradient is {@code softmax - y} per unit upstream (exact only for labels summing to 1,
 * which is what TensorFlow differentiates).
 */
public final class CategoricalCrossentropy extends BaseLoss {
    private final boolean fromLogits;
    private final double labelSmoothing;
    private final int axis;

    /** With Keras's defaults: probabilities, no smoothing, name {@code categorical_crossentropy}. */
    public CategoricalCrossentropy() {
        this(false, 0.0, -1, "categorical_crossentropy", Reduction.SUM_OVER_BATCH_SIZE);
    }

    /**
     * With every parameter.
     *
     * @param fromLogits Keras's {@code from_logits}: true when {@code y_pred} holds logits, not probabilities
     * @param labelSmoothing Keras's {@code label_smoothing} {@code s}, in {@code [0, 1]}
     * @param axis the class axis; only -1 is supported
     * @param name the loss's {@code name}, as Keras logs it
     * @param reduction how per-sample losses are reduced (Keras's {@code reduction})
     * @throws IllegalArgumentException if {@code axis != -1} or the smoothing is outside {@code [0, 1]}
     */
    public CategoricalCrossentropy(boolean fromLogits, double labelSmoothing, int axis, String name,
                                   Reduction reduction) {
        super(name, reduction);
        requireLastAxis(axis);
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException(name + ": label_smoothing must be in [0, 1], got " + labelSmoothing);
        }
        this.fromLogits = fromLogits;
        this.labelSmoothing = labelSmoothing;
        this.axis = axis;
    }

    /**
     * Whether {@code y_pred} holds logits.
     *
     * @return Keras's {@code from_logits}
     */
    public boolean fromLogits() {
        return fromLogits;
    }

    /**
     * Label smoothing in [0, 1].
     *
     * @return Keras's {@code label_smoothing}, 0 for none
     */
    public double labelSmoothing() {
        return labelSmoothing;
    }

    /**
     * The class axis (-1).
     *
     * @return always -1
     */
    public int axis() {
        return axis;
    }

    @Override
    public String kind() {
        return "CategoricalCrossentropy";
    }

    @Override
    protected Layout layout(int[] yTrueShape, int[] yPredShape) {
        return denseLayout(yTrueShape, yPredShape);
    }

    @Override
    public Optional<Loss> onLogits(int[] yTrueShape, int[] yPredShape) {
        if (!layout(yTrueShape, yPredShape).predKept()) {
            return Optional.empty();
        }
        return Optional.of(fromLogits ? this
                : new CategoricalCrossentropy(true, labelSmoothing, axis, name(), reduction()));
    }

    @Override
    protected float value(float[] yt, int ytOff, float[] yp, int ypOff, int d, float c, float[] grad) {
        float keep = (float) (1.0 - labelSmoothing);
        float spread = (float) labelSmoothing / (float) d;
        return fromLogits ? logits(yt, ytOff, yp, ypOff, d, c, grad, keep, spread)
                : probabilities(yt, ytOff, yp, ypOff, d, c, grad, keep, spread);
    }

    private float label(float[] yt, int i, float keep, float spread) {
        return labelSmoothing != 0 ? yt[i] * keep + spread : yt[i];
    }

    private float logits(float[] yt, int ytOff, float[] z, int off, int d, float c, float[] grad, float keep,
                         float spread) {
        float max = Crossentropy.max(z, off, d);
        float sumExp = Crossentropy.sumExp(z, off, d, max);
        float logSum = Float32.log(sumExp);
        double loss = 0;
        for (int j = 0; j < d; j++) {
            float y = label(yt, ytOff + j, keep, spread);
            float shifted = z[off + j] - max;
            loss += y * (logSum - shifted);
            if (grad != null) {
                grad[off + j] = c * (Float32.exp(shifted) / sumExp - y);
            }
        }
        return (float) loss;
    }

    private float probabilities(float[] yt, int ytOff, float[] p, int off, int d, float c, float[] grad, float keep,
                                float spread) {
        float total = Float32.sum(p, off, d);
        double loss = 0;
        double gradTotal = 0; // the gradient reaching the row sum (through the renormalisation)
        for (int j = 0; j < d; j++) {
            float y = label(yt, ytOff + j, keep, spread);
            float q = p[off + j] / total;
            float o = Crossentropy.clip(q);
            loss += y * Float32.log(o);
            if (grad != null) {
                float gq = Crossentropy.clipPasses(q) ? y * -c * (1f / o) : 0f;
                grad[off + j] = gq;
                gradTotal += gq * (-p[off + j] / total / total);
            }
        }
        if (grad != null) {
            float gs = (float) gradTotal;
            for (int j = 0; j < d; j++) {
                grad[off + j] = grad[off + j] / total + gs;
            }
        }
        return -(float) loss;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CategoricalCrossentropy l && fromLogits == l.fromLogits
                && labelSmoothing == l.labelSmoothing && name().equals(l.name()) && reduction() == l.reduction();
    }

    @Override
    public int hashCode() {
        return (name().hashCode() * 31 + Boolean.hashCode(fromLogits)) * 31 + Double.hashCode(labelSmoothing);
    }

    @Override
    public String toString() {
        return "CategoricalCrossentropy(from_logits=" + fromLogits + ", label_smoothing=" + labelSmoothing
                + ", name=" + name() + ", reduction=" + reduction().keras() + ")";
    }
}
