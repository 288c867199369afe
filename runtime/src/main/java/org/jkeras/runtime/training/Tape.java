package org.jkeras.runtime.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.jkeras.runtime.tensor.InputMismatchException;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.graph.Graph;
import org.jkeras.runtime.graph.Node;
import org.jkeras.runtime.graph.Port;
import org.jkeras.runtime.graph.StateSource;
import org.jkeras.runtime.layers.Differentiable;
import org.jkeras.runtime.layers.Layer;
import org.jkeras.runtime.layers.LogitsOutput;
import org.jkeras.runtime.layers.RowGather;
import org.jkeras.runtime.layers.RecurrentLayer;
import org.jkeras.runtime.layers.Saved;
import org.jkeras.runtime.layers.TrainContext;
import org.jkeras.runtime.training.optimizer.SparseRows;
import org.jkeras.runtime.training.regularizer.Regularizer;

/**
 * Runs a graph in training mode and backpropagates through it. {@link #forward} evaluates the nodes in
 * order with the current {@link Parameters}, each layer keeping what its backward pass needs;
 * {@link #backward} sweeps the nodes in reverse, handing each layer the gradients of its outputs (summed
 * over every node that read them, so shared and multiply-used outputs are right) and adding the weight
 * gradients into the parameters. Nodes that no trainable weight precedes get no input gradient.
 * One tape per training loop, one forward/backward pair at a time; not thread-safe.
 */
public final class Tape {
    private final Graph graph;
    private final Parameters params;
    private final boolean[] needsGrad; // per node: a trainable weight is at or before it
    private final Map<Layer, Regularizer> activity;
    private Saved[] saved;
    private Saved[] recyclable; // per node: what its last call left for the next to recycle, or null
    private List<Tensor>[] values;
    private float activityLoss;

    /**
     * A tape over {@code graph} reading and updating {@code params}.
     *
     * @param graph the graph to run; every layer with weights must be {@link Differentiable}
     * @param params the weights the forward pass reads and the backward pass adds gradients to
     * @throws IllegalArgumentException naming the layer when a layer of the graph cannot be trained
     */
    public Tape(Graph graph, Parameters params) {
        this(graph, params, Map.of());
    }

    /**
     * A tape that also adds each listed layer's activity regularization to the loss, as Keras does:
     * {@code regularizer(output) / batch} for each of the layer's outputs at every node it is applied at.
     *
     * @param graph the graph to run; every layer with weights must be {@link Differentiable}
     * @param params the weights the forward pass reads and the backward pass adds gradients to
     * @param activityRegularizers per layer, the regularizer of its outputs
     */
    public Tape(Graph graph, Parameters params, Map<Layer, Regularizer> activityRegularizers) {
        this.graph = graph;
        this.params = params;
        this.activity = new IdentityHashMap<>(activityRegularizers);
        List<Node> nodes = graph.nodes();
        this.needsGrad = new boolean[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            if (n.isInput()) {
                continue;
            }
            if (n.layer().differentiable().isEmpty()) {
                throw new IllegalArgumentException("layer '" + n.layer().name() + "' (" + n.layer().kind()
                        + ") cannot be trained yet: it has no backward pass");
            }
            for (Port p : n.inputs()) {
                if (graph.masked(p)) {
                    throw new IllegalArgumentException("layer '" + n.layer().name() + "' (" + n.layer().kind()
                            + ") receives a mask (from Masking or Embedding(mask_zero=True)): training models with"
                            + " masks is not supported yet");
                }
            }
            String refusal = n.layer().differentiable().orElseThrow().trainingRefusal(n.inputs().size());
            if (refusal != null) {
                throw new IllegalArgumentException(refusal);
            }
            boolean need = params.hasTrainable(n.layer());
            for (Port p : n.inputs()) {
                need |= needsGrad[p.node()];
            }
            needsGrad[i] = need;
        }
    }

    /**
     * The training forward pass.
     *
     * @param inputs one per model input, shapes checked like {@link Graph#run}
     * @param ctx    training flag and random source; its states are ignored (they come from {@code states})
     * @param states carried recurrent state per node (a stateful model's), or null for zero everywhere
     * @return one tensor per model output
     * @throws InputMismatchException when an input does not fit the model
     */
    @SuppressWarnings("unchecked")
    public List<Tensor> forward(List<Tensor> inputs, TrainContext ctx, StateSource states) {
        List<Node> nodes = graph.nodes();
        List<Node> inputNodes = graph.inputs();
        if (inputs.size() != inputNodes.size()) {
            throw new InputMismatchException("the model takes " + inputNodes.size() + " input(s), got " + inputs.size());
        }
        if (recyclable == null) {
            recyclable = new Saved[nodes.size()];
        }
        if (saved != null) { // a forward without its backward (evaluation): its buffers are free again
            for (int i = 0; i < saved.length; i++) {
                if (saved[i] != null) {
                    recyclable[i] = saved[i].carryOver();
                }
            }
        }
        saved = new Saved[nodes.size()];
        values = valueSlots(nodes.size());
        activityLoss = 0f;
        int k = 0;
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            if (!n.isInput()) {
                continue;
            }
            Tensor t = inputs.get(k++);
            Shape declared = n.outputShapes().get(0);
            if (t == null || !declared.accepts(t.shape())) {
                throw new InputMismatchException("input '" + n.name() + "' expects shape " + declared + ", got "
                        + (t == null ? "null" : Shape.format(t.shape())));
            }
            values[i] = List.of(t);
        }
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            if (n.isInput()) {
                continue;
            }
            List<Tensor> args = new ArrayList<>(n.inputs().size());
            for (Port p : n.inputs()) {
                args.add(values[p.node()].get(p.output()));
            }
            float[][] carried = null;
            if (states != null && n.layer().recurrent().isPresent()) {
                carried = states.statesFor(i, n, args.get(0).dim(0));
            }
            saved[i] = new Saved(recyclable[i]);
            recyclable[i] = null;
            values[i] = n.layer().differentiable().orElseThrow().forwardTrain(args, params.values(n.layer()), saved[i],
                    ctx.withStates(carried));
            Regularizer reg = activity.get(n.layer());
            if (reg != null) {
                for (Tensor y : values[i]) {
                    activityLoss += reg.value(y.data()) / Math.max(1, y.dim(0));
                }
            }
        }
        List<Tensor> out = new ArrayList<>(graph.outputs().size());
        for (Port p : graph.outputs()) {
            out.add(values[p.node()].get(p.output()));
        }
        return out;
    }

    /**
     * The values before the final activation of model output {@code output}, when the layer producing it
     * is a {@link LogitsOutput} (a Dense or Activation layer); null otherwise. From the last {@link #forward}.
     *
     * @param output the model output's index, in output order
     * @return the pre-activation tensor of that output from the last forward pass, or null
     */
    public Tensor outputLogits(int output) {
        Port p = graph.outputs().get(output);
        Node n = graph.nodes().get(p.node());
        LogitsOutput lo = n.isInput() ? null : n.layer().logitsOutput().orElse(null);
        if (lo != null && saved != null && saved[p.node()] != null) {
            return lo.logits(saved[p.node()]);
        }
        return null;
    }

    /**
     * The activation applied last by the layer producing model output {@code output}, or null.
     *
     * @param output the model output's index, in output order
     * @return the final activation of that output's layer (e.g. softmax), or null if it is not a {@link LogitsOutput}
     */
    public org.jkeras.runtime.tensor.Activation outputActivation(int output) {
        Port p = graph.outputs().get(output);
        Node n = graph.nodes().get(p.node());
        return n.isInput() ? null : n.layer().logitsOutput().map(LogitsOutput::finalActivation).orElse(null);
    }

    /**
     * The activity-regularization loss of the last {@link #forward} (0 without activity regularizers).
     *
     * @return the summed activity loss, already divided by the batch size
     */
    public float activityLoss() {
        return activityLoss;
    }

    /**
     * Backpropagates from the gradients of the model outputs, adding into the parameters' gradients
     * (call {@link Parameters#zeroGrads()} first for a fresh step).
     *
     * @param outputGrads one per model output, shaped like it; null for an output the loss ignores
     * @throws IllegalStateException when no {@link #forward} preceded
     */
    public void backward(List<Tensor> outputGrads) {
        backward(outputGrads, null);
    }

    /**
     * Backpropagates like {@link #backward(List)}, with some outputs' gradients given with respect to their
     * {@link #outputLogits} instead (a cross-entropy Keras computes from the logits).
     *
     * @param outputGrads one per model output, shaped like it; null for an output the loss ignores
     * @param logitsGrads one per model output, null where the gradient is in {@code outputGrads}; or null for none
     */
    public void backward(List<Tensor> outputGrads, List<Tensor> logitsGrads) {
        if (saved == null) {
            throw new IllegalStateException("backward() needs a forward() first");
        }
        List<Node> nodes = graph.nodes();
        Tensor[][] grads = new Tensor[nodes.size()][];
        for (int i = 0; i < nodes.size(); i++) {
            grads[i] = new Tensor[values[i].size()];
        }
        List<Port> outs = graph.outputs();
        Tensor[] logitsAt = new Tensor[nodes.size()]; // per node: d(loss)/d(logits of its output)
        for (int o = 0; o < outs.size(); o++) {
            accumulate(grads, outs.get(o), outputGrads.get(o));
            if (logitsGrads != null && logitsGrads.get(o) != null) {
                Tensor[][] one = {{logitsAt[outs.get(o).node()]}};
                accumulate(one, new Port(0, 0), logitsGrads.get(o));
                logitsAt[outs.get(o).node()] = one[0][0];
            }
        }
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            if (n.isInput() || !needsGrad[i]) {
                continue;
            }
            Regularizer reg = activity.get(n.layer());
            if (reg != null) {
                for (int o = 0; o < grads[i].length; o++) {
                    Tensor y = values[i].get(o);
                    float[] g = new float[y.size()];
                    reg.addGradient(y.data(), g, 1f / Math.max(1, y.dim(0))); // Keras divides by the batch size
                    accumulate(grads, new Port(i, o), Tensor.wrap(g, y.shape()));
                }
            }
            if (logitsAt[i] == null && Arrays.stream(grads[i]).allMatch(g -> g == null)) {
                continue;
            }
            boolean[] need = new boolean[n.inputs().size()];
            for (int j = 0; j < need.length; j++) {
                need[j] = needsGrad[n.inputs().get(j).node()];
            }
            List<Tensor> dx;
            if (logitsAt[i] != null) {
                dx = java.util.Collections.singletonList(n.layer().logitsOutput().orElseThrow().backpropagateLogits(logitsAt[i],
                        grads[i][0], params.values(n.layer()), params.grads(n.layer()), saved[i], need[0]));
            } else {
                dx = n.layer().differentiable().orElseThrow().backward(Arrays.asList(grads[i]), params.values(n.layer()),
                        params.grads(n.layer()), saved[i], need);
            }
            RowGather g = n.layer().rowGather().orElse(null);
            if (g != null && grads[i][0] != null && params.hasTrainable(n.layer())) {
                params.addSparseRows(n.layer(), 0, new SparseRows(g.rowWidth(), g.gatheredRows(saved[i]),
                        grads[i][0].data().clone()));
            }
            for (int j = 0; j < need.length; j++) {
                if (need[j]) {
                    accumulate(grads, n.inputs().get(j), dx.get(j));
                }
            }
            grads[i] = null;
            recyclable[i] = saved[i].carryOver(); // the layer's reusable buffers, for its next call
            saved[i] = null; // free the rest of the layer's tape as soon as its backward pass is done
        }
        for (int i = 0; i < nodes.size(); i++) {
            if (saved[i] != null) { // nodes the backward pass skipped: done too
                recyclable[i] = saved[i].carryOver();
            }
        }
        saved = null;
        values = null;
    }

    /** Adds {@code g} to the gradient of {@code port} (a fresh copy on the second contribution). */
    private static void accumulate(Tensor[][] grads, Port port, Tensor g) {
        if (g == null) {
            return;
        }
        Tensor[] slot = grads[port.node()];
        Tensor have = slot[port.output()];
        if (have == null) {
            slot[port.output()] = g;
            return;
        }
        float[] sum = have.data().clone();
        float[] add = g.data();
        for (int i = 0; i < sum.length; i++) {
            sum[i] += add[i];
        }
        slot[port.output()] = Tensor.wrap(sum, have.shape());
    }

    // Java has no generic array creation; every slot is only ever assigned a List<Tensor>
    @SuppressWarnings("unchecked")
    private static List<Tensor>[] valueSlots(int n) {
        return (List<Tensor>[]) new List<?>[n];
    }
}
