package org.jkeras.runtime.session;

import java.util.List;
import org.jkeras.runtime.InputMismatchException;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.Tensor;
import org.jkeras.runtime.graph.Graph;
import org.jkeras.runtime.graph.Node;
import org.jkeras.runtime.layers.Bidirectional;
import org.jkeras.runtime.layers.RecurrentLayer;

/**
 * A stream of calls to one model whose recurrent layers keep their state between calls. The
 * model stays immutable and shared; the state lives here. A session is for one thread at a
 * time; open one session per stream.
 *
 * <ul>
 *   <li>{@link #keras(Model)}: Keras's semantics. Layers that Keras declared {@code stateful}
 *       carry their state, the others start from zero at every call, exactly like successive
 *       {@code model.predict} calls in Keras; {@link #reset()} is {@code reset_states()}.</li>
 *   <li>{@link #streaming(Model)}: every recurrent layer carries its state, so feeding a
 *       sequence in pieces (down to one step per call) gives the outputs of feeding it whole.
 *       Models that read time backwards ({@code go_backwards}, {@code Bidirectional}) are refused.</li>
 * </ul>
 */
public final class Session {
    private final Model model;
    private final Graph graph;
    private final boolean carryAll;
    private final float[][][] states; // per graph node: the layer's state arrays, or null
    private int batch = -1;           // batch size the states belong to; -1 while they are zero

    private Session(Model model, Graph graph, boolean carryAll) {
        this.model = model;
        this.graph = graph;
        this.carryAll = carryAll;
        this.states = new float[graph.nodes().size()][][];
    }

    /** A session with Keras's stateful semantics (only {@code stateful} layers keep state). */
    public static Session keras(Model model) {
        return new Session(model, model.graph(), false);
    }

    /**
     * A session in which every recurrent layer keeps its state between calls, and calls may hold
     * any number of time steps.
     *
     * @throws IllegalArgumentException when a layer of the model needs a fixed number of steps, or reads
     *                                  time backwards ({@code go_backwards}, {@code Bidirectional}): its
     *                                  outputs depend on the steps still to come
     */
    public static Session streaming(Model model) {
        for (Node node : model.graph().nodes()) {
            if (node.layer() instanceof RecurrentLayer && node.inputs().size() > 1) {
                throw new IllegalArgumentException("this model cannot be fed in pieces of time: layer '"
                        + node.layer().name() + "' (" + node.layer().kind() + ") takes its initial state from other"
                        + " tensors (initial_state) at every call, so its state cannot run on across calls; feed whole"
                        + " sequences with Model.predict or Session.keras");
            }
            if (node.layer() instanceof Bidirectional
                    || (node.layer() instanceof RecurrentLayer r && r.goBackwards())) {
                throw new IllegalArgumentException("this model cannot be fed in pieces of time: layer '"
                        + node.layer().name() + "' (" + node.layer().kind() + ") reads the sequence backwards"
                        + " (go_backwards or Bidirectional), so every output depends on steps not yet fed;"
                        + " feed whole sequences with Model.predict or Session.keras");
            }
        }
        Graph free;
        try {
            free = model.graph().withFreeTime();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("this model cannot be fed in pieces of time: " + e.getMessage(), e);
        }
        return new Session(model, free, true);
    }

    /** The model this session calls. */
    public Model model() {
        return model;
    }

    /** Sets every carried state back to zero (Keras's {@code reset_states()}). */
    public void reset() {
        java.util.Arrays.fill(states, null);
        batch = -1;
    }

    /** Predicts for a model with one input and one output, carrying state. */
    public Tensor predict(Tensor input) {
        List<Tensor> out = predict(List.of(input));
        if (out.size() != 1) {
            throw new IllegalStateException("the model has " + out.size() + " outputs: use predict(List<Tensor>)");
        }
        return out.get(0);
    }

    /**
     * Predicts, starting carried layers from the state the previous call left.
     *
     * @throws InputMismatchException when the inputs do not fit the model, or their batch size
     *                                differs from the one the carried state belongs to
     */
    public List<Tensor> predict(List<Tensor> inputs) {
        int callBatch = inputs.isEmpty() || inputs.get(0) == null || inputs.get(0).rank() == 0
                ? -1 : inputs.get(0).dim(0);
        if (batch >= 0 && callBatch != batch) {
            throw new InputMismatchException("the session holds state for a batch of " + batch
                    + " sequences but this call has " + callBatch + "; call reset() before changing the batch size");
        }
        List<Tensor> out = graph.run(inputs, new org.jkeras.runtime.graph.StateSource() {
            @Override
            public float[][] statesFor(int nodeIndex, Node node, int callBatch) {
                return Session.this.statesFor(nodeIndex, node, callBatch);
            }

            @Override
            public boolean continuesSequences() {
                return carryAll;
            }
        });
        batch = callBatch;
        return out;
    }

    private float[][] statesFor(int nodeIndex, Node node, int callBatch) {
        if (!(node.layer() instanceof RecurrentLayer layer) || !(carryAll || layer.stateful())) {
            return null;
        }
        float[][] s = states[nodeIndex];
        if (s == null) {
            s = new float[layer.stateCount()][Math.multiplyExact(callBatch, layer.stateSize())];
            states[nodeIndex] = s;
        }
        return s;
    }
}
