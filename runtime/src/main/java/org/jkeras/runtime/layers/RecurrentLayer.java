package org.jkeras.runtime.layers;

import java.util.List;
import org.jkeras.runtime.tensor.Tensor;

/**
 * A layer with recurrent state that a {@link org.jkeras.runtime.session.Session} can carry from
 * one call to the next. Plain {@link #forward} calls always start from zero state.
 */
public interface RecurrentLayer extends Layer {
    /**
     * True when Keras declared the layer {@code stateful}: it keeps its state between calls there.
     *
     * @return Keras's {@code stateful}
     */
    boolean stateful();

    /**
     * Number of state arrays (2 for LSTM: h and c; 1 for GRU and SimpleRNN).
     *
     * @return the number of state arrays
     */
    int stateCount();

    /**
     * True when the layer reads the time steps last to first (Keras {@code go_backwards}); with
     * {@code return_sequences} its outputs are then in that processing order, as Keras returns them.
     * Such a layer cannot be streamed in pieces of time.
     *
     * @return Keras's {@code go_backwards}
     */
    default boolean goBackwards() {
        return false;
    }

    @Override
    default java.util.Optional<RecurrentLayer> recurrent() {
        return java.util.Optional.of(this);
    }

    /** A layer that reads time last to first ({@link #goBackwards()}) cannot be fed in pieces of time. */
    @Override
    default boolean readsTimeBackwards() {
        return goBackwards();
    }

    /**
     * True when every step's output is returned ([batch, time, units]) rather than the last.
     *
     * @return Keras's {@code return_sequences}
     */
    boolean returnSequences();

    /**
     * Size of each state per sample (the units).
     *
     * @return the length of each state row
     */
    int stateSize();

    /**
     * Runs the layer from the given states and leaves the final states in them.
     *
     * @param input  [batch, time, features]
     * @param states {@link #stateCount()} arrays, each [batch, stateSize]
     * @return the output: [batch, time, units] with {@code return_sequences}, else [batch, units]
     */
    Tensor applyWithState(Tensor input, float[][] states);

    /**
     * A graph call from carried states: {@link #applyWithState} generalised to the call's context (input masks)
     * and to extra inputs and outputs (Keras's {@code initial_state} and {@code return_state}). Initial states
     * given as inputs replace the carried ones, as in Keras; the final states are left in {@code states}.
     *
     * @param states       {@link #stateCount()} arrays, each [batch, stateSize]
     * @param continuation true when this call continues the sequence of the previous one (a streaming session),
     *                     false for Keras's per-call semantics; it matters only at masked steps before the call's
     *                     first real one, whose output is then the carried h rather than zeros
     * @param inputs the sequence [batch, time, features], then any initial states [batch, stateSize]
     * @param ctx the call's input masks
     * @return the output, then the final states when {@code return_state}
     */
    default List<Tensor> forwardWithState(List<Tensor> inputs, CallContext ctx, float[][] states,
                                          boolean continuation) {
        if (inputs.size() != 1 || ctx.anyMask()) {
            throw new IllegalArgumentException("layer '" + name() + "' (" + kind() + ") cannot carry state with"
                    + " several inputs or masks");
        }
        return List.of(applyWithState(inputs.get(0), states));
    }

    /**
     * {@link #forwardWithState} writing into tensors the caller planned (see {@link Layer#forwardInto}). The
     * default copies what {@link #forwardWithState} computes.
     *
     * @param inputs       the sequence, and initial states when the layer takes them
     * @param ctx          the masks of the inputs
     * @param states       the carried states to start from and update
     * @param continuation true when the call continues the sequence of the previous one (a streaming session)
     * @param outputs      one tensor per output, written in place
     */
    default void forwardWithStateInto(List<Tensor> inputs, CallContext ctx, float[][] states, boolean continuation,
                                      List<Tensor> outputs) {
        OutputCopy.copy(this, forwardWithState(inputs, ctx, states, continuation), outputs);
    }
}
