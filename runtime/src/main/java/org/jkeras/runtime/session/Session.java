package org.jkeras.runtime.session;

import java.util.List;
import org.jkeras.runtime.tensor.InputMismatchException;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.graph.Buffers;
import org.jkeras.runtime.graph.Graph;
import org.jkeras.runtime.graph.Node;
import org.jkeras.runtime.graph.StateSource;
import org.jkeras.runtime.kernels.StepThreads;
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
 *
 * <p>{@link #exportState()} detaches the carried state as a {@link SessionState} (plain float arrays
 * with the layer names, and a versioned binary form), and {@link #importState(SessionState)} puts it
 * into another session of the same kind on the same model, which then continues the stream exactly
 * where the first one stopped: how a service persists many streams, moves one between machines,
 * or resumes after a restart.
 */
public final class Session {
    private final Model model;
    private final Graph graph;
    private final boolean carryAll;
    private final float[][][] states; // per graph node: the layer's state arrays, or null
    private final SessionState layout; // the carried layers with batch 0: what an imported state must match
    private final RecurrentLayer[] carried; // per graph node: its layer when this session carries its state
    private final StateSource source = new CarriedStates();
    private Buffers buffers;                // what predictInto reuses; made at its first call
    private int batch = -1;           // batch size the states belong to; -1 while they are zero

    private Session(Model model, Graph graph, boolean carryAll) {
        this.model = model;
        this.graph = graph;
        this.carryAll = carryAll;
        this.states = new float[graph.nodes().size()][][];
        this.carried = new RecurrentLayer[graph.nodes().size()];
        for (int i = 0; i < carried.length; i++) {
            Node node = graph.nodes().get(i);
            carried[i] = node.isInput() ? null
                    : node.layer().recurrent().filter(layer -> carryAll || layer.stateful()).orElse(null);
        }
        this.layout = zeroState();
    }

    /**
     * A session with Keras's stateful semantics (only {@code stateful} layers keep state).
     *
     * @param model the model to call
     * @return a new session, all states zero
     */
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
     * @param model the model to call
     * @return a new session, all states zero
     */
    public static Session streaming(Model model) {
        for (Node node : model.graph().nodes()) {
            if (node.isInput()) {
                continue;
            }
            if (node.layer().recurrent().isPresent() && node.inputs().size() > 1) {
                throw new IllegalArgumentException("this model cannot be fed in pieces of time: layer '"
                        + node.layer().name() + "' (" + node.layer().kind() + ") takes its initial state from other"
                        + " tensors (initial_state) at every call, so its state cannot run on across calls; feed whole"
                        + " sequences with Model.predict or Session.keras");
            }
            if (node.layer().readsTimeBackwards()) {
                boolean stateful = node.layer().recurrent().map(RecurrentLayer::stateful).orElse(false);
                throw new IllegalArgumentException("this model cannot be fed in pieces of time: layer '"
                        + node.layer().name() + "' (" + node.layer().kind() + (stateful ? ", stateful" : "")
                        + ") reads the sequence backwards (go_backwards, or a Bidirectional's backward direction:"
                        + " each call's steps last to first), so every output depends on steps not yet fed; feed"
                        + " whole sequences with Model.predict or Session.keras"
                        + (stateful ? " (which carries its states between calls, as Keras does)" : ""));
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

    /**
     * The model this session calls.
     *
     * @return the model
     */
    public Model model() {
        return model;
    }

    /** Sets every carried state back to zero (Keras's {@code reset_states()}). */
    public void reset() {
        java.util.Arrays.fill(states, null);
        batch = -1;
    }

    /**
     * Predicts for a model with one input and one output, carrying state.
     *
     * @param input the input, {@code [batch, ...]}
     * @return the output
     */
    public Tensor predict(Tensor input) {
        List<Tensor> out = predict(List.of(input));
        if (out.size() != 1) {
            throw new IllegalStateException("the model has " + out.size() + " outputs: use predict(List<Tensor>)");
        }
        return out.get(0);
    }

    /**
     * {@link #predict(Tensor)} letting a batch of one sequence use up to {@code threads} threads: each time step
     * of its LSTM layers is split by gate columns across them (see {@link #predict(List, int)}).
     *
     * @param input   the input, {@code [batch, ...]}
     * @param threads the most threads to use, at least 1
     * @return the output
     */
    public Tensor predict(Tensor input, int threads) {
        List<Tensor> out = predict(List.of(input), threads);
        if (out.size() != 1) {
            throw new IllegalStateException("the model has " + out.size() + " outputs: use predict(List<Tensor>)");
        }
        return out.get(0);
    }

    /**
     * {@link #predict(List)} letting a batch of one sequence use up to {@code threads} threads: each time step of
     * its LSTM layers is split by gate columns across a team of helper threads joined by a barrier per step,
     * when the layer is large enough to gain and a team is free (otherwise the call runs on this thread).
     * Results are bit for bit those of one thread. Off ({@code threads == 1}) by default: a service that
     * already runs one request per core gains nothing. A larger batch runs on this thread.
     *
     * @param inputs  one tensor per model input, in order
     * @param threads the most threads to use, at least 1
     * @return one tensor per model output, in order
     * @throws IllegalArgumentException when {@code threads < 1}
     */
    public List<Tensor> predict(List<Tensor> inputs, int threads) {
        int previous = StepThreads.set(threads);
        try {
            return predict(inputs);
        } finally {
            StepThreads.restore(previous);
        }
    }

    /**
     * Predicts, starting carried layers from the state the previous call left.
     *
     * @throws InputMismatchException when the inputs do not fit the model, or their batch size
     *                                differs from the one the carried state belongs to
     * @param inputs one tensor per model input, in order
     * @return one tensor per model output, in order
     */
    public List<Tensor> predict(List<Tensor> inputs) {
        int callBatch = callBatch(inputs);
        List<Tensor> out = graph.run(inputs, source);
        batch = callBatch;
        return out;
    }

    /**
     * {@link #predict(Tensor)} into a tensor the caller supplies and reuses: a streaming step that allocates
     * nothing once the input shape repeats (see {@link #predictInto(List, List)}).
     *
     * @param input  the input, {@code [batch, ...]}
     * @param output shaped as the model's output for this input; overwritten
     * @throws InputMismatchException when the input does not fit the model or the carried state's batch, or the
     *                                output has another shape
     */
    public void predictInto(Tensor input, Tensor output) {
        if (input == null) {
            throw new InputMismatchException("the input is null: pass the tensor to predict for");
        }
        int callBatch = checkBatch(input.rank() == 0 ? -1 : input.dim(0));
        graph.runInto(input, source, output, buffers());
        batch = callBatch;
    }

    /**
     * {@link #predict(List)} into tensors the caller supplies, with the same results and the same state carried
     * on. The session keeps buffers for every intermediate tensor, planned for the shapes of its first such call
     * and reused while the shapes repeat, so in that steady state a step allocates nothing on the Vector API
     * kernels (for the layers {@link Model#predictInto(List, List)} lists). The output shapes are checked before
     * anything runs: a wrong one leaves the state as it was.
     *
     * @param inputs  one tensor per model input, in order
     * @param outputs one tensor per model output, in order, shaped as that output is for these inputs; overwritten
     * @throws InputMismatchException when the inputs do not fit the model, their batch differs from the carried
     *                                state's, or an output has another shape
     */
    public void predictInto(List<Tensor> inputs, List<Tensor> outputs) {
        int callBatch = callBatch(inputs);
        graph.runInto(inputs, source, outputs, buffers());
        batch = callBatch;
    }

    /**
     * {@link #predictInto(List, List)} letting a batch of one sequence split each recurrent step over up to
     * {@code threads} threads, as {@link #predict(List, int)} does; still allocation-free in the steady state.
     *
     * @param inputs  one tensor per model input, in order
     * @param outputs one tensor per model output, in order, shaped as that output is for these inputs; overwritten
     * @param threads the most threads to use, at least 1
     * @throws IllegalArgumentException when {@code threads < 1}
     */
    public void predictInto(List<Tensor> inputs, List<Tensor> outputs, int threads) {
        int previous = StepThreads.set(threads);
        try {
            predictInto(inputs, outputs);
        } finally {
            StepThreads.restore(previous);
        }
    }

    private Buffers buffers() {
        if (buffers == null) {
            buffers = graph.newBuffers();
        }
        return buffers;
    }

    /** The batch of this call's inputs (-1 when they have none), checked against the carried state's. */
    private int callBatch(List<Tensor> inputs) {
        if (inputs == null) {
            throw new InputMismatchException("the inputs are null: pass one tensor per model input");
        }
        return checkBatch(inputs.isEmpty() || inputs.get(0) == null || inputs.get(0).rank() == 0
                ? -1 : inputs.get(0).dim(0));
    }

    /** {@code callBatch}, checked against the batch the carried state belongs to. */
    private int checkBatch(int callBatch) {
        if (batch >= 0 && callBatch != batch) {
            throw new InputMismatchException("the session holds state for a batch of " + batch
                    + " sequences but this call has " + callBatch + "; call reset() before changing the batch size");
        }
        return callBatch;
    }

    /** The session's states as the graph asks for them: one instance, so a call allocates no source. */
    private final class CarriedStates implements StateSource {
        @Override
        public float[][] statesFor(int nodeIndex, Node node, int callBatch) {
            return Session.this.statesFor(nodeIndex, callBatch);
        }

        @Override
        public boolean continuesSequences() {
            return carryAll;
        }
    }

    /**
     * The state this session carries now, detached (later calls do not change it): for each carried
     * recurrent layer in node order, its name and state arrays, with the batch size they belong to
     * (0 when the session is fresh or was just reset, i.e. every state is zero).
     *
     * @return a copy of the carried states
     */
    public SessionState exportState() {
        if (batch < 0) {
            return layout;
        }
        List<SessionState.LayerState> layers = new java.util.ArrayList<>();
        for (int i = 0; i < graph.nodes().size(); i++) {
            RecurrentLayer layer = carried[i];
            if (layer != null) {
                float[][] s = states[i];
                if (s == null) { // not reached by the last call (it failed part way): still zero
                    s = new float[layer.stateCount()][Math.multiplyExact(batch, layer.stateSize())];
                }
                layers.add(new SessionState.LayerState(layer.name(), layer.stateSize(), s));
            }
        }
        return new SessionState(carryAll, batch, layers);
    }

    private SessionState zeroState() {
        List<SessionState.LayerState> layers = new java.util.ArrayList<>();
        for (RecurrentLayer layer : carried) {
            if (layer != null) {
                layers.add(new SessionState.LayerState(layer.name(), layer.stateSize(), new float[layer.stateCount()][0]));
            }
        }
        return new SessionState(carryAll, 0, layers);
    }

    /**
     * Replaces the carried state with {@code state} (copied), so the next call continues from it; a
     * state of batch 0 is {@link #reset()}. The next call's batch size must be the state's.
     *
     * @param state a state {@link #exportState()} gave, for a session of the same model and kind
     * @throws IllegalArgumentException when the state comes from another model (its carried layers'
     *                                  names, units or state counts differ: the message names the
     *                                  layer) or from the other kind of session ({@link #streaming}
     *                                  carries every recurrent layer, {@link #keras} only stateful ones);
     *                                  the session is left unchanged
     */
    public void importState(SessionState state) {
        layout.checkSameLayout(state, "the imported session state");
        if (state.batch() == 0) {
            reset();
            return;
        }
        int k = 0;
        for (int i = 0; i < graph.nodes().size(); i++) {
            if (carried[i] != null) {
                SessionState.LayerState l = state.layers().get(k++);
                float[][] s = new float[l.stateCount()][state.batch() * l.units()];
                for (int j = 0; j < s.length; j++) {
                    l.copyStateTo(j, s[j]);
                }
                states[i] = s;
            }
        }
        batch = state.batch();
    }

    private float[][] statesFor(int nodeIndex, int callBatch) {
        RecurrentLayer layer = carried[nodeIndex];
        if (layer == null) {
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
