package org.jkeras.runtime.layers;

import org.jkeras.runtime.Tensor;

/**
 * A layer with recurrent state that a {@link org.jkeras.runtime.session.Session} can carry from
 * one call to the next. Plain {@link #forward} calls always start from zero state.
 */
public interface RecurrentLayer extends Layer {
    /** True when Keras declared the layer {@code stateful}: it keeps its state between calls there. */
    boolean stateful();

    /** Number of state arrays (2 for LSTM: h and c; 1 for GRU and SimpleRNN). */
    int stateCount();

    /**
     * True when the layer reads the time steps last to first (Keras {@code go_backwards}); with
     * {@code return_sequences} its outputs are then in that processing order, as Keras returns them.
     * Such a layer cannot be streamed in pieces of time.
     */
    default boolean goBackwards() {
        return false;
    }

    /** True when every step's output is returned ([batch, time, units]) rather than the last. */
    boolean returnSequences();

    /** Size of each state per sample (the units). */
    int stateSize();

    /**
     * Runs the layer from the given states and leaves the final states in them.
     *
     * @param input  [batch, time, features]
     * @param states {@link #stateCount()} arrays, each [batch, stateSize]
     */
    Tensor applyWithState(Tensor input, float[][] states);
}
