package org.jkeras.keras.translate;

import org.jkeras.keras.config.ConfigNode;
import org.jkeras.keras.format.LayerWeights;
import org.jkeras.runtime.layers.Concatenate;
import org.jkeras.runtime.layers.Dot;
import org.jkeras.runtime.layers.ElementwiseMerge;
import tools.jackson.databind.JsonNode;

/**
 * Translators for Keras's merge layers, called on a list of tensors: {@code Add}, {@code Subtract},
 * {@code Multiply}, {@code Average}, {@code Maximum}, {@code Minimum}, {@code Concatenate(axis)} and
 * {@code Dot(axes, normalize)}. None has weights. Dot's {@code normalize} floors the squared norm where the
 * Keras version that wrote the file does (Keras 3 {@code ops.normalize}, tf.keras {@code l2_normalize}).
 */
final class MergeTranslators {
    /** Largest tensor rank (batch included) an axis number may refer to. */
    private static final int MAX_RANK = 8;

    private MergeTranslators() {
    }

    /** An element-wise merge. */
    static MultiInputTranslator elementwise(ElementwiseMerge.Op op) {
        return (spec, inputs, weights, ctx) -> {
            requireNoWeights(spec, weights, ctx);
            return new ElementwiseMerge(spec.name(), op);
        };
    }

    /** Concatenate(axis=-1). */
    static MultiInputTranslator concatenate() {
        return (spec, inputs, weights, ctx) -> {
            requireNoWeights(spec, weights, ctx);
            ConfigNode c = spec.config();
            int axis = c.has("axis") ? c.integer("axis", -MAX_RANK, MAX_RANK) : -1;
            if (axis == 0) {
                throw ctx.error(spec, "field 'axis' is 0: concatenating along the batch axis is not supported");
            }
            return new Concatenate(spec.name(), axis);
        };
    }

    /** Dot(axes, normalize=False): {@code axes} one integer for both inputs or a pair. */
    static MultiInputTranslator dot() {
        return (spec, inputs, weights, ctx) -> {
            requireNoWeights(spec, weights, ctx);
            ConfigNode c = spec.config();
            JsonNode axes = c.raw("axes");
            int a0;
            int a1;
            if (axes != null && axes.isIntegralNumber()) {
                a0 = axis(spec, ctx, axes);
                a1 = a0;
            } else if (axes != null && axes.isArray() && axes.size() == 2) {
                a0 = axis(spec, ctx, axes.get(0));
                a1 = axis(spec, ctx, axes.get(1));
            } else {
                throw ctx.error(spec, "field 'axes' must be an integer or a pair of integers, got "
                        + ConfigNode.abbreviate(axes));
            }
            boolean normalize = c.bool("normalize", false);
            double floor = ctx.version().isKeras3() ? Dot.KERAS3_FLOOR : Dot.TF_KERAS_FLOOR;
            return new Dot(spec.name(), a0, a1, normalize, floor);
        };
    }

    private static int axis(LayerSpec spec, TranslationContext ctx, JsonNode v) {
        if (v == null || !v.isIntegralNumber() || Math.abs(v.longValue()) > MAX_RANK) {
            throw ctx.error(spec, "field 'axes' holds " + ConfigNode.abbreviate(v) + ", expected an axis number");
        }
        if (v.intValue() == 0) {
            throw ctx.error(spec, "field 'axes' names the batch axis 0, which cannot be summed");
        }
        return v.intValue();
    }

    private static void requireNoWeights(LayerSpec spec, LayerWeights weights, TranslationContext ctx) {
        if (weights.size() != 0) {
            throw ctx.error(spec, "a " + spec.className() + " has no weights, but the file stores " + weights.size()
                    + " at " + weights.location());
        }
    }

    /** The merge translators by Keras class. */
    static java.util.Map<String, MultiInputTranslator> all() {
        java.util.Map<String, MultiInputTranslator> m = new java.util.HashMap<>();
        for (ElementwiseMerge.Op op : ElementwiseMerge.Op.values()) {
            m.put(op.kerasClass(), elementwise(op));
        }
        m.put("Concatenate", concatenate());
        m.put("Dot", dot());
        return java.util.Map.copyOf(m);
    }

}
