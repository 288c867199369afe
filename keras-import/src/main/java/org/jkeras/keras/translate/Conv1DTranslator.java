package org.jkeras.keras.translate;

import org.jkeras.keras.Limit;
import org.jkeras.keras.config.ConfigNode;
import org.jkeras.keras.format.LayerWeights;
import org.jkeras.runtime.tensor.Activation;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.layers.Conv1D;

/**
 * Keras {@code Conv1D} (Keras 2 and 3; {@code kernel_size}, {@code strides}, {@code dilation_rate} as an int or a
 * one-entry list): {@code filters}, {@code padding} valid / same / causal, {@code groups}, {@code activation},
 * {@code use_bias}; weights kernel {@code [kernel_size, channels / groups, filters]} and bias {@code [filters]}.
 * Refused: {@code data_format='channels_first'} and a Keras 3 LoRA ({@code lora_rank}).
 */
final class Conv1DTranslator implements LayerTranslator {
    @Override
    public Conv1D translate(LayerSpec spec, Shape input, LayerWeights weights, TranslationContext ctx) {
        ConfigNode c = spec.config();
        requireChannelsLast(spec, ctx);
        if (c.has("lora_rank")) {
            throw ctx.error(spec, "lora_rank " + c.raw("lora_rank") + " (a LoRA-adapted kernel) is not supported");
        }
        int filters = c.integer("filters", 1, Limit.MAX_UNITS, ctx.limits());
        int k = IntLists.single(c, "kernel_size", 1, 1, Limit.MAX_DIM, ctx.limits());
        int stride = IntLists.single(c, "strides", 1, 1, Limit.MAX_DIM, ctx.limits());
        int dilation = IntLists.single(c, "dilation_rate", 1, 1, Limit.MAX_DIM, ctx.limits());
        int groups = c.has("groups") ? c.integer("groups", 1, Limit.MAX_UNITS, ctx.limits()) : 1;
        String pad = c.string("padding", "valid").toLowerCase(java.util.Locale.ROOT);
        Conv1D.Padding padding = switch (pad) {
            case "valid" -> Conv1D.Padding.VALID;
            case "same" -> Conv1D.Padding.SAME;
            case "causal" -> Conv1D.Padding.CAUSAL;
            default -> throw ctx.error(spec, "field 'padding' is '" + pad + "', expected valid, same or causal");
        };
        boolean useBias = c.bool("use_bias", true);
        Activation activation = ActivationNames.resolve(spec, "activation", "linear", ctx);
        if (input.rank() != 3 || input.dim(2) == Shape.UNKNOWN) {
            throw ctx.error(spec, "expects input [batch, steps, channels] with known channels, got " + input);
        }
        int channels = input.dim(2);
        if (channels % groups != 0 || filters % groups != 0) {
            throw ctx.error(spec, "groups " + groups + " must divide both the input's " + channels
                    + " channels and the " + filters + " filters");
        }
        Weights.requireCount(spec, ctx, weights, useBias ? 2 : 1, useBias ? "kernel, bias" : "kernel");
        Tensor kernel = Weights.read(spec, ctx, weights.get(0), "kernel", k, channels / groups, filters);
        Tensor bias = useBias ? Weights.read(spec, ctx, weights.get(1), "bias", filters) : null;
        return new Conv1D(spec.name(), kernel, bias, groups, stride, dilation, padding, activation);
    }

    /** 1-D layers run channels_last only ([batch, steps, channels], Keras's default). */
    static void requireChannelsLast(LayerSpec spec, TranslationContext ctx) {
        String f = spec.config().string("data_format", "channels_last");
        if (!"channels_last".equals(f)) {
            throw ctx.error(spec, "data_format='" + f + "' is not supported (only channels_last, [batch, steps,"
                    + " channels])");
        }
    }
}
