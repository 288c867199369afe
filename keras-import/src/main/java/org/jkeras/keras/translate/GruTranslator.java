package org.jkeras.keras.translate;

import org.jkeras.keras.format.LayerWeights;
import org.jkeras.keras.format.WeightArray;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.tensor.Activation;
import org.jkeras.runtime.layers.Gru;

/**
 * Keras {@code GRU}, gates z, r, h. {@code reset_after} decides the bias layout: True (Keras 3
 * and tf.keras 2 default) stores {@code [2, 3u]} (input bias, recurrent bias), False (Keras 1,
 * which has no such field, and Keras 2.0-2.2's default) stores {@code [3u]}. Keras 1 stored
 * per-gate weights ({@code gru_1_W_z}, ...), which are assembled into that layout. Shared fields
 * and refusals: {@link RecurrentConfig}.
 */
final class GruTranslator implements LayerTranslator {
    @Override
    public Gru translate(LayerSpec spec, Shape input, LayerWeights weights, TranslationContext ctx) {
        RecurrentConfig rc = RecurrentConfig.read(spec, input, ctx);
        Activation recurrent = RecurrentConfig.recurrentActivation(spec, ctx);
        // Every config since reset_after exists records it; a file without it predates it.
        boolean resetAfter = spec.config().bool("reset_after", false);
        int units = rc.units();
        int gates = Math.multiplyExact(3, units);
        Tensor kernel;
        Tensor recurrentKernel;
        Tensor bias = null;
        if (Keras1GateWeights.GRU.matches(weights)) {
            if (resetAfter) {
                throw ctx.error(spec, "per-gate Keras 1 weights cannot belong to a reset_after=True GRU");
            }
            Tensor[] k1 = Keras1GateWeights.GRU.assemble(spec, ctx, weights, rc.in(), units);
            kernel = k1[0];
            recurrentKernel = k1[1];
            bias = k1[2];
        } else {
            Weights.requireCount(spec, ctx, weights, rc.useBias() ? 3 : 2,
                    rc.useBias() ? "kernel, recurrent_kernel, bias" : "kernel, recurrent_kernel");
            kernel = Weights.read(spec, ctx, weights.get(0), "kernel", rc.in(), gates);
            recurrentKernel = Weights.read(spec, ctx, weights.get(1), "recurrent_kernel", units, gates);
            if (rc.useBias()) {
                bias = resetAfter
                        ? readBias(spec, ctx, weights, "reset_after=True: input bias and recurrent bias", 2, gates)
                        : readBias(spec, ctx, weights, "reset_after=False", gates);
            }
        }
        return new Gru(spec.name(), units, kernel, recurrentKernel, bias, resetAfter, rc.activation(), recurrent,
                rc.options());
    }

    /** The bias, with the reset_after variant named when its shape belongs to the other one. */
    private static Tensor readBias(LayerSpec spec, TranslationContext ctx, LayerWeights weights, String why,
                                   int... shape) {
        WeightArray a = weights.get(2);
        if (!a.hasShape(shape)) {
            throw ctx.error(spec, "weight 'bias' (" + a.location() + ") has shape " + a.shapeText() + ", expected "
                    + Shape.format(shape) + " for " + why);
        }
        return Weights.read(spec, ctx, a, "bias", shape);
    }
}
