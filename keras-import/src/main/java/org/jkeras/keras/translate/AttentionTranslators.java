package org.jkeras.keras.translate;

import java.util.List;
import java.util.Set;
import org.jkeras.keras.config.ConfigNode;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.layers.Attention;

/**
 * Translators for {@code Attention} ({@code use_scale}, {@code score_mode} dot/concat) and
 * {@code AdditiveAttention} ({@code use_scale}), called on {@code [query, value]} or {@code [query, value, key]}.
 * Their weights are those Keras builds, in build order: Attention's scalar {@code scale} (with use_scale), then its
 * scalar {@code concat_score_weight} (score_mode concat); AdditiveAttention's {@code scale} of the query's size.
 * The causal mask is the call's {@code use_causal_mask}, or, in tf.keras 2 files, the deprecated constructor
 * argument {@code causal} (tf_keras 2.21 still honours it: {@code self.causal or use_causal_mask}). Dropout acts only
 * in training and is ignored. {@code return_attention_scores=True} is refused.
 */
final class AttentionTranslators {
    /** Call arguments that do not change what the layer computes at inference, or that are read here. */
    private static final Set<String> CALL_ARGS = Set.of("use_causal_mask", "return_attention_scores", "training",
            "mask");

    private AttentionTranslators() {
    }

    /** Keras's Attention (Luong). */
    static CallTranslator attention() {
        return (spec, inputs, call, weights, ctx) -> {
            ConfigNode c = spec.config();
            boolean useScale = c.bool("use_scale", false);
            String mode = c.string("score_mode", "dot");
            if (!mode.equals("dot") && !mode.equals("concat")) {
                throw ctx.error(spec, "field 'score_mode' is '" + org.jkeras.keras.Echo.of(mode)
                        + "', expected 'dot' or 'concat'");
            }
            boolean concat = mode.equals("concat");
            int expected = (useScale ? 1 : 0) + (concat ? 1 : 0);
            String roles = useScale && concat ? "scale, concat_score_weight" : useScale ? "scale"
                    : concat ? "concat_score_weight" : "none";
            Weights.requireCount(spec, ctx, weights, expected, roles);
            int at = 0;
            Tensor scale = useScale ? Weights.read(spec, ctx, weights.get(at++), "scale") : null;
            Tensor csw = concat ? Weights.read(spec, ctx, weights.get(at), "concat_score_weight") : null;
            boolean causal = causal(spec, call, ctx);
            checkInputs(spec, inputs, ctx);
            return new Attention(spec.name(), concat ? Attention.Score.CONCAT : Attention.Score.DOT, scale, csw,
                    causal);
        };
    }

    /** Keras's AdditiveAttention (Bahdanau); {@code use_scale} defaults to true. */
    static CallTranslator additive() {
        return (spec, inputs, call, weights, ctx) -> {
            ConfigNode c = spec.config();
            boolean useScale = c.bool("use_scale", true);
            checkInputs(spec, inputs, ctx);
            int dim = inputs.get(0).dim(2);
            if (useScale && dim == Shape.UNKNOWN) {
                throw ctx.error(spec, "the query's last dimension must be known, got " + inputs.get(0));
            }
            Weights.requireCount(spec, ctx, weights, useScale ? 1 : 0, useScale ? "scale" : "none");
            Tensor scale = useScale ? Weights.read(spec, ctx, weights.get(0), "scale", dim) : null;
            return new Attention(spec.name(), Attention.Score.ADDITIVE, scale, null, causal(spec, call, ctx));
        };
    }

    private static void checkInputs(LayerSpec spec, List<Shape> inputs, TranslationContext ctx) {
        if (inputs.size() < 2 || inputs.size() > 3) {
            throw ctx.error(spec, "is called on " + inputs.size() + " tensor(s); Keras calls it on [query, value] or"
                    + " [query, value, key]");
        }
        for (Shape s : inputs) {
            if (s.rank() != 3) {
                throw ctx.error(spec, "takes [batch, steps, features] inputs, got " + inputs
                        + " (other ranks are not supported yet)");
            }
        }
    }

    /** The call's use_causal_mask, or tf.keras's deprecated constructor argument {@code causal}. */
    private static boolean causal(LayerSpec spec, CallKwargs call, TranslationContext ctx) {
        call.requireOnly(spec, ctx, CALL_ARGS);
        if (call.bool(spec, ctx, "return_attention_scores", false)) {
            throw ctx.error(spec, "is called with return_attention_scores=True, which is not supported yet (the"
                    + " layer would output the scores as a second tensor)");
        }
        boolean causal = call.bool(spec, ctx, "use_causal_mask", false);
        ConfigNode c = spec.config();
        if (c.has("causal") && !c.raw("causal").isNull()) {
            if (ctx.version().isKeras3()) {
                throw ctx.error(spec, "field 'causal' is a tf.keras 2 argument that Keras 3 refuses (unexpected"
                        + " keyword argument); a Keras 3 file passes use_causal_mask to the call");
            }
            causal |= c.bool("causal", false);
        }
        return causal;
    }
}
