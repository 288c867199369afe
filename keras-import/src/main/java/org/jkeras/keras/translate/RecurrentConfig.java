package org.jkeras.keras.translate;

import org.jkeras.keras.Limit;
import org.jkeras.keras.config.ConfigNode;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Activation;

/**
 * The config fields that Keras's LSTM, GRU and SimpleRNN share (Keras 1 names accepted), read
 * and checked once. Refuses what the runtime cannot do yet: {@code time_major}. {@code return_state} makes the
 * final states extra outputs; {@code zero_output_for_mask} chooses the output at masked steps. {@code go_backwards} is kept (the layer reverses its input). {@code stateful} is kept (sessions
 * carry the layer's state between calls) and noted in the metadata. Dropout and recurrent dropout are kept for
 * training; at inference they are the identity.
 *
 * @param units           number of units ({@code units}, Keras 1 {@code output_dim})
 * @param in              the input's feature dimension
 * @param returnSequences {@code return_sequences}
 * @param useBias         {@code use_bias} (Keras 1 recurrent layers always have a bias)
 * @param activation      {@code activation}, default tanh
 * @param stateful        {@code stateful}
 * @param goBackwards     {@code go_backwards}: read the steps last to first
 * @param dropout          {@code dropout} (Keras 1 {@code dropout_W}), applied in training only
 * @param recurrentDropout {@code recurrent_dropout} (Keras 1 {@code dropout_U}), applied in training only
 * @param returnState       {@code return_state}
 * @param zeroOutputForMask {@code zero_output_for_mask}
 * @param keras3            written by Keras 3, whose calls given {@code initial_state} ignore the sequence's mask
 */
record RecurrentConfig(int units, int in, boolean returnSequences, boolean useBias, Activation activation,
                       boolean stateful, boolean goBackwards, double dropout, double recurrentDropout,
                       boolean returnState, boolean zeroOutputForMask, boolean keras3) {
    /** The runtime layer's flags. */
    org.jkeras.runtime.layers.RecurrentOptions options() {
        return new org.jkeras.runtime.layers.RecurrentOptions(returnSequences, returnState, stateful, goBackwards,
                zeroOutputForMask, dropout, recurrentDropout, keras3);
    }

    /** Reads the shared fields of {@code spec} for an input of shape {@code input}. */
    static RecurrentConfig read(LayerSpec spec, Shape input, TranslationContext ctx) {
        ConfigNode c = spec.config();
        int units = c.integer(c.firstPresent("units", "output_dim").orElse("units"), 1, Limit.MAX_UNITS, ctx.limits());
        refuse(spec, ctx, "time_major", "time-major inputs");
        boolean stateful = c.bool("stateful", false);
        if (stateful) {
            ctx.note("stateful", "layer '" + spec.name() + "' is stateful in Keras: Model.predict starts from"
                    + " zero state on every call; a Session carries the state between calls as Keras does");
        }
        Activation activation = elementwise(spec, ctx, ActivationNames.resolve(spec, "activation", "tanh", ctx));
        if (input.rank() != 3) {
            throw ctx.error(spec, "expects input [batch, time, features], got " + input);
        }
        int in = input.dim(2);
        if (in == Shape.UNKNOWN) {
            throw ctx.error(spec, "the input's feature dimension must be known, got " + input);
        }
        return new RecurrentConfig(units, in, c.bool("return_sequences", false), c.bool("use_bias", true), activation,
                stateful, c.bool("go_backwards", false), rate(spec, ctx, "dropout", "dropout_W"),
                rate(spec, ctx, "recurrent_dropout", "dropout_U"), c.bool("return_state", false),
                c.bool("zero_output_for_mask", false), ctx.version().isKeras3());
    }

    /** A dropout rate; Keras clips it into [0, 1]. */
    private static double rate(LayerSpec spec, TranslationContext ctx, String field, String keras1Field) {
        ConfigNode c = spec.config();
        double r = c.number(c.firstPresent(field, keras1Field).orElse(field), 0.0);
        if (Double.isNaN(r)) {
            throw ctx.error(spec, "field '" + field + "' is NaN, expected a rate in [0, 1]");
        }
        return Math.min(1.0, Math.max(0.0, r));
    }

    /** The gate activation ({@code recurrent_activation}, Keras 1 {@code inner_activation}) with the version's default. */
    static Activation recurrentActivation(LayerSpec spec, TranslationContext ctx) {
        ConfigNode c = spec.config();
        String field = c.firstPresent("recurrent_activation", "inner_activation").orElse("recurrent_activation");
        return elementwise(spec, ctx,
                ActivationNames.resolve(spec, field, ctx.version().defaultRecurrentActivation(), ctx));
    }

    private static Activation elementwise(LayerSpec spec, TranslationContext ctx, Activation a) {
        if (!a.isElementwise()) {
            throw ctx.error(spec, "row-wise activations (softmax) inside a " + spec.className()
                    + " cell are not supported");
        }
        return a;
    }

    private static void refuse(LayerSpec spec, TranslationContext ctx, String field, String what) {
        if (spec.config().bool(field, false)) {
            throw ctx.error(spec, field + "=True (" + what + ") is not supported yet");
        }
    }
}
