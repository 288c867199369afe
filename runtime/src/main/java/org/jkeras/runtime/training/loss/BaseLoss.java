package org.jkeras.runtime.training.loss;

import java.util.Arrays;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.tensor.Float32;

/**
 * The reduction and weighting every Keras loss shares ({@code Loss.__call__} with
 * {@code reduce_weighted_values} and {@code apply_mask}); subclasses give the shapes they accept
 * and the per-sample value with its gradient.
 *
 * <p>With {@code c_i} the reduction's gradient for value {@code i} — TensorFlow's
 * {@code div_no_nan(upstream, divisor) * weight_i} — each subclass writes
 * {@code dLoss/dy_pred} for the elements of sample {@code i}.
 */
public abstract class BaseLoss implements Loss {
    private final String name;
    private final Reduction reduction;

    /**
     * The name and reduction every Keras loss has.
     *
     * @param name the loss's {@code name}, e.g. {@code "mean_squared_error"}
     * @param reduction how per-sample losses are reduced
     * @throws IllegalArgumentException if either is null
     */
    protected BaseLoss(String name, Reduction reduction) {
        if (name == null || reduction == null) {
            throw new IllegalArgumentException("loss name and reduction must not be null");
        }
        this.name = name;
        this.reduction = reduction;
    }

    /**
     * How a loss sees its inputs: {@code n} per-sample values over {@code d} elements each of
     * {@code y_pred}, in the per-sample loss shape {@code valuesShape}.
     *
     * @param n           number of per-sample values
     * @param d           length of the reduced (last) axis of {@code y_pred}
     * @param valuesShape shape of the per-sample losses
     * @param sparse      y_true holds one label per value (else one target per y_pred element)
     * @param predKept    y_pred's shape survives Keras's rank fix (needed for {@link #onLogits})
     */
    protected record Layout(int n, int d, int[] valuesShape, boolean sparse, boolean predKept) {
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Reduction reduction() {
        return reduction;
    }

    /**
     * The shapes this loss accepts, or an exception naming expected and actual.
     *
     * @param yTrueShape the shape of the targets
     * @param yPredShape the shape of the predictions
     * @return the layout of the per-sample values
     * @throws IllegalArgumentException naming expected and actual shapes when they do not fit
     */
    protected abstract Layout layout(int[] yTrueShape, int[] yPredShape);

    /**
     * Value {@code i}'s loss, and its gradient when {@code grad != null}.
     *
     * @param yt     targets; this value's start at {@code ytOff} (its label when sparse)
     * @param ytOff the offset of this value's targets in {@code yt} (of its label when sparse)
     * @param yp     predictions; this value's {@code d} elements start at {@code ypOff}
     * @param ypOff the offset of this value's {@code d} predictions in {@code yp}
     * @param d the length of the reduced (last) axis
     * @param c      dLoss/dvalue
     * @param grad   null, or where to write dLoss/dy_pred for the same {@code d} elements (at {@code ypOff})
     * @return the per-sample loss
     */
    protected abstract float value(float[] yt, int ytOff, float[] yp, int ypOff, int d, float c, float[] grad);

    /**
     * For sparse losses: the class ignored ({@code ignore_class}), or null.
     *
     * @return the label whose values carry no loss, or null when no class is ignored
     */
    protected Float ignoredLabel() {
        return null;
    }

    @Override
    public final void checkTargets(Tensor yTrue, int[] yPredShape) {
        Layout l = layout(yTrue.shape(), yPredShape);
        if (l.sparse()) {
            checkLabels(yTrue, l);
        }
    }

    @Override
    public final float compute(Tensor yTrue, Tensor yPred, Tensor sampleWeight, Tensor mask, float[] gradOut,
                               float gradScale) {
        if (reduction == Reduction.NONE) {
            throw new IllegalArgumentException("loss '" + name + "' has reduction 'none', which gives per-sample losses"
                    + " and no single value; use sum_over_batch_size, mean, mean_with_sample_weight or sum");
        }
        Layout l = layout(yTrue.shape(), yPred.shape());
        if (gradOut != null && gradOut.length != yPred.size()) {
            throw new IllegalArgumentException("gradient array has " + gradOut.length + " values, y_pred of shape "
                    + Shape.format(yPred.shape()) + " has " + yPred.size());
        }
        if (l.sparse()) {
            checkLabels(yTrue, l);
        }
        SampleWeights weights = sampleWeight == null ? null : SampleWeights.resolve(sampleWeight, l.valuesShape(),
                "sample_weight");
        if (mask != null && mask.size() != l.n()) {
            throw new IllegalArgumentException("mask of shape " + Shape.format(mask.shape()) + " does not fit the"
                    + " per-sample loss shape " + Shape.format(l.valuesShape()));
        }
        float[] yt = yTrue.data();
        float[] yp = yPred.data();
        float[] m = mask == null ? null : mask.data();
        Float ignored = ignoredLabel();
        int n = l.n();
        int d = l.d();
        boolean masked = m != null || ignored != null;
        // Keras's apply_mask: valid entries weigh total/valid for the averaging reductions, else 1.
        float maskWeight = 1f;
        if (masked && (reduction == Reduction.SUM_OVER_BATCH_SIZE || reduction == Reduction.MEAN)) {
            int valid = 0;
            for (int i = 0; i < n; i++) {
                valid += valid(m, yt, l, i, ignored) ? 1 : 0;
            }
            maskWeight = Float32.divNoNan((float) n, (float) valid);
        }
        boolean weighted = weights != null || masked;
        float divisor = switch (reduction) {
            case SUM -> 1f;
            case MEAN_WITH_SAMPLE_WEIGHT -> !weighted ? (float) n
                    : masked ? mergedWeightSum(weights, m, yt, l, ignored, maskWeight) : weights.sumOwn();
            default -> (float) n;
        };
        float base = reduction == Reduction.SUM ? gradScale : Float32.divNoNan(gradScale, divisor);
        double total = 0;
        for (int i = 0; i < n; i++) {
            int ypOff = i * d;
            int ytOff = l.sparse() ? i : ypOff;
            if (ignored != null && yt[ytOff] == ignored) {
                // Keras zeroes both the value and y_pred for ignored labels: no loss, no gradient.
                if (gradOut != null) {
                    Arrays.fill(gradOut, ypOff, ypOff + d, 0f);
                }
                continue;
            }
            float w = weighted ? weight(weights, m, i, maskWeight) : 1f;
            float c = weighted ? base * w : base;
            float v = value(yt, ytOff, yp, ypOff, d, c, gradOut);
            total += weighted ? v * w : v;
        }
        return reduction == Reduction.SUM ? (float) total : Float32.divNoNan((float) total, divisor);
    }

    /** The merged weight of value {@code i}: sample weight times mask weight (either may be absent). */
    private static float weight(SampleWeights weights, float[] m, int i, float maskWeight) {
        if (m == null) {
            return weights == null ? maskWeight : weights.at(i) * maskWeight;
        }
        float fm = m[i] != 0f ? maskWeight : 0f;
        return weights == null ? fm : weights.at(i) * fm;
    }

    private float mergedWeightSum(SampleWeights weights, float[] m, float[] yt, Layout l, Float ignored,
                                  float maskWeight) {
        double s = 0;
        for (int i = 0; i < l.n(); i++) {
            if (valid(null, yt, l, i, ignored)) {
                s += weight(weights, m, i, maskWeight);
            }
        }
        return (float) s;
    }

    private static boolean valid(float[] m, float[] yt, Layout l, int i, Float ignored) {
        if (m != null && m[i] == 0f) {
            return false;
        }
        return ignored == null || yt[l.sparse() ? i : i * l.d()] != ignored;
    }

    /** Sparse labels must be class indices in [0, d), except the ignored class. */
    private void checkLabels(Tensor yTrue, Layout l) {
        float[] yt = yTrue.data();
        Float ignored = ignoredLabel();
        for (int i = 0; i < l.n(); i++) {
            float label = yt[i];
            if (ignored != null && label == ignored) {
                continue;
            }
            if (!(label >= 0 && label < l.d()) || label != Math.rint(label)) {
                throw new IllegalArgumentException(name + ": y_true" + KerasShapes.index(i, yTrue.shape()) + " = "
                        + label + " is not a class index in [0, " + l.d() + ")" + (ignored != null
                        ? " or the ignore_class " + ignored : ""));
            }
        }
    }

    /**
     * Layout of a loss on matching {@code y_true} and {@code y_pred} (after Keras's rank fix),
     * reduced over the last axis.
     *
     * @param yTrueShape the shape of the targets
     * @param yPredShape the shape of the predictions, rank >= 2
     * @return one value per {@code y_pred} row of the last axis, targets element by element
     * @throws IllegalArgumentException naming the shapes when they differ after the rank fix
     */
    protected final Layout denseLayout(int[] yTrueShape, int[] yPredShape) {
        int[][] fixed = KerasShapes.squeezeOrExpand(yTrueShape, yPredShape);
        int[] t = fixed[0];
        int[] p = fixed[1];
        if (!Arrays.equals(t, p)) {
            throw new IllegalArgumentException(name + ": y_true of shape " + Shape.format(yTrueShape)
                    + " does not match y_pred of shape " + Shape.format(yPredShape) + "; expected y_true of shape "
                    + Shape.format(yPredShape) + (yPredShape.length > 0 && yPredShape[yPredShape.length - 1] == 1
                    ? " or " + Shape.format(Arrays.copyOf(yPredShape, yPredShape.length - 1)) : ""));
        }
        return reducedLast(p, false, Arrays.equals(p, yPredShape), yPredShape);
    }

    /**
     * Layout of a sparse loss: one label per row of {@code y_pred}'s last axis, labels of shape
     * {@code y_pred.shape[:-1]} or with a trailing 1.
     *
     * @param yTrueShape the shape of the labels
     * @param yPredShape the shape of the predictions, rank >= 2, classes last
     * @return one value, and one label, per {@code y_pred} row of the last axis
     * @throws IllegalArgumentException naming the expected label shapes when they do not fit
     */
    protected final Layout sparseLayout(int[] yTrueShape, int[] yPredShape) {
        int[][] fixed = KerasShapes.squeezeOrExpand(yTrueShape, yPredShape);
        int[] t = fixed[0];
        int[] p = fixed[1];
        if (t.length == p.length && t.length > 0 && t[t.length - 1] == 1) {
            t = Arrays.copyOf(t, t.length - 1);
        }
        if (p.length < 2 || !Arrays.equals(t, Arrays.copyOf(p, p.length - 1))) {
            int[] expected = yPredShape.length > 0 ? Arrays.copyOf(yPredShape, yPredShape.length - 1) : yPredShape;
            throw new IllegalArgumentException(name + ": y_true of shape " + Shape.format(yTrueShape)
                    + " does not fit y_pred of shape " + Shape.format(yPredShape) + "; expected class indices of shape "
                    + Shape.format(expected) + " or " + Shape.format(append1(expected)));
        }
        return reducedLast(p, true, Arrays.equals(p, yPredShape), yPredShape);
    }

    private Layout reducedLast(int[] p, boolean sparse, boolean kept, int[] yPredShape) {
        if (p.length < 2) {
            throw new IllegalArgumentException(name + ": y_pred of shape " + Shape.format(yPredShape)
                    + " needs at least 2 dimensions [batch, ..., outputs]");
        }
        int[] values = Arrays.copyOf(p, p.length - 1);
        return new Layout(KerasShapes.size(values), p[p.length - 1], values, sparse, kept);
    }

    private static int[] append1(int[] s) {
        int[] r = Arrays.copyOf(s, s.length + 1);
        r[s.length] = 1;
        return r;
    }

    /**
     * Requires the class axis to be the last one (TensorFlow's only supported case for sparse losses).
     *
     * @param axis Keras's {@code axis} argument
     * @throws IllegalArgumentException unless {@code axis == -1}
     */
    protected final void requireLastAxis(int axis) {
        if (axis != -1) {
            throw new IllegalArgumentException(name + ": axis=" + axis + " is not supported, only axis=-1 (the last)");
        }
    }

    @Override
    public String toString() {
        return kind() + "(name=" + name + ", reduction=" + reduction.keras() + ")";
    }
}
