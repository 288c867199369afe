package org.jkeras.runtime.training.loss;

import java.util.Optional;
import org.jkeras.runtime.tensor.Float32;

/**
 * Keras's {@code BinaryCrossentropy}, mean over the last axis. Labels are first smoothed to
 * {@code y * (1 - s) + 0.5 s}. On probabilities Keras clips {@code y_pred} to
 * {@code [1e-7, 1 - 1e-7]} and computes {@code -(y log p + (1 - y) log(1 - p))} (no gradient where
 * clipped); on logits it uses TensorFlow's {@code sigmoid_cross_entropy_with_logits}:
 * {@code max(z, 0) - z y + log1p(exp(-|z|))}.
 */
public final class BinaryCrossentropy extends BaseLoss {
    private final boolean fromLogits;
    private final double labelSmoothing;
    private final int axis;

    /** With Keras's defaults: probabilities, no smoothing, name {@code binary_crossentropy}. */
    public BinaryCrossentropy() {
        this(false, 0.0, -1, "binary_crossentropy", Reduction.SUM_OVER_BATCH_SIZE);
    }

    /**
     * With every parameter.
     *
     * @param fromLogits Keras's {@code from_logits}: true when {@code y_pred} holds logits, not probabilities
     * @param labelSmoothing Keras's {@code label_smoothing} {@code s}, in {@code [0, 1]}: targets move toward 0.5
     * @param axis the averaged axis; only -1 is supported
     * @param name the loss's {@code name}, as Keras logs it
     * @param reduction how per-sample losses are reduced (Keras's {@code reduction})
     * @throws IllegalArgumentException if {@code axis != -1} or the smoothing is outside {@code [0, 1]}
     */
    public BinaryCrossentropy(boolean fromLogits, double labelSmoothing, int axis, String name, Reduction reduction) {
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
     * The averaged axis (-1).
     *
     * @return always -1
     */
    public int axis() {
        return axis;
    }

    @Override
    public String kind() {
        return "BinaryCrossentropy";
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
        return Optional.of(fromLogits ? this : new BinaryCrossentropy(true, labelSmoothing, axis, name(), reduction()));
    }

    @Override
    protected float value(float[] yt, int ytOff, float[] yp, int ypOff, int d, float c, float[] grad) {
        float keep = (float) (1.0 - labelSmoothing);
        float half = (float) (0.5 * labelSmoothing);
        float g = c / d;
        double sum = 0;
        for (int j = 0; j < d; j++) {
            float y = labelSmoothing != 0 ? yt[ytOff + j] * keep + half : yt[ytOff + j];
            float z = yp[ypOff + j];
            if (fromLogits) {
                boolean positive = z >= 0f;
                float relu = positive ? z : 0f;
                float negAbs = positive ? -z : z;
                float e = Float32.exp(negAbs);
                sum += relu - z * y + Float32.log1p(e);
                if (grad != null) {
                    float viaLog = g * (1f / (1f + e)) * e;
                    grad[ypOff + j] = ((positive ? g : 0f) + -g * y) + (positive ? -viaLog : viaLog);
                }
            } else {
                float p = Crossentropy.clip(z);
                float oneMinusP = 1f - p;
                sum += -(y * Float32.log(p) + (1f - y) * Float32.log(oneMinusP));
                if (grad != null) {
                    if (Crossentropy.clipPasses(z)) {
                        float gb = -g;
                        grad[ypOff + j] = y * gb * (1f / p) + -((1f - y) * gb * (1f / oneMinusP));
                    } else {
                        grad[ypOff + j] = 0f;
                    }
                }
            }
        }
        return (float) sum / d;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BinaryCrossentropy l && fromLogits == l.fromLogits && labelSmoothing == l.labelSmoothing
                && name().equals(l.name()) && reduction() == l.reduction();
    }

    @Override
    public int hashCode() {
        return (name().hashCode() * 31 + Boolean.hashCode(fromLogits)) * 31 + Double.hashCode(labelSmoothing);
    }

    @Override
    public String toString() {
        return "BinaryCrossentropy(from_logits=" + fromLogits + ", label_smoothing=" + labelSmoothing + ", name="
                + name() + ", reduction=" + reduction().keras() + ")";
    }
}
