package org.jkeras.runtime.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jkeras.runtime.InputMismatchException;
import org.jkeras.runtime.Shape;
import org.jkeras.runtime.Tensor;
import org.jkeras.runtime.graph.Graph;
import org.jkeras.runtime.graph.Node;
import org.jkeras.runtime.graph.Port;
import org.jkeras.runtime.graph.StateSource;
import org.jkeras.runtime.layers.Differentiable;
import org.jkeras.runtime.layers.RecurrentLayer;
import org.jkeras.runtime.layers.Saved;
import org.jkeras.runtime.layers.TrainContext;

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
    private Saved[] saved;
    private List<Tensor>[] values;

    /**
     * A tape over {@code graph} reading and updating {@code params}.
     *
     * @throws IllegalArgumentException naming the layer when a layer of the graph cannot be trained
     */
    public Tape(Graph graph, Parameters params) {
        this.graph = graph;
        this.params = params;
        List<Node> nodes = graph.nodes();
        this.needsGrad = new boolean[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            if (n.isInput()) {
                continue;
            }
            if (!(n.layer() instanceof Differentiable)) {
                throw new IllegalArgumentException("layer '" + n.layer().name() + "' (" + n.layer().kind()
                        + ") cannot be trained yet: it has no backward pass");
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
        saved = new Saved[nodes.size()];
        values = new List[nodes.size()];
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
            if (states != null && n.layer() instanceof RecurrentLayer) {
                carried = states.statesFor(i, n, args.get(0).dim(0));
            }
            saved[i] = new Saved();
            values[i] = ((Differentiable) n.layer()).forwardTrain(args, params.values(n.layer()), saved[i],
                    ctx.withStates(carried));
        }
        List<Tensor> out = new ArrayList<>(graph.outputs().size());
        for (Port p : graph.outputs()) {
            out.add(values[p.node()].get(p.output()));
        }
        return out;
    }

    /**
     * Backpropagates from the gradients of the model outputs, adding into the parameters' gradients
     * (call {@link Parameters#zeroGrads()} first for a fresh step).
     *
     * @param outputGrads one per model output, shaped like it; null for an output the loss ignores
     * @throws IllegalStateException when no {@link #forward} preceded
     */
    public void backward(List<Tensor> outputGrads) {
        if (saved == null) {
            throw new IllegalStateException("backward() needs a forward() first");
        }
        List<Node> nodes = graph.nodes();
        Tensor[][] grads = new Tensor[nodes.size()][];
        for (int i = 0; i < nodes.size(); i++) {
            grads[i] = new Tensor[values[i].size()];
        }
        List<Port> outs = graph.outputs();
        for (int o = 0; o < outs.size(); o++) {
            accumulate(grads, outs.get(o), outputGrads.get(o));
        }
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            if (n.isInput() || !needsGrad[i] || Arrays.stream(grads[i]).allMatch(g -> g == null)) {
                continue;
            }
            boolean[] need = new boolean[n.inputs().size()];
            for (int j = 0; j < need.length; j++) {
                need[j] = needsGrad[n.inputs().get(j).node()];
            }
            List<Tensor> dx = ((Differentiable) n.layer()).backward(Arrays.asList(grads[i]),
                    params.values(n.layer()), params.grads(n.layer()), saved[i], need);
            for (int j = 0; j < need.length; j++) {
                if (need[j]) {
                    accumulate(grads, n.inputs().get(j), dx.get(j));
                }
            }
            grads[i] = null;
            saved[i] = null; // free the layer's tape as soon as its backward pass is done
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
}
