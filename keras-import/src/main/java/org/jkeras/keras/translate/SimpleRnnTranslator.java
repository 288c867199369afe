package org.jkeras.keras.translate;

import org.jkeras.keras.format.LayerWeights;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.layers.SimpleRnn;

/**
 * Keras {@code SimpleRNN}: {@code h = act(x·W + h·U + b)}. Weights are stored in the order
 * kernel, recurrent kernel, bias in every version (Keras 1 names them {@code W}, {@code U},
 * {@code b}). Shared fields and refusals: {@link RecurrentConfig}.
 */
final class SimpleRnnTranslator implements LayerTranslator {
    @Override
    public SimpleRnn translate(LayerSpec spec, Shape input, LayerWeights weights, TranslationContext ctx) {
        RecurrentConfig rc = RecurrentConfig.read(spec, input, ctx);
        int units = rc.units();
        Weights.requireCount(spec, ctx, weights, rc.useBias() ? 3 : 2,
                rc.useBias() ? "kernel, recurrent_kernel, bias" : "kernel, recurrent_kernel");
        Tensor kernel = Weights.read(spec, ctx, weights.get(0), "kernel", rc.in(), units);
        Tensor recurrentKernel = Weights.read(spec, ctx, weights.get(1), "recurrent_kernel", units, units);
        Tensor bias = rc.useBias() ? Weights.read(spec, ctx, weights.get(2), "bias", units) : null;
        return new SimpleRnn(spec.name(), units, kernel, recurrentKernel, bias, rc.activation(),
                rc.options());
    }
}
