package org.jkeras.keras.translate;

import java.util.Arrays;
import org.jkeras.keras.config.ConfigNode;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.layers.BatchNormalization;
import org.jkeras.runtime.layers.LayerNormalization;
import org.jkeras.runtime.layers.RmsNormalization;
import org.jkeras.runtime.layers.UnitNormalization;

/**
 * The normalization layers at inference: BatchNormalization ({@code axis} one axis, {@code epsilon},
 * {@code center}, {@code scale}; weights gamma, beta, moving_mean, moving_variance as present), LayerNormalization
 * ({@code axis} one or several, {@code epsilon}, {@code center}, {@code scale}, Keras 3's {@code rms_scaling};
 * weights gamma, beta), UnitNormalization ({@code axis}; Keras 3 and tf.keras 2 bound tiny norms differently) and
 * Keras 3's RMSNormalization ({@code axis}, {@code epsilon}; weight scale). Refused with the reason: Keras 1's
 * BatchNormalization ({@code mode}, running statistics by other names), batch renormalization ({@code renorm}),
 * {@code virtual_batch_size}, a BatchNormalization over several axes (tf.keras 2 only; its parameters are
 * stored broadcast), and axis lists whose order Keras stores the parameters in differs from the axes' order.
 */
final class NormalizationTranslators {
    private NormalizationTranslators() {
    }

    static LayerTranslator batchNormalization() {
        return (spec, input, weights, ctx) -> {
            ConfigNode c = spec.config();
            if (ctx.version().isKeras1()) {
                throw ctx.error(spec, "Keras 1's BatchNormalization (mode, running_mean/running_std) is not"
                        + " supported; re-save the model with Keras 2 or 3");
            }
            if (c.bool("renorm", false)) {
                throw ctx.error(spec, "renorm=True (batch renormalization) is not supported");
            }
            if (c.has("virtual_batch_size")) {
                throw ctx.error(spec, "virtual_batch_size " + c.raw("virtual_batch_size") + " is not supported");
            }
            int[] axes = IntLists.of(c, "axis", new int[] {-1}, -8, 8);
            if (axes.length != 1) {
                throw ctx.error(spec, "axis " + Arrays.toString(axes) + ": a BatchNormalization over several axes"
                        + " (tf.keras 2 only) is not supported");
            }
            int[] dims = dims(spec, ctx, input, axes);
            boolean scale = c.bool("scale", true);
            boolean center = c.bool("center", true);
            int count = (scale ? 1 : 0) + (center ? 1 : 0) + 2;
            Weights.requireCount(spec, ctx, weights, count, (scale ? "gamma, " : "") + (center ? "beta, " : "")
                    + "moving_mean, moving_variance");
            int w = 0;
            Tensor gamma = scale ? Weights.read(spec, ctx, weights.get(w++), "gamma", dims) : null;
            Tensor beta = center ? Weights.read(spec, ctx, weights.get(w++), "beta", dims) : null;
            Tensor mean = Weights.read(spec, ctx, weights.get(w++), "moving_mean", dims);
            Tensor var = Weights.read(spec, ctx, weights.get(w), "moving_variance", dims);
            return new BatchNormalization(spec.name(), axes, gamma, beta, mean, var, epsilon(spec, ctx, 1e-3),
                    c.bool("trainable", true));
        };
    }

    static LayerTranslator layerNormalization() {
        return (spec, input, weights, ctx) -> {
            ConfigNode c = spec.config();
            int[] axes = IntLists.of(c, "axis", new int[] {-1}, -8, 8);
            int[] dims = dims(spec, ctx, input, axes);
            boolean rms = c.bool("rms_scaling", false);
            boolean scale = c.bool("scale", true) || rms;
            boolean center = c.bool("center", true) && !rms;
            int count = (scale ? 1 : 0) + (center ? 1 : 0);
            Weights.requireCount(spec, ctx, weights, count, count == 0 ? "none" : (scale ? "gamma" : "")
                    + (scale && center ? ", " : "") + (center ? "beta" : ""));
            int w = 0;
            Tensor gamma = scale ? Weights.read(spec, ctx, weights.get(w++), "gamma", dims) : null;
            Tensor beta = center ? Weights.read(spec, ctx, weights.get(w), "beta", dims) : null;
            return new LayerNormalization(spec.name(), axes, dims, gamma, beta, epsilon(spec, ctx, 1e-3), rms);
        };
    }

    static LayerTranslator unitNormalization() {
        return (spec, input, weights, ctx) -> {
            ActivationLayerTranslators.requireNoWeights(spec, weights, ctx);
            int[] axes = IntLists.of(spec.config(), "axis", new int[] {-1}, -8, 8);
            UnitNormalization u = new UnitNormalization(spec.name(), axes, ctx.version().isKeras3());
            u.outputShape(input);
            return u;
        };
    }

    static LayerTranslator rmsNormalization() {
        return (spec, input, weights, ctx) -> {
            int[] axes = IntLists.of(spec.config(), "axis", new int[] {-1}, -8, 8);
            int[] dims = dims(spec, ctx, input, axes);
            Weights.requireCount(spec, ctx, weights, 1, "scale");
            Tensor scale = Weights.read(spec, ctx, weights.get(0), "scale", dims);
            return new RmsNormalization(spec.name(), axes, scale, epsilon(spec, ctx, 1e-6));
        };
    }

    private static float epsilon(LayerSpec spec, TranslationContext ctx, double fallback) {
        double e = spec.config().number("epsilon", fallback);
        if (!(e >= 0) || Double.isInfinite(e)) {
            throw ctx.error(spec, "field 'epsilon' is " + e + ", expected a finite value >= 0");
        }
        return (float) e;
    }

    /**
     * The known dimensions of the normalized axes in ascending order (how the runtime indexes the parameters),
     * checked to be the order Keras stores them in: Keras 3 sorts the axes as given (so {@code [-1, 1]} stores
     * the last axis first), tf.keras 2 keeps them as given; a different order is refused.
     */
    private static int[] dims(LayerSpec spec, TranslationContext ctx, Shape input, int[] axes) {
        int rank = input.rank();
        int[] positive = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            int a = axes[i] < 0 ? axes[i] + rank : axes[i];
            if (a < 1 || a >= rank) {
                throw ctx.error(spec, "axis " + axes[i] + " is outside the non-batch axes of its input " + input);
            }
            positive[i] = a;
        }
        int[] stored = ctx.version().isKeras3() ? sortedRawOrder(axes, rank) : positive.clone();
        int[] ascending = positive.clone();
        Arrays.sort(ascending);
        if (!Arrays.equals(stored, ascending)) {
            throw ctx.error(spec, "axis " + Arrays.toString(axes) + ": Keras stores the parameters in the axis order "
                    + Arrays.toString(stored) + ", not ascending; such an axis list is not supported");
        }
        int[] dims = new int[ascending.length];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = input.dim(ascending[i]);
            if (dims[i] == Shape.UNKNOWN) {
                throw ctx.error(spec, "axis " + ascending[i] + " of its input " + input + " has no fixed size, so the"
                        + " parameters' shape is not known");
            }
        }
        return dims;
    }

    /** Keras 3's {@code sorted(axis)} on the raw (possibly negative) axes, made positive. */
    private static int[] sortedRawOrder(int[] axes, int rank) {
        int[] raw = axes.clone();
        Arrays.sort(raw);
        for (int i = 0; i < raw.length; i++) {
            raw[i] = raw[i] < 0 ? raw[i] + rank : raw[i];
        }
        return raw;
    }
}
