package org.jkeras.keras.translate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jkeras.keras.Echo;
import org.jkeras.keras.Limit;
import org.jkeras.keras.config.ConfigNode;
import org.jkeras.keras.format.LayerWeights;
import org.jkeras.keras.format.WeightArray;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.layers.Layer;
import org.jkeras.runtime.layers.MultiHeadAttention;
import tools.jackson.databind.JsonNode;

/**
 * Keras's {@code MultiHeadAttention} ({@code num_heads}, {@code key_dim}, {@code value_dim}, {@code use_bias},
 * {@code output_shape} of one dimension, the default {@code attention_axes}; {@code dropout} acts only in training),
 * called on {@code (query, value)} or {@code (query, value, key)} with {@code use_causal_mask}. The four
 * {@code EinsumDense} sublayers' weights are found by sublayer, as each format stores them: Keras 3 {@code .keras}
 * under {@code query_dense}, {@code key_dense}, {@code value_dense}, {@code output_dense} ({@code vars/0} kernel,
 * {@code vars/1} bias); legacy {@code .h5} as {@code <name>/query/kernel}, ..., {@code <name>/attention_output/bias}.
 * Refused by name: {@code attention_axes} other than the time axis, {@code use_gate}, {@code sliding_window},
 * {@code output_shape} of several dimensions, {@code return_attention_scores}, an {@code attention_mask} tensor.
 */
final class MultiHeadAttentionTranslator implements CallTranslator {
    private static final Set<String> CALL_ARGS = Set.of("use_causal_mask", "return_attention_scores", "training");
    private static final List<String> SUBLAYERS = List.of("query", "key", "value", "attention_output");

    @Override
    public Layer translate(LayerSpec spec, List<Shape> inputs, CallKwargs call, LayerWeights weights,
                           TranslationContext ctx) {
        ConfigNode c = spec.config();
        int max = ctx.limit(Limit.MAX_UNITS);
        int heads = c.integer("num_heads", 1, max);
        int keyDim = c.integer("key_dim", 1, max);
        int valueDim = c.has("value_dim") && !c.raw("value_dim").isNull() ? c.integer("value_dim", 1, max) : keyDim;
        boolean useBias = c.bool("use_bias", true);
        if (c.bool("use_gate", false)) {
            throw ctx.error(spec, "field 'use_gate' is true, which is not supported yet");
        }
        if (c.has("sliding_window") && !c.raw("sliding_window").isNull()) {
            throw ctx.error(spec, "field 'sliding_window' is " + ConfigNode.abbreviate(c.raw("sliding_window"))
                    + ", which is not supported yet (expected null)");
        }
        requireTimeAxis(spec, c.raw("attention_axes"), ctx);
        if (inputs.size() < 2 || inputs.size() > 3) {
            throw ctx.error(spec, "is called on " + inputs.size() + " tensor(s); Keras calls it on (query, value) or"
                    + " (query, value, key)");
        }
        for (Shape s : inputs) {
            if (s.rank() != 3 || s.dim(2) == Shape.UNKNOWN) {
                throw ctx.error(spec, "takes [batch, steps, features] inputs with known features, got " + inputs
                        + " (other ranks are not supported yet)");
            }
        }
        int dq = inputs.get(0).dim(2);
        int dv = inputs.get(1).dim(2);
        int dk = inputs.size() > 2 ? inputs.get(2).dim(2) : dv;
        int out = outputDim(spec, c.raw("output_shape"), dq, max, ctx);
        call.requireOnly(spec, ctx, CALL_ARGS);
        if (call.bool(spec, ctx, "return_attention_scores", false)) {
            throw ctx.error(spec, "is called with return_attention_scores=True, which is not supported yet (the"
                    + " layer would output the scores as a second tensor)");
        }
        boolean causal = call.bool(spec, ctx, "use_causal_mask", false);
        Map<String, List<WeightArray>> bySub = bySublayer(spec, weights, ctx);
        int per = useBias ? 2 : 1;
        Weights.requireCount(spec, ctx, weights, 4 * per, useBias
                ? "query, key, value and attention_output kernels and biases" : "query, key, value and"
                + " attention_output kernels");
        for (String sub : SUBLAYERS) {
            if (bySub.getOrDefault(sub, List.of()).size() != per) {
                throw ctx.error(spec, "expected " + per + " stored weight(s) of sublayer '" + sub + "' at "
                        + weights.location() + ", found " + bySub.getOrDefault(sub, List.of()));
            }
        }
        Tensor[] q = read(spec, ctx, bySub.get("query"), "query", useBias, new int[] {dq, heads, keyDim},
                new int[] {heads, keyDim});
        Tensor[] k = read(spec, ctx, bySub.get("key"), "key", useBias, new int[] {dk, heads, keyDim},
                new int[] {heads, keyDim});
        Tensor[] v = read(spec, ctx, bySub.get("value"), "value", useBias, new int[] {dv, heads, valueDim},
                new int[] {heads, valueDim});
        Tensor[] o = read(spec, ctx, bySub.get("attention_output"), "attention_output", useBias,
                new int[] {heads, valueDim, out}, new int[] {out});
        MultiHeadAttention.MaskedScores masked;
        if (ctx.version().isKeras3()) {
            masked = c.number("dropout", 0.0) > 0 ? MultiHeadAttention.MaskedScores.KERAS3_SOFTMAX_LAYER
                    : MultiHeadAttention.MaskedScores.KERAS3;
        } else {
            masked = c.bool("softmax_robust_masking", false) ? MultiHeadAttention.MaskedScores.TF_KERAS_ROBUST
                    : MultiHeadAttention.MaskedScores.TF_KERAS;
        }
        return new MultiHeadAttention(spec.name(), q[0], q[1], k[0], k[1], v[0], v[1], o[0], o[1], causal, masked);
    }

    /** Only the time axis: null, 1, [1] or [-2] (Keras normalises -2 of the projected rank-4 tensor to 1). */
    private static void requireTimeAxis(LayerSpec spec, JsonNode axes, TranslationContext ctx) {
        if (axes == null || axes.isNull()) {
            return;
        }
        JsonNode one = axes.isArray() && axes.size() == 1 ? axes.get(0) : axes;
        if (one.isIntegralNumber() && (one.intValue() == 1 || one.intValue() == -2)) {
            return;
        }
        throw ctx.error(spec, "field 'attention_axes' is " + ConfigNode.abbreviate(axes) + ": only the default"
                + " (attention over the time axis, [1]) is supported");
    }

    private static int outputDim(LayerSpec spec, JsonNode shape, int dq, int max, TranslationContext ctx) {
        if (shape == null || shape.isNull()) {
            return dq;
        }
        JsonNode one = shape.isArray() && shape.size() == 1 ? shape.get(0) : shape;
        if (!one.isIntegralNumber() || one.intValue() < 1 || one.intValue() > max) {
            throw ctx.error(spec, "field 'output_shape' is " + ConfigNode.abbreviate(shape) + ": only one positive"
                    + " dimension (an integer or a list of one) is supported");
        }
        return one.intValue();
    }

    /** The stored arrays by sublayer, in stored order within each. */
    private static Map<String, List<WeightArray>> bySublayer(LayerSpec spec, LayerWeights weights,
                                                             TranslationContext ctx) {
        Map<String, List<WeightArray>> out = new HashMap<>();
        for (WeightArray a : weights.arrays()) {
            String sub = sublayer(a);
            if (sub == null) {
                throw ctx.error(spec, "stores weight " + Echo.of(a.location()) + ", which belongs to none of the"
                        + " sublayers " + SUBLAYERS);
            }
            out.computeIfAbsent(sub, x -> new ArrayList<>()).add(a);
        }
        return out;
    }

    /** Keras 3: the group above {@code vars} ({@code query_dense}, ...); legacy: the name's second-last segment. */
    private static String sublayer(WeightArray a) {
        String[] parts = a.location().split("/");
        for (int i = parts.length - 2; i > 0; i--) {
            if (parts[i].equals("vars")) {
                return switch (parts[i - 1]) {
                    case "query_dense" -> "query";
                    case "key_dense" -> "key";
                    case "value_dense" -> "value";
                    case "output_dense" -> "attention_output";
                    default -> null;
                };
            }
        }
        String[] name = a.name().split("/");
        if (name.length >= 2 && SUBLAYERS.contains(name[name.length - 2])) {
            return name[name.length - 2];
        }
        return null;
    }

    private static Tensor[] read(LayerSpec spec, TranslationContext ctx, List<WeightArray> arrays, String sub,
                                 boolean useBias, int[] kernel, int[] bias) {
        WeightArray k = arrays.get(0);
        WeightArray b = useBias ? arrays.get(1) : null;
        if (b != null && isKernel(b) && !isKernel(k)) { // legacy names order them; keep kernel first
            WeightArray t = k;
            k = b;
            b = t;
        }
        Tensor kt = Weights.read(spec, ctx, k, sub + "/kernel", kernel);
        Tensor bt = b == null ? null : Weights.read(spec, ctx, b, sub + "/bias", bias);
        return new Tensor[] {kt, bt};
    }

    private static boolean isKernel(WeightArray a) {
        String n = a.name();
        return n.substring(n.lastIndexOf('/') + 1).startsWith("kernel");
    }
}
