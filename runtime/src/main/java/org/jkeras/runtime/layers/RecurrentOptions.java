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
 * @param initialStateDropsMask true for Keras 3's rule that a call given {@code initial_state} tensors ignores its
 *                          sequence's mask (Keras 3's {@code Layer.__call__} fills in {@code mask} only for calls
 *                          on one tensor argument); tf.keras 2 applies the mask either way
 */
public record RecurrentOptions(boolean returnSequences, boolean returnState, boolean stateful, boolean goBackwards,
                               boolean zeroOutputForMask, double dropout, double recurrentDropout,
                               boolean initialStateDropsMask) {
    /** The options without {@code initialStateDropsMask} (tf.keras 2's rule). */
    public RecurrentOptions(boolean returnSequences, boolean returnState, boolean stateful, boolean goBackwards,
                            boolean zeroOutputForMask, double dropout, double recurrentDropout) {
        this(returnSequences, returnState, stateful, goBackwards, zeroOutputForMask, dropout, recurrentDropout, false);
    }

    /** Keras's defaults but {@code return_sequences}: no state outputs, not stateful, forwards, no dropout. */
    public static RecurrentOptions sequences(boolean returnSequences) {
        return new RecurrentOptions(returnSequences, false, false, false, false, 0, 0, false);
    }

    /** These options with {@code return_state}. */
    public RecurrentOptions withReturnState(boolean v) {
        return new RecurrentOptions(returnSequences, v, stateful, goBackwards, zeroOutputForMask, dropout,
                recurrentDropout, initialStateDropsMask);
    }

    /** These options with {@code stateful}. */
    public RecurrentOptions withStateful(boolean v) {
        return new RecurrentOptions(returnSequences, returnState, v, goBackwards, zeroOutputForMask, dropout,
                recurrentDropout, initialStateDropsMask);
    }

    /** These options with {@code go_backwards}. */
    public RecurrentOptions withGoBackwards(boolean v) {
        return new RecurrentOptions(returnSequences, returnState, stateful, v, zeroOutputForMask, dropout,
                recurrentDropout, initialStateDropsMask);
    }

    /** These options with {@code zero_output_for_mask}. */
    public RecurrentOptions withZeroOutputForMask(boolean v) {
        return new RecurrentOptions(returnSequences, returnState, stateful, goBackwards, v, dropout, recurrentDropout,
                initialStateDropsMask);
    }

    /** These options with Keras 3's rule for masks on calls given initial states. */
    public RecurrentOptions withInitialStateDropsMask(boolean v) {
        return new RecurrentOptions(returnSequences, returnState, stateful, goBackwards, zeroOutputForMask, dropout,
                recurrentDropout, v);
    }

    /** These options with the training-time dropout rates. */
    public RecurrentOptions withDropout(double input, double recurrent) {
        return new RecurrentOptions(returnSequences, returnState, stateful, goBackwards, zeroOutputForMask, input,
                recurrent, initialStateDropsMask);
    }
}
