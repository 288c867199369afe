package org.jkeras.keras.graph;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The tensors of one call (inbound node) of a layer: its positional inputs ({@code args}: one tensor, or the
 * list a merge layer is called on) and the {@code initial_state} tensors of a recurrent layer.
 *
 * @param args         the positional input tensors, in order
 * @param initialState the initial states, in the layer's state order (empty when none are passed)
 * @param mask         the tensors Keras 3 records as the {@code mask} keyword argument (the mask it propagated to
 *                     the call, made by ops a {@code compute_mask} ran), empty when none; not inputs of the call
 */
record CallArgs(List<TensorRef> args, List<TensorRef> initialState, List<TensorRef> mask, JsonNode kwargs) {
    CallArgs {
        kwargs = kwargs.deepCopy();
        args = List.copyOf(args);
        initialState = List.copyOf(initialState);
        mask = List.copyOf(mask);
    }

    /** Every tensor the call reads: the args, then the initial states. */
    List<TensorRef> all() {
        List<TensorRef> out = new ArrayList<>(args);
        out.addAll(initialState);
        return out;
    }

    @Override
    public String toString() {
        return initialState.isEmpty() ? args.toString() : args + " with initial_state " + initialState;
    }
}
