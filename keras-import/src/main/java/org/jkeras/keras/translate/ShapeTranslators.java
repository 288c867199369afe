package org.jkeras.keras.translate;

import org.jkeras.keras.Limit;
import org.jkeras.keras.config.ConfigNode;
import org.jkeras.runtime.layers.Cropping1D;
import org.jkeras.runtime.layers.GlobalPooling1D;
import org.jkeras.runtime.layers.Permute;
import org.jkeras.runtime.layers.Pooling1D;
import org.jkeras.runtime.layers.Reshape;
import org.jkeras.runtime.layers.UpSampling1D;
import org.jkeras.runtime.layers.ZeroPadding1D;

/**
 * The weightless 1-D layers around convolutions: MaxPooling1D / AveragePooling1D ({@code pool_size},
 * {@code strides} (default: the pool size), {@code padding} valid / same), GlobalAveragePooling1D /
 * GlobalMaxPooling1D ({@code keepdims}), Cropping1D, ZeroPadding1D (an int or a pair), UpSampling1D
 * ({@code size}), Reshape ({@code target_shape}, one -1 allowed) and Permute ({@code dims}, 1-based).
 */
final class ShapeTranslators {
    private ShapeTranslators() {
    }

    static LayerTranslator pooling(boolean max) {
        return (spec, input, weights, ctx) -> {
            ActivationLayerTranslators.requireNoWeights(spec, weights, ctx);
            Conv1DTranslator.requireChannelsLast(spec, ctx);
            ConfigNode c = spec.config();
            int pool = IntLists.single(c, "pool_size", 2, 1, Limit.MAX_DIM, ctx.limits());
            int stride = IntLists.single(c, "strides", pool, 1, Limit.MAX_DIM, ctx.limits());
            return new Pooling1D(spec.name(), max, pool, stride, padding(spec, ctx));
        };
    }

    private static boolean padding(LayerSpec spec, TranslationContext ctx) {
        String p = spec.config().string("padding", "valid").toLowerCase(java.util.Locale.ROOT);
        return switch (p) {
            case "valid" -> false;
            case "same" -> true;
            default -> throw ctx.error(spec, "field 'padding' is '" + p + "', expected valid or same");
        };
    }

    static LayerTranslator globalPooling(boolean max) {
        return (spec, input, weights, ctx) -> {
            ActivationLayerTranslators.requireNoWeights(spec, weights, ctx);
            Conv1DTranslator.requireChannelsLast(spec, ctx);
            return new GlobalPooling1D(spec.name(), max, spec.config().bool("keepdims", false));
        };
    }

    /** A pair (before, after) from an int or a one- or two-entry list (Keras's normalize_tuple). */
    private static int[] pair(LayerSpec spec, String field, int fallback, TranslationContext ctx) {
        ConfigNode c = spec.config();
        int[] v = IntLists.of(c, field, new int[] {fallback}, 0, Limit.MAX_DIM, ctx.limits());
        if (v.length == 1) {
            return new int[] {v[0], v[0]};
        }
        if (v.length != 2) {
            throw c.error(field, "must be an integer or a pair, got " + ConfigNode.abbreviate(c.raw(field)));
        }
        return v;
    }

    static LayerTranslator cropping() {
        return (spec, input, weights, ctx) -> {
            ActivationLayerTranslators.requireNoWeights(spec, weights, ctx);
            int[] p = pair(spec, "cropping", 1, ctx);
            return new Cropping1D(spec.name(), p[0], p[1]);
        };
    }

    static LayerTranslator zeroPadding() {
        return (spec, input, weights, ctx) -> {
            ActivationLayerTranslators.requireNoWeights(spec, weights, ctx);
            int[] p = pair(spec, "padding", 1, ctx);
            return new ZeroPadding1D(spec.name(), p[0], p[1]);
        };
    }

    static LayerTranslator upSampling() {
        return (spec, input, weights, ctx) -> {
            ActivationLayerTranslators.requireNoWeights(spec, weights, ctx);
            return new UpSampling1D(spec.name(), IntLists.single(spec.config(), "size", 2, 1, Limit.MAX_DIM,
                    ctx.limits()));
        };
    }

    static LayerTranslator reshape() {
        return (spec, input, weights, ctx) -> {
            ActivationLayerTranslators.requireNoWeights(spec, weights, ctx);
            ConfigNode c = spec.config();
            if (!c.has("target_shape")) {
                throw ctx.error(spec, "field 'target_shape' is missing");
            }
            int[] target = IntLists.of(c, "target_shape", null, -1, Limit.MAX_DIM, ctx.limits());
            if (target.length + 1 > 8) {
                throw ctx.error(spec, "target_shape has rank " + target.length + ", more than 7");
            }
            return new Reshape(spec.name(), target);
        };
    }

    static LayerTranslator permute() {
        return (spec, input, weights, ctx) -> {
            ActivationLayerTranslators.requireNoWeights(spec, weights, ctx);
            ConfigNode c = spec.config();
            if (!c.has("dims")) {
                throw ctx.error(spec, "field 'dims' is missing");
            }
            int[] dims = IntLists.of(c, "dims", null, 1, 8);
            if (dims.length != input.rank() - 1) {
                throw ctx.error(spec, "dims " + java.util.Arrays.toString(dims) + " do not permute the "
                        + (input.rank() - 1) + " non-batch axes of " + input);
            }
            return new Permute(spec.name(), dims);
        };
    }
}
