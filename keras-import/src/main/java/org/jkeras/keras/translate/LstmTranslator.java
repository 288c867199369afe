package org.jkeras.keras.translate;

import org.jkeras.keras.config.ConfigNode;
import org.jkeras.keras.format.LayerWeights;
import org.jkeras.runtime.Shape;
import org.jkeras.runtime.Tensor;
import org.jkeras.runtime.kernels.Activation;
import org.jkeras.runtime.layers.Lstm;
import org.jkeras.runtime.layers.SingleInputLayer;

/**
 * Keras {@code LSTM} (Keras 1 names: {@code output_dim}, {@code inner_activation}, per-gate
 * weights). Refuses what the runtime cannot do yet: {@code go_backwards}, {@code return_state},
 * {@code time_major}. A {@code stateful} LSTM is accepted (one predict from zero state is
 * exactly Keras's first call after a reset) and noted in the metadata. Dropout is the identity
 * at inference; {@code unit_forget_bias} only affects initialisation.
 */
final class LstmTranslator implements LayerTranslator {
    @Override
    public SingleInputLayer translate(LayerSpec spec, Shape input, LayerWeights weights, TranslationContext ctx) {
        ConfigNode c = spec.config();
        int units = c.integer(c.firstPresent("units", "output_dim").orElse("units"), 1, Limits.MAX_UNITS);
        refuse(spec, ctx, "go_backwards", "processing the sequence backwards");
        refuse(spec, ctx, "return_state", "returning the final states as extra outputs");
        refuse(spec, ctx, "time_major", "time-major inputs");
        if (c.bool("stateful", false)) {
            ctx.note("stateful", "layer '" + spec.name() + "' is stateful in Keras; predict() starts from zero"
                    + " state on every call, like Keras's first call after reset_states()");
        }
        boolean returnSequences = c.bool("return_sequences", false);
        boolean useBias = c.bool("use_bias", true);
        Activation activation = ActivationNames.resolve(spec, "activation", "tanh", ctx);
        String recurrentField = c.firstPresent("recurrent_activation", "inner_activation").orElse("recurrent_activation");
        Activation recurrent = ActivationNames.resolve(spec, recurrentField,
                ctx.version().defaultRecurrentActivation(), ctx);
        if (!activation.isElementwise() || !recurrent.isElementwise()) {
            throw ctx.error(spec, "row-wise activations (softmax) inside an LSTM cell are not supported");
        }
        if (input.rank() != 3) {
            throw ctx.error(spec, "expects input [batch, time, features], got " + input);
        }
        int in = input.dim(2);
        if (in == Shape.UNKNOWN) {
            throw ctx.error(spec, "the input's feature dimension must be known, got " + input);
        }
        Tensor kernel;
        Tensor recurrentKernel;
        Tensor bias = null;
        if (Keras1LstmWeights.matches(weights)) {
            Tensor[] k1 = Keras1LstmWeights.assemble(spec, ctx, weights, in, units);
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
        return new Lstm(spec.name(), units, kernel, recurrentKernel, bias, activation, recurrent, returnSequences);
    }

    private static void refuse(LayerSpec spec, TranslationContext ctx, String field, String what) {
        if (spec.config().bool(field, false)) {
            throw ctx.error(spec, field + "=True (" + what + ") is not supported yet");
        }
    }
}
