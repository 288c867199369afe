package org.jkeras.runtime.layers;

/**
 * The flags Keras gives every recurrent layer (LSTM, GRU, SimpleRNN), beside the cell's weights and activations.
 *
 * @param returnSequences   output every step ({@code [batch, time, units]}) rather than the last
 * @param returnState       also output the final states ({@code h}, and {@code c} for an LSTM), each
 *                          {@code [batch, units]}, after the output
 * @param stateful          Keras's {@code stateful}: a Keras-semantics session carries the state between calls
 * @param goBackwards       read the steps last to first; sequence outputs come in that processing order
 * @param zeroOutputForMask at a masked step output zeros instead of the previous step's output (Keras's
 *                          {@code zero_output_for_mask}; a Bidirectional forces it to {@code return_sequences})
 * @param dropout           Keras's {@code dropout}, used in training only
 * @param recurrentDropout  Keras's {@code recurrent_dropout}, used in training only
 * @param keras3InitialState Keras 3's rules for a call given {@code initial_state} tensors (else tf.keras 2's). Keras 3
 *                          ignores the sequence's mask on such a call (its {@code Layer.__call__} fills in
 *                          {@code mask} only for calls on one tensor argument) and a stateful layer starts it from
 *                          the given states; tf.keras 2 applies the mask, and a stateful layer starts from its
 *                          carried states when any of them is non-zero, from the given ones only when all are zero
 *                          (tf.keras's {@code RNN._process_inputs})
 */
public record RecurrentOptions(boolean returnSequences, boolean returnState, boolean stateful, boolean goBackwards,
                               boolean zeroOutputForMask, double dropout, double recurrentDropout,
                               boolean keras3InitialState) {
    /**
     * The options with tf.keras 2's {@code initial_state} rules.
     *
     * @param returnSequences   see the record
     * @param returnState       see the record
     * @param stateful          see the record
     * @param goBackwards       see the record
     * @param zeroOutputForMask see the record
     * @param dropout           see the record
     * @param recurrentDropout  see the record
     */
    public RecurrentOptions(boolean returnSequences, boolean returnState, boolean stateful, boolean goBackwards,
                            boolean zeroOutputForMask, double dropout, double recurrentDropout) {
        this(returnSequences, returnState, stateful, goBackwards, zeroOutputForMask, dropout, recurrentDropout, false);
    }

    /**
     * Keras's defaults but {@code return_sequences}: no state outputs, not stateful, forwards, no dropout.
     *
     * @param returnSequences Keras's {@code return_sequences}
     * @return the options
     */
    public static RecurrentOptions sequences(boolean returnSequences) {
        return new RecurrentOptions(returnSequences, false, false, false, false, 0, 0, false);
    }

    /**
     * These options with {@code return_state}.
     *
     * @param v Keras's {@code return_state}
     * @return a new options record
     */
    public RecurrentOptions withReturnState(boolean v) {
        return new RecurrentOptions(returnSequences, v, stateful, goBackwards, zeroOutputForMask, dropout,
                recurrentDropout, keras3InitialState);
    }

    /**
     * These options with {@code stateful}.
     *
     * @param v Keras's {@code stateful}
     * @return a new options record
     */
    public RecurrentOptions withStateful(boolean v) {
        return new RecurrentOptions(returnSequences, returnState, v, goBackwards, zeroOutputForMask, dropout,
                recurrentDropout, keras3InitialState);
    }

    /**
     * These options with {@code go_backwards}.
     *
     * @param v Keras's {@code go_backwards}
     * @return a new options record
     */
    public RecurrentOptions withGoBackwards(boolean v) {
        return new RecurrentOptions(returnSequences, returnState, stateful, v, zeroOutputForMask, dropout,
                recurrentDropout, keras3InitialState);
    }

    /**
     * These options with {@code zero_output_for_mask}.
     *
     * @param v Keras's {@code zero_output_for_mask}
     * @return a new options record
     */
    public RecurrentOptions withZeroOutputForMask(boolean v) {
        return new RecurrentOptions(returnSequences, returnState, stateful, goBackwards, v, dropout, recurrentDropout,
                keras3InitialState);
    }

    /**
     * These options with Keras 3's (true) or tf.keras 2's (false) rules for calls given initial states.
     *
     * @param v true for Keras 3's rules
     * @return the new options
     */
    public RecurrentOptions withKeras3InitialState(boolean v) {
        return new RecurrentOptions(returnSequences, returnState, stateful, goBackwards, zeroOutputForMask, dropout,
                recurrentDropout, v);
    }

    /**
     * These options with the training-time dropout rates.
     *
     * @param input Keras's {@code dropout} rate on the inputs
     * @param recurrent Keras's {@code recurrent_dropout} rate on the state
     * @return a new options record
     */
    public RecurrentOptions withDropout(double input, double recurrent) {
        return new RecurrentOptions(returnSequences, returnState, stateful, goBackwards, zeroOutputForMask, input,
                recurrent, keras3InitialState);
    }
}
