package org.jkeras.keras.translate;

import org.jkeras.keras.Limit;
import org.jkeras.keras.format.LayerWeights;
import org.jkeras.runtime.layers.ActivationLayer;
import org.jkeras.runtime.layers.Dropout;
import org.jkeras.runtime.layers.Flatten;
import org.jkeras.runtime.layers.RepeatVector;

/**
 * Translators for the weightless layers: dropouts and noise (identity at inference), Activation,
 * Flatten, RepeatVector.
 */
final class SimpleTranslators {
    private SimpleTranslators() {
    }

    /** Dropout, SpatialDropout1D, GaussianNoise, ...: identity at inference, kept for summaries. */
    static LayerTranslator dropout() {
        return (spec, input, weights, ctx) -> {
            requireNoWeights(spec, weights, ctx);
            var c = spec.config();
            double rate = c.number(c.firstPresent("rate", "p", "stddev").orElse("rate"), 0.0);
            return new Dropout(spec.name(), spec.className(), rate);
        };
    }

    /** Masking(mask_value=0.0): Keras 3 zeroes masked steps with where, tf.keras 2 by multiplying. */
    static LayerTranslator masking() {
        return (spec, input, weights, ctx) -> {
            requireNoWeights(spec, weights, ctx);
            tools.jackson.databind.JsonNode v = spec.config().raw("mask_value");
            if (v != null && !v.isNumber()) {
                throw ctx.error(spec, "field 'mask_value' is " + org.jkeras.keras.config.ConfigNode.abbreviate(v)
                        + ", expected a number (a tensor mask_value is not supported)");
            }
            float value = (float) spec.config().number("mask_value", 0.0);
            return new org.jkeras.runtime.layers.Masking(spec.name(), value, !ctx.version().isKeras3());
        };
    }

    /** Activation(name). */
    static LayerTranslator activation() {
        return (spec, input, weights, ctx) -> {
            requireNoWeights(spec, weights, ctx);
            return new ActivationLayer(spec.name(), ActivationNames.resolveAny(spec, "activation", null, ctx));
        };
    }

    /** Flatten (channels_last only: channels_first would permute before flattening). */
    static LayerTranslator flatten() {
        return (spec, input, weights, ctx) -> {
            requireNoWeights(spec, weights, ctx);
            if ("channels_first".equals(spec.config().string("data_format", "channels_last")) && input.rank() > 2) {
                throw ctx.error(spec, "data_format='channels_first' is not supported yet");
            }
            return new Flatten(spec.name());
        };
    }

    /** RepeatVector(n): [batch, features] -> [batch, n, features]. */
    static LayerTranslator repeatVector() {
        return (spec, input, weights, ctx) -> {
            requireNoWeights(spec, weights, ctx);
            if (input.rank() != 2) {
                throw ctx.error(spec, "expects input [batch, features], got " + input);
            }
            int n = spec.config().integer("n", 1, Limit.MAX_DIM, ctx.limits());
            return new RepeatVector(spec.name(), n);
        };
    }

    private static void requireNoWeights(LayerSpec spec, LayerWeights weights, TranslationContext ctx) {
        if (weights.size() != 0) {
            throw ctx.error(spec, "a " + spec.className() + " has no weights, but the file stores " + weights.size()
                    + " at " + weights.location());
        }
    }
}
