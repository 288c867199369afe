package org.jkeras.keras.translate;

import org.jkeras.keras.format.LayerWeights;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.tensor.Activation;
import org.jkeras.runtime.layers.Lstm;


/**
 * Keras {@code LSTM} (Keras 1 names: {@code output_dim}, {@code inner_activation}, per-gate
 * weights); the fields it shares with GRU and SimpleRNN are read by {@link RecurrentConfig}.
 * {@code unit_forget_bias} only affects initialisation.
 */
final class LstmTranslator implements LayerTranslator {
    @Override
    public Lstm translate(LayerSpec spec, Shape input, LayerWeights weights, TranslationContext ctx) {
        RecurrentConfig rc = RecurrentConfig.read(spec, input, ctx);
        Activation recurrent = RecurrentConfig.recurrentActivation(spec, ctx);
        int units = rc.units();
        int in = rc.in();
        boolean useBias = rc.useBias();
        Tensor kernel;
        Tensor recurrentKernel;
        Tensor bias = null;
        if (Keras1GateWeights.LSTM.matches(weights)) {
            Tensor[] k1 = Keras1GateWeights.LSTM.assemble(spec, ctx, weights, in, units);
            kernel = k1[0];
            recurrentKernel = k1[1];
            bias = k1[2];
        } else {
            Weights.requireCount(spec, ctx, weights, useBias ? 3 : 2,
                    useBias ? "kernel, recurrent_kernel, bias" : "kernel, recurrent_kernel");
            kernel = Weights.read(spec, ctx, weights.get(0), "kernel", in, 4 * units);
            recurrentKernel = Weights.read(spec, ctx, weights.get(1), "recurrent_kernel", units, 4 * units);
            if (useBias) {
                bias = Weights.read(spec, ctx, weights.get(2), "bias", 4 * units);
            }
        }
        return new Lstm(spec.name(), units, kernel, recurrentKernel, bias, rc.activation(), recurrent,
                rc.options());
    }
}
