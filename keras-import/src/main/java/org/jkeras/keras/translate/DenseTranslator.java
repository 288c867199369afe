package org.jkeras.keras.translate;

import org.jkeras.keras.Limit;
import org.jkeras.keras.config.ConfigNode;
import org.jkeras.keras.format.LayerWeights;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.layers.Dense;
import org.jkeras.runtime.layers.SingleInputLayer;
import org.jkeras.runtime.layers.TimeDistributed;

/**
 * Keras {@code Dense} on the last axis (Keras 1 names: {@code output_dim}, {@code bias}); with
 * {@code timeDistributed}, Keras 1's {@code TimeDistributedDense}, which is a Dense applied at
 * every step of a {@code [batch, time, features]} input.
 */
final class DenseTranslator implements LayerTranslator {
    private final boolean timeDistributed;

    DenseTranslator(boolean timeDistributed) {
        this.timeDistributed = timeDistributed;
    }

    @Override
    public SingleInputLayer translate(LayerSpec spec, Shape input, LayerWeights weights, TranslationContext ctx) {
        ConfigNode c = spec.config();
        int units = c.integer(c.firstPresent("units", "output_dim").orElse("units"), 1, Limit.MAX_UNITS, ctx.limits());
        boolean useBias = c.bool(c.firstPresent("use_bias", "bias").orElse("use_bias"), true);
        var activation = ActivationNames.resolve(spec, "activation", "linear", ctx);
        if (input.rank() < 2 || (timeDistributed && input.rank() != 3)) {
            throw ctx.error(spec, "expects input " + (timeDistributed ? "[batch, time, features]" : "[batch, ..., features]")
                    + ", got " + input);
        }
        int in = input.dim(-1);
        if (in == Shape.UNKNOWN) {
            throw ctx.error(spec, "the input's last dimension must be known, got " + input);
        }
        Weights.requireCount(spec, ctx, weights, useBias ? 2 : 1, useBias ? "kernel, bias" : "kernel");
        Tensor kernel = Weights.read(spec, ctx, weights.get(0), "kernel", in, units);
        Tensor bias = useBias ? Weights.read(spec, ctx, weights.get(1), "bias", units) : null;
        Dense dense = new Dense(spec.name(), kernel, bias, activation);
        return timeDistributed ? new TimeDistributed(spec.name(), dense) : dense;
    }
}
