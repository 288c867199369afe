package org.jkeras.runtime.graph;

/**
 * Where {@link Graph#run(java.util.List, StateSource)} finds the carried state of a recurrent
 * node: a session supplies it, a plain predict has none.
 */
@FunctionalInterface
public interface StateSource {
    /**
     * The state arrays for a node's {@link org.jkeras.runtime.layers.RecurrentLayer}, which the
     * layer reads as initial state and overwrites with its final state; or null to run the node
     * from zero state.
     *
     * @param nodeIndex the node's index in {@link Graph#nodes()}
     * @param node      the node
     * @param batch     the batch size of the node's input in this call
     * @return {@code stateCount} arrays of {@code batch * stateSize} values, or null
     */
    float[][] statesFor(int nodeIndex, Node node, int batch);

    /**
     * True when each call continues the sequences of the previous one (a streaming session), false for Keras's
     * semantics of separate calls; see {@link org.jkeras.runtime.layers.RecurrentLayer#forwardWithState}.
     *
     * @return false unless the source is a streaming session
     */
    default boolean continuesSequences() {
        return false;
    }
}
