package org.jkeras.runtime.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jkeras.runtime.tensor.InputLimits;
import org.jkeras.runtime.tensor.InputMismatchException;
import org.jkeras.runtime.tensor.Mask;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.layers.CallContext;
import org.jkeras.runtime.kernels.StepThreads;
import org.jkeras.runtime.layers.Layer;
import org.jkeras.runtime.layers.Pipelines;
import org.jkeras.runtime.layers.RecurrentLayer;

/**
 * An immutable directed acyclic graph of layers with named inputs and ordered outputs. Nodes
 * are kept in the order they were added, which is a valid evaluation order because a node can
 * only consume nodes added before it.
 *
 * <p>Masks travel along the graph as in Keras: the builder works out which ports carry one
 * ({@link Layer#outputsMasked}); a run hands each layer its inputs' masks in a {@link CallContext}
 * and keeps the masks its outputs get ({@link Layer#outputMasks}). A graph without masked ports runs
 * without any mask bookkeeping.
 */
public final class Graph {
    private final List<Node> nodes;
    private final List<Integer> inputNodes;
    private final List<Port> outputs;
    private final int[] lastUse; // per node: index of the last node reading it (or nodes.size() for outputs)
    private final boolean[][] masked; // per node and output: whether a mask travels with it
    private final boolean hasMasks;
    private final InputLimits limits;
    private final int[] consumer; // per node: the node it may run at once with (pipelined), or -1
    private final RecurrentLayer[] recurrent; // per node: its layer when recurrent (asked once, not per call)

    private Graph(List<Node> nodes, List<Integer> inputNodes, List<Port> outputs, List<boolean[]> masked,
                  InputLimits limits) {
        this.limits = limits;
        this.nodes = List.copyOf(nodes);
        this.inputNodes = List.copyOf(inputNodes);
        this.outputs = List.copyOf(outputs);
        this.masked = masked.toArray(new boolean[0][]);
        boolean any = false;
        for (boolean[] m : this.masked) {
            for (boolean b : m) {
                any |= b;
            }
        }
        this.hasMasks = any;
        this.lastUse = new int[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            for (Port p : nodes.get(i).inputs()) {
                lastUse[p.node()] = Math.max(lastUse[p.node()], i);
            }
        }
        for (Port p : outputs) {
            lastUse[p.node()] = nodes.size();
        }
        this.recurrent = new RecurrentLayer[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            recurrent[i] = nodes.get(i).isInput() ? null : nodes.get(i).layer().recurrent().orElse(null);
        }
        this.consumer = new int[nodes.size()];
        java.util.Arrays.fill(consumer, -1);
        for (int i = 0; i + 1 < nodes.size() && !hasMasks; i++) {
            if (!onlyReaderIsNext(i)) {
                continue;
            }
            int b = i + 1; // a layer that is the identity at inference (Dropout) may sit between the pair
            if (Pipelines.passesThrough(nodes.get(b).layer()) && b + 1 < nodes.size() && onlyReaderIsNext(b)) {
                b++;
            }
            if (Pipelines.pairs(nodes.get(i).layer(), nodes.get(b).layer())) {
                consumer[i] = b;
            }
        }
    }

    /** True when node {@code i} has one output, read by the next node alone, which has one input and output. */
    private boolean onlyReaderIsNext(int i) {
        Node a = nodes.get(i);
        Node b = nodes.get(i + 1);
        return !a.isInput() && a.outputShapes().size() == 1 && lastUse[i] == i + 1
                && b.inputs().equals(List.of(new Port(i, 0))) && b.outputShapes().size() == 1;
    }

    /**
     * The last node whose run reads node {@code node}'s arrays: {@link #lastUse}, or later when a pipelined
     * consumer reads them straight past a layer between (what planned buffers must not hand on before).
     */
    int bufferLastUse(int node) {
        return consumer[node] > lastUse[node] ? consumer[node] : lastUse[node];
    }

    /**
     * A builder for a new graph.
     *
     * @return an empty builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * All nodes in evaluation order.
     *
     * @return the nodes, inputs included; a node's inputs come before it
     */
    public List<Node> nodes() {
        return nodes;
    }

    /**
     * The model inputs, in order.
     *
     * @return the input nodes, a new list
     */
    public List<Node> inputs() {
        List<Node> list = new ArrayList<>(inputNodes.size());
        for (int i : inputNodes) {
            list.add(nodes.get(i));
        }
        return list;
    }

    /**
     * The model outputs, in order.
     *
     * @return the ports the model's outputs are read from
     */
    public List<Port> outputs() {
        return outputs;
    }

    /**
     * True when a mask travels with the tensor at {@code port} (Keras's {@code _keras_mask}).
     *
     * @param port a node's output
     * @return whether the tensor there carries a mask
     */
    public boolean masked(Port port) {
        return masked[port.node()][port.output()];
    }

    /**
     * True when some port of the graph carries a mask.
     *
     * @return false when no layer makes or passes on a mask
     */
    public boolean hasMasks() {
        return hasMasks;
    }

    /**
     * The bounds {@link #run} checks inputs and computed tensors against.
     *
     * @return the input bounds
     */
    public InputLimits inputLimits() {
        return limits;
    }

    /**
     * The same graph with other input bounds.
     *
     * @param newLimits the bounds to check calls against
     * @return a graph sharing this one's nodes
     */
    public Graph withInputLimits(InputLimits newLimits) {
        return new Graph(nodes, inputNodes, outputs, java.util.Arrays.asList(masked),
                java.util.Objects.requireNonNull(newLimits));
    }

    /**
     * The declared shape at a port.
     *
     * @param port a node's output
     * @return its shape, the batch (and maybe time) dimension unknown
     */
    public Shape shapeOf(Port port) {
        return nodes.get(port.node()).outputShapes().get(port.output());
    }

    /**
     * Evaluates the graph.
     *
     * @param inputs one tensor per model input, in order
     * @return one tensor per model output, in order
     * @throws InputMismatchException when the inputs do not fit the declared input shapes
     */
    public List<Tensor> run(List<Tensor> inputs) {
        return run(inputs, null);
    }

    /**
     * Evaluates the graph, running recurrent nodes from (and updating) the states that
     * {@code states} supplies.
     *
     * @param inputs one tensor per model input, in order
     * @param states carried recurrent state, or null for zero state everywhere
     * @return one tensor per model output, in order
     * @throws InputMismatchException when the inputs do not fit the declared input shapes, or ask for more than
     *                                the {@link #inputLimits()} allow
     */
    public List<Tensor> run(List<Tensor> inputs, StateSource states) {
        if (inputs == null) {
            throw new InputMismatchException("the inputs are null: pass one tensor per model input");
        }
        checkInputs(inputs);
        List<List<Tensor>> values = new ArrayList<>(Collections.nCopies(nodes.size(), null));
        List<List<Mask>> masks = hasMasks ? new ArrayList<>(Collections.nCopies(nodes.size(), null)) : null;
        for (int i = 0; i < inputNodes.size(); i++) {
            values.set(inputNodes.get(i), List.of(inputs.get(i)));
        }
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            if (node.isInput()) {
                continue;
            }
            List<Tensor> args = new ArrayList<>(node.inputs().size());
            for (Port p : node.inputs()) {
                args.add(values.get(p.node()).get(p.output()));
            }
            CallContext ctx = CallContext.NONE;
            if (masks != null) {
                List<Mask> in = new ArrayList<>(node.inputs().size());
                for (Port p : node.inputs()) {
                    List<Mask> m = masks.get(p.node());
                    in.add(m == null ? null : m.get(p.output()));
                }
                ctx = CallContext.inference(in);
            }
            List<Tensor> out;
            try {
                int c = consumer[i];
                if (mayPipeline(i, args.get(0))) {
                    Tensor mid = Tensor.zeros(node.layer().outputShapes(List.of(Shape.of(args.get(0).shape())))
                            .get(0).dims());
                    Node next = nodes.get(c);
                    Tensor last = Tensor.zeros(next.layer().outputShapes(List.of(Shape.of(mid.shape()))).get(0).dims());
                    if (Pipelines.run(node.layer(), args.get(0), mid, next.layer(), last, carried(states, i),
                            carried(states, c))) {
                        values.set(c, List.of(last));
                        i = c; // the consumer ran too (and any identity layer between); mid is dropped
                        continue;
                    }
                }
                out = evaluate(i, node, args, ctx, states);
            } catch (ArithmeticException | NegativeArraySizeException e) {
                // a size overflowing an int inside a layer: the plan below bounds outputs, not every buffer
                throw new InputMismatchException("layer '" + node.name() + "' cannot compute inputs this large ("
                        + e + "); use a smaller batch or fewer time steps");
            }
            values.set(i, out);
            if (masks != null && anyTrue(masked[i])) {
                masks.set(i, nodeMasks(node, args, ctx, out.size()));
            }
            for (Port p : node.inputs()) {
                if (lastUse[p.node()] == i) {
                    values.set(p.node(), null); // free intermediates as soon as no one reads them
                    if (masks != null) {
                        masks.set(p.node(), null);
                    }
                }
            }
        }
        List<Tensor> result = new ArrayList<>(outputs.size());
        for (Port p : outputs) {
            result.add(values.get(p.node()).get(p.output()));
        }
        return result;
    }

    /**
     * New, empty buffers for {@link #runInto}: one set per thread or session.
     *
     * @return buffers that plan themselves at their first run
     */
    public Buffers newBuffers() {
        return new Buffers(this);
    }

    /**
     * Evaluates the graph into tensors the caller supplies, computing every node into {@code buffers} planned for
     * these input shapes: when the shapes are those of the previous call, nothing is checked again and nothing is
     * allocated (on the Vector API kernels; see {@link Buffers} for the cases that still allocate). The outputs'
     * shapes are checked before anything runs, so a wrong one leaves carried states untouched.
     *
     * @param inputs  one tensor per model input, in order
     * @param states  carried recurrent state, or null for zero state everywhere
     * @param outputs one tensor per model output, in order, each shaped as that output is for these inputs: its
     *                values are overwritten
     * @param buffers this graph's buffers ({@link #newBuffers}), used by one thread at a time
     * @throws InputMismatchException when the inputs do not fit the model, or an output tensor has the wrong shape
     */
    public void runInto(List<Tensor> inputs, StateSource states, List<Tensor> outputs, Buffers buffers) {
        if (inputs == null) {
            throw new InputMismatchException("the inputs are null: pass one tensor per model input");
        }
        if (outputs == null || outputs.size() != this.outputs.size()) {
            throw new InputMismatchException("the model gives " + this.outputs.size() + " output(s): pass one"
                    + " tensor per output to write into, got " + (outputs == null ? "null" : outputs.size()));
        }
        if (buffers.graph() != this) {
            throw new IllegalArgumentException("these buffers belong to another graph: make them with newBuffers()"
                    + " on the graph they run");
        }
        if (!buffers.fits(inputs)) {
            checkInputs(inputs);
            buffers.plan(inputs);
        }
        buffers.checkOutputs(outputs);
        if (!buffers.kept()) {
            copyOutputs(run(inputs, states), outputs);
            return;
        }
        buffers.bindInputs(inputs);
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            if (node.isInput()) {
                continue;
            }
            List<Tensor> args = buffers.args(i);
            List<Tensor> outs = buffers.outs(i);
            try {
                int c = consumer[i];
                if (mayPipeline(i, args.get(0)) && Pipelines.run(node.layer(), args.get(0), outs.get(0),
                        nodes.get(c).layer(), buffers.outs(c).get(0), carried(states, i), carried(states, c))) {
                    i = c; // the consumer ran with this one (and any identity layer between)
                    continue;
                }
                RecurrentLayer layer = states == null ? null : recurrent[i];
                float[][] s = layer == null ? null : states.statesFor(i, node, args.get(0).dim(0));
                if (s != null) {
                    layer.forwardWithStateInto(args, CallContext.NONE, s, states.continuesSequences(), outs);
                } else {
                    node.layer().forwardInto(args, CallContext.NONE, outs);
                }
            } catch (ArithmeticException | NegativeArraySizeException e) {
                throw new InputMismatchException("layer '" + node.name() + "' cannot compute inputs this large ("
                        + e + "); use a smaller batch or fewer time steps");
            }
        }
        for (int o = 0; o < outputs.size(); o++) {
            Port p = this.outputs.get(o);
            copyOutput(o, buffers.value(p.node(), p.output()), outputs.get(o));
        }
    }

    /**
     * Copies the outputs of a run ({@link #run}) into tensors a caller supplies: how a form of prediction that
     * computes fresh tensors still serves {@link #runInto}'s contract.
     *
     * @param results one tensor per model output, as {@link #run} gives them
     * @param into    one tensor per model output, each of its result's shape; overwritten
     * @throws InputMismatchException naming the output when the counts or a shape differ
     */
    public void copyOutputs(List<Tensor> results, List<Tensor> into) {
        if (into == null || into.size() != results.size()) {
            throw new InputMismatchException("the model gives " + results.size() + " output(s): pass one"
                    + " tensor per output to write into, got " + (into == null ? "null" : into.size()));
        }
        for (int o = 0; o < results.size(); o++) {
            copyOutput(o, results.get(o), into.get(o));
        }
    }

    /** True when node {@code i} pairs with its consumer and this call may run them at once (batch 1, 2+ threads). */
    private boolean mayPipeline(int i, Tensor x) {
        return consumer[i] >= 0 && StepThreads.current() >= 2 && x.rank() == 3 && x.dim(0) == 1;
    }

    /**
     * {@link #runInto(List, StateSource, List, Buffers)} for a graph of one input and one output, without the
     * caller making lists.
     *
     * @param input   the model input
     * @param states  carried recurrent state, or null for zero state everywhere
     * @param output  shaped as the model output is for this input; overwritten
     * @param buffers this graph's buffers, used by one thread at a time
     * @throws InputMismatchException when the input does not fit the model, or the output has the wrong shape
     */
    public void runInto(Tensor input, StateSource states, Tensor output, Buffers buffers) {
        if (inputNodes.size() != 1 || outputs.size() != 1) {
            throw new IllegalStateException("the model has " + inputNodes.size() + " input(s) and " + outputs.size()
                    + " output(s): use predictInto(List<Tensor>, List<Tensor>)");
        }
        try {
            runInto(buffers.single(input), states, buffers.singleOutput(output), buffers);
        } finally {
            buffers.releaseSingles();
        }
    }

    private void copyOutput(int o, Tensor value, Tensor into) {
        if (into == null || !value.sameShape(into)) {
            throw new InputMismatchException("output " + o + " ('" + nodes.get(this.outputs.get(o).node()).name()
                    + "') is a tensor of shape " + Shape.format(value.shape()) + " for these inputs, but the tensor"
                    + " to write it into is " + (into == null ? "null" : Shape.format(into.shape())));
        }
        System.arraycopy(value.data(), 0, into.data(), 0, into.size());
    }

    /** The state a session carries for a batch-1 call of a recurrent node, or null (none carried, or no session). */
    private float[][] carried(StateSource states, int node) {
        return states == null ? null : states.statesFor(node, nodes.get(node), 1);
    }

    /** The indices of the input nodes in {@link #nodes()}, in input order. */
    List<Integer> inputNodeIndices() {
        return inputNodes;
    }

    /**
     * Checks the inputs against the declared shapes and the {@link #inputLimits()}: batch, time steps, and the
     * element count of every tensor each layer would output for them (in long arithmetic, so nothing overflows),
     * before anything is computed or allocated.
     *
     * @param inputs one tensor per model input, in order
     * @throws InputMismatchException naming the input or layer, the shapes and the bound
     */
    public void checkInputs(List<Tensor> inputs) {
        if (inputs.size() != inputNodes.size()) {
            throw new InputMismatchException("the model takes " + inputNodes.size() + " input(s), got "
                    + inputs.size());
        }
        List<List<Shape>> shapes = new ArrayList<>(Collections.nCopies(nodes.size(), null));
        for (int i = 0; i < inputNodes.size(); i++) {
            Node in = nodes.get(inputNodes.get(i));
            Tensor t = inputs.get(i);
            Shape declared = in.outputShapes().get(0);
            if (t == null || !declared.accepts(t.shape())) {
                throw new InputMismatchException("input '" + in.name() + "' expects shape " + declared
                        + ", got " + (t == null ? "null" : Shape.format(t.shape())));
            }
            int[] dims = t.shape();
            if (dims.length > 0 && dims[0] > limits.maxBatch()) {
                throw new InputMismatchException("input '" + in.name() + "' has a batch of " + dims[0]
                        + ", more than the limit max_input_batch=" + limits.maxBatch() + " (raise it with"
                        + " Model.withInputLimits, or --limit max_input_batch=n on the command line)");
            }
            if (dims.length == 3 && dims[1] > limits.maxTimesteps()) {
                throw new InputMismatchException("input '" + in.name() + "' has " + dims[1] + " time steps, more"
                        + " than the limit max_input_timesteps=" + limits.maxTimesteps() + " (raise it with"
                        + " Model.withInputLimits, or --limit max_input_timesteps=n on the command line)");
            }
            shapes.set(inputNodes.get(i), List.of(Shape.of(dims)));
        }
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            if (node.isInput()) {
                continue;
            }
            List<Shape> in = new ArrayList<>(node.inputs().size());
            for (Port p : node.inputs()) {
                List<Shape> s = shapes.get(p.node());
                in.add(s == null ? null : s.get(p.output()));
            }
            List<Shape> out;
            try {
                out = in.contains(null) ? null : node.layer().outputShapes(in);
            } catch (IllegalArgumentException | ArithmeticException e) {
                out = null; // the layer reports what does not fit when it runs
            }
            if (out == null) {
                continue;
            }
            for (Shape o : out) {
                long n = elements(o);
                {
                    if (n > limits.maxTensorElements()) {
                        throw new InputMismatchException("layer '" + node.name() + "' would output a tensor of"
                                + " shape " + o + " for inputs " + Shape.format(inputs.get(0).shape()) + ", more than"
                                + " the limit max_tensor_elements=" + limits.maxTensorElements() + " elements"
                                + " (raise it with Model.withInputLimits, or --limit max_tensor_elements=n on the"
                                + " command line)");
                    }
                }
            }
            shapes.set(i, out);
        }
    }

    /** The number of elements of a concrete shape, saturating at Long.MAX_VALUE (0 when a dimension is 0). */
    static long elements(Shape s) {
        long n = 1;
        for (int d : s.dims()) {
            if (d == 0) {
                return 0;
            }
            n = d < 0 ? n : (n > Long.MAX_VALUE / d ? Long.MAX_VALUE : n * d);
        }
        return n;
    }

    /**
     * The same graph with the time axis (dimension 1) of every rank-3 input, and of every rank-2 input of token
     * indices (read only by Embedding layers), left free, for feeding sequences in pieces of any length.
     *
     * @return a graph of the same layers whose inputs take any number of steps
     * @throws IllegalArgumentException naming the first layer that needs a fixed number of steps
     *                                  (e.g. a Flatten before a Dense)
     */
    public Graph withFreeTime() {
        Builder b = new Builder();
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            if (n.isInput()) {
                Shape s = n.outputShapes().get(0);
                boolean timed = s.rank() == 3 || (s.rank() == 2 && readOnlyByEmbeddings(i)); // [batch, time] indices
                b.input(n.name(), timed ? s.with(1, Shape.UNKNOWN) : s);
            } else {
                b.apply(n.layer(), n.inputs());
            }
        }
        return b.build(outputs).withInputLimits(limits);
    }

    private boolean readOnlyByEmbeddings(int input) {
        boolean read = false;
        for (Node n : nodes) {
            for (Port p : n.inputs()) {
                if (p.node() == input) {
                    if (!n.layer().readsIndices()) {
                        return false;
                    }
                    read = true;
                }
            }
        }
        return read;
    }

    /**
     * The same graph with every layer replaced by {@code replacement.apply(layer)}: called once per
     * distinct layer, so a layer applied at several nodes (shared weights) stays shared. How a trainer
     * builds the immutable snapshot of a trained model.
     *
     * @param replacement gives each layer's replacement
     * @return the graph of the replacements, with this graph's inputs, outputs and bounds
     * @throws IllegalArgumentException when a replacement does not fit its inputs
     */
    public Graph mapLayers(java.util.function.UnaryOperator<Layer> replacement) {
        java.util.Map<Layer, Layer> done = new java.util.IdentityHashMap<>();
        Builder b = new Builder();
        for (Node n : nodes) {
            if (n.isInput()) {
                b.input(n.name(), n.outputShapes().get(0));
            } else {
                b.apply(done.computeIfAbsent(n.layer(), replacement), n.inputs());
            }
        }
        return b.build(outputs).withInputLimits(limits);
    }

    private List<Tensor> evaluate(int index, Node node, List<Tensor> args, CallContext ctx, StateSource states) {
        RecurrentLayer layer = states == null ? null : recurrent[index];
        if (layer != null) {
            Tensor x = args.get(0);
            float[][] s = states.statesFor(index, node, x.dim(0));
            if (s != null) {
                return layer.forwardWithState(args, ctx, s, states.continuesSequences());
            }
        }
        return ctx == CallContext.NONE ? node.layer().forward(args) : node.layer().forward(args, ctx);
    }

    /** The masks of a node's outputs, checked against what the builder said would carry one. */
    private static List<Mask> nodeMasks(Node node, List<Tensor> args, CallContext ctx, int outputs) {
        List<Mask> m = node.layer().outputMasks(args, ctx.masks());
        if (m == null) {
            return Collections.nCopies(outputs, null);
        }
        if (m.size() != outputs) {
            throw new IllegalStateException("layer '" + node.name() + "' gave " + m.size() + " masks for " + outputs
                    + " outputs");
        }
        return m;
    }

    private static boolean anyTrue(boolean[] flags) {
        for (boolean b : flags) {
            if (b) {
                return true;
            }
        }
        return false;
    }

    /** Assembles a graph node by node; not thread-safe, use from one thread. */
    public static final class Builder {
        private final List<Node> nodes = new ArrayList<>();
        private final List<Integer> inputNodes = new ArrayList<>();
        private final List<boolean[]> masked = new ArrayList<>();

        private Builder() {
        }

        /**
         * Declares a model input; {@code shape} includes the batch dimension (usually unknown).
         *
         * @param name  the input's name
         * @param shape its declared shape
         * @return the port the input's tensor is read from
         */
        public Port input(String name, Shape shape) {
            nodes.add(new Node(name, null, List.of(), List.of(shape)));
            masked.add(new boolean[1]);
            inputNodes.add(nodes.size() - 1);
            return new Port(nodes.size() - 1, 0);
        }

        /**
         * Applies a layer to earlier outputs and returns all of its outputs.
         *
         * @param layer  the layer
         * @param inputs earlier ports, one per layer input
         * @return one port per layer output
         * @throws IllegalArgumentException when the inputs do not fit the layer
         */
        public List<Port> apply(Layer layer, List<Port> inputs) {
            List<Shape> shapes = new ArrayList<>(inputs.size());
            for (Port p : inputs) {
                if (p.node() < 0 || p.node() >= nodes.size()
                        || p.output() >= nodes.get(p.node()).outputShapes().size()) {
                    throw new IllegalArgumentException("layer '" + layer.name() + "' refers to a missing output " + p);
                }
                shapes.add(nodes.get(p.node()).outputShapes().get(p.output()));
            }
            List<Shape> out = List.copyOf(layer.outputShapes(shapes));
            List<Boolean> inMasked = new ArrayList<>(inputs.size());
            for (Port p : inputs) {
                inMasked.add(masked.get(p.node())[p.output()]);
            }
            List<Boolean> outMasked = layer.outputsMasked(inMasked, out.size());
            if (outMasked.size() != out.size()) {
                throw new IllegalStateException("layer '" + layer.name() + "' states masks for " + outMasked.size()
                        + " outputs but has " + out.size());
            }
            boolean[] flags = new boolean[out.size()];
            for (int i = 0; i < flags.length; i++) {
                flags[i] = outMasked.get(i);
            }
            nodes.add(new Node(layer.name(), layer, List.copyOf(inputs), out));
            masked.add(flags);
            List<Port> ports = new ArrayList<>(out.size());
            for (int i = 0; i < out.size(); i++) {
                ports.add(new Port(nodes.size() - 1, i));
            }
            return ports;
        }

        /**
         * True when a mask travels with the tensor at {@code port} of the graph built so far.
         *
         * @param port an output of a node added so far
         * @return whether the tensor there carries a mask
         */
        public boolean masked(Port port) {
            return masked.get(port.node())[port.output()];
        }

        /**
         * Applies a single-output layer and returns its output.
         *
         * @param layer  the layer
         * @param inputs earlier ports, one per layer input
         * @return the port of its output
         * @throws IllegalArgumentException when the inputs do not fit the layer
         */
        public Port apply(Layer layer, Port... inputs) {
            List<Port> out = apply(layer, List.of(inputs));
            if (out.size() != 1) {
                throw new IllegalArgumentException("layer '" + layer.name() + "' has " + out.size() + " outputs");
            }
            return out.get(0);
        }

        /**
         * The finished graph with the given outputs.
         *
         * @param outputs the ports the model's outputs are read from, in order
         * @return the graph, with default input bounds
         */
        public Graph build(List<Port> outputs) {
            if (inputNodes.isEmpty()) {
                throw new IllegalArgumentException("a graph needs at least one input");
            }
            if (outputs.isEmpty()) {
                throw new IllegalArgumentException("a graph needs at least one output");
            }
            for (Port p : outputs) {
                if (p.node() < 0 || p.node() >= nodes.size()) {
                    throw new IllegalArgumentException("graph output refers to a missing node " + p);
                }
            }
            return new Graph(nodes, inputNodes, outputs, masked, InputLimits.DEFAULTS);
        }
    }
}
