package org.jkeras.runtime.training.loss;

import java.util.Optional;
import org.jkeras.runtime.tensor.Float32;

/**
 * Keras's {@code SparseCategoricalCrossentropy}: labels are class indices (float32 tensors
 * holding integers, shaped like {@code y_pred} without its class axis, or with a trailing 1).
 * TensorFlow's fused {@code sparse_softmax_cross_entropy_with_logits} on the logits, or on
 * {@code log(clip(p, 1e-7, 1 - 1e-7))} for probabilities. With {@code ignore_class}, entries with
 * that label contribute nothing and, as in Keras, the others are averaged over their own count.
 */
public final class SparseCategoricalCrossentropy extends BaseLoss {
    private final boolean fromLogits;
    private final Integer ignoreClass;
    private final Float ignoredLabel;

    /** With Keras's defaults: probabilities, no ignored class, name {@code sparse_categorical_crossentropy}. */
    public SparseCategoricalCrossentropy() {
        this(false, null, "sparse_categorical_crossentropy", Reduction.SUM_OVER_BATCH_SIZE);
    }

    /**
     * With every parameter (the class axis is the last one, the only one TensorFlow supports).
     *
     * @param fromLogits Keras's {@code from_logits}: true when {@code y_pred} holds logits, not probabilities
     * @param ignoreClass a label value to ignore, or null
     * @param name the loss's {@code name}, as Keras logs it
     * @param reduction how per-sample losses are reduced (Keras's {@code reduction})
     */
    public SparseCategoricalCrossentropy(boolean fromLogits, Integer ignoreClass, String name, Reduction reduction) {
        super(name, reduction);
        this.fromLogits = fromLogits;
        this.ignoreClass = ignoreClass;
        this.ignoredLabel = ignoreClass == null ? null : (float) (int) ignoreClass;
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
     * The ignored label, or null.
     *
     * @return Keras's {@code ignore_class}, or null when every label counts
     */
    public Integer ignoreClass() {
        return ignoreClass;
    }

    @Override
    public String kind() {
        return "SparseCategoricalCrossentropy";
    }

    @Override
    protected Layout layout(int[] yTrueShape, int[] yPredShape) {
        return sparseLayout(yTrueShape, yPredShape);
    }

    @Override
    protected Float ignoredLabel() {
        return ignoredLabel;
    }

    @Override
    public Optional<Loss> onLogits(int[] yTrueShape, int[] yPredShape) {
        // With ignore_class Keras replaces y_pred by where(valid, y_pred, 0) first: the logits are lost.
        if (ignoreClass != null || !layout(yTrueShape, yPredShape).predKept()) {
            return Optional.empty();
        }
        return Optional.of(fromLogits ? this : new SparseCategoricalCrossentropy(true, null, name(), reduction()));
    }

    @Override
    protected float value(float[] yt, int ytOff, float[] yp, int ypOff, int d, float c, float[] grad) {
        int label = (int) yt[ytOff];
        if (fromLogits) {
            float max = Crossentropy.max(yp, ypOff, d);
            float sumExp = Crossentropy.sumExp(yp, ypOff, d, max);
            if (grad != null) {
                for (int j = 0; j < d; j++) {
                    float softmax = Float32.exp(yp[ypOff + j] - max) / sumExp;
                    grad[ypOff + j] = c * (softmax - (j == label ? 1f : 0f));
                }
            }
            return Float32.log(sumExp) - (yp[ypOff + label] - max);
        }
        // Probabilities: logits are log(clip(p)); max and sums as the fused kernel computes them.
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < d; j++) {
            max = Math.max(max, Float32.log(Crossentropy.clip(yp[ypOff + j])));
        }
        double s = 0;
        for (int j = 0; j < d; j++) {
            s += Float32.exp(Float32.log(Crossentropy.clip(yp[ypOff + j])) - max);
        }
        float sumExp = (float) s;
        if (grad != null) {
            for (int j = 0; j < d; j++) {
                float p = yp[ypOff + j];
                float o = Crossentropy.clip(p);
                if (Crossentropy.clipPasses(p)) {
                    float softmax = Float32.exp(Float32.log(o) - max) / sumExp;
                    grad[ypOff + j] = c * (softmax - (j == label ? 1f : 0f)) * (1f / o);
                } else {
                    grad[ypOff + j] = 0f;
                }
            }
        }
        return Float32.log(sumExp) - (Float32.log(Crossentropy.clip(yp[ypOff + label])) - max);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SparseCategoricalCrossentropy l && fromLogits == l.fromLogits
                && java.util.Objects.equals(ignoreClass, l.ignoreClass) && name().equals(l.name())
                && reduction() == l.reduction();
    }

    @Override
    public int hashCode() {
        return (name().hashCode() * 31 + Boolean.hashCode(fromLogits)) * 31 + java.util.Objects.hashCode(ignoreClass);
    }

    @Override
    public String toString() {
        return "SparseCategoricalCrossentropy(from_logits=" + fromLogits + ", ignore_class=" + ignoreClass
                + ", name=" + name() + ", reduction=" + reduction().keras() + ")";
    }
}
