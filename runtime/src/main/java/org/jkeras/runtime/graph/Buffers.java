package org.jkeras.runtime.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jkeras.runtime.tensor.InputMismatchException;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;

/**
 * The tensors one caller's runs of one graph reuse: {@link Graph#runInto} plans a buffer for every node output
 * from the shapes of the first call's inputs and keeps them while later calls bring inputs of the same shapes, so
 * the steady state of a served model or of a streaming session allocates nothing. A new input shape plans again.
 *
 * <p>Not thread-safe: one instance per thread (a {@link org.jkeras.runtime.Model} keeps one per calling thread) or
 * per session. Outputs whose last reader has run give their arrays to later outputs of the same size, so a chain of
 * layers holds few buffers. A plan above {@link #MAX_FLOATS} values (or a graph whose tensors carry masks) is not
 * kept: such calls compute fresh tensors, as {@link Graph#run} does, and copy the outputs.
 */
public final class Buffers {
    /** The most floats a plan keeps (16 MiB); a larger one is computed per call instead. */
    public static final long MAX_FLOATS = 1L << 22;

    private final Graph graph;
    private int[][] signature;                 // the dims of each input the plan is for; null before the first plan
    private boolean kept;                      // false when the plan is too large, or cannot be made
    private Tensor[][] values;                 // per node and output: its buffer (inputs: the call's tensors)
    private List<List<Tensor>> outs;           // per node: its buffers as the list a layer writes into
    private List<List<Tensor>> args;           // per node: the list of its input tensors, refilled each call
    private Shape[] outputShapes;              // per model output: the shape the plan gives it
    private final Tensor[] oneInput = new Tensor[1];   // the one-tensor calls' lists, so they allocate none
    private final Tensor[] oneOutput = new Tensor[1];
    private final List<Tensor> oneInputList = java.util.Arrays.asList(oneInput);
    private final List<Tensor> oneOutputList = java.util.Arrays.asList(oneOutput);

    Buffers(Graph graph) {
        this.graph = graph;
    }

    /** {@code input} as a one-element list, reused: valid until {@link #releaseSingles}. */
    List<Tensor> single(Tensor input) {
        oneInput[0] = input;
        return oneInputList;
    }

    /** {@code output} as a one-element list, reused: valid until {@link #releaseSingles}. */
    List<Tensor> singleOutput(Tensor output) {
        oneOutput[0] = output;
        return oneOutputList;
    }

    /** Forgets the caller's tensors, so the buffers do not keep them alive. */
    void releaseSingles() {
        oneInput[0] = null;
        oneOutput[0] = null;
    }

    /** The graph these buffers serve. */
    Graph graph() {
        return graph;
    }

    /** True when the last plan was made for inputs of exactly these shapes (compared without allocating). */
    boolean fits(List<Tensor> inputs) {
        if (signature == null || inputs.size() != signature.length) {
            return false;
        }
        for (int i = 0; i < signature.length; i++) {
            Tensor t = inputs.get(i);
            int[] dims = signature[i];
            if (t == null || t.rank() != dims.length) {
                return false;
            }
            for (int d = 0; d < dims.length; d++) {
                if (t.dim(d) != dims[d]) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether the current plan keeps buffers (false: the run computes fresh tensors). */
    boolean kept() {
        return kept;
    }

    /** A node's buffers, or the call's input tensor for an input node. */
    Tensor value(int node, int output) {
        return values[node][output];
    }

    List<Tensor> outs(int node) {
        return outs.get(node);
    }

    /** The node's argument list, filled with this call's tensors. */
    List<Tensor> args(int node) {
        List<Tensor> a = args.get(node);
        List<Port> from = graph.nodes().get(node).inputs();
        for (int j = 0; j < from.size(); j++) {
            Port p = from.get(j);
            a.set(j, values[p.node()][p.output()]);
        }
        return a;
    }

    /** Puts this call's input tensors where their nodes' readers find them. */
    void bindInputs(List<Tensor> inputs) {
        List<Integer> in = graph.inputNodeIndices();
        for (int i = 0; i < in.size(); i++) {
            values[in.get(i)][0] = inputs.get(i);
        }
    }

    /**
     * Plans buffers for inputs of these shapes (already checked by {@link Graph#checkInputs}): each node's
     * concrete output shapes in order, an array per output taken from those whose readers have all run.
     */
    void plan(List<Tensor> inputs) {
        List<Node> nodes = graph.nodes();
        int n = nodes.size();
        signature = new int[inputs.size()][];
        for (int i = 0; i < inputs.size(); i++) {
            signature[i] = inputs.get(i).shape();
        }
        Shape[][] shapes = new Shape[n][];
        List<Integer> in = graph.inputNodeIndices();
        for (int i = 0; i < in.size(); i++) {
            shapes[in.get(i)] = new Shape[] {Shape.of(signature[i])};
        }
        boolean known = !graph.hasMasks();
        for (int i = 0; i < n && known; i++) {
            Node node = nodes.get(i);
            if (node.isInput()) {
                continue;
            }
            List<Shape> argShapes = new ArrayList<>();
            for (Port p : node.inputs()) {
                argShapes.add(shapes[p.node()][p.output()]);
            }
            try {
                List<Shape> out = node.layer().outputShapes(argShapes);
                shapes[i] = out.toArray(new Shape[0]);
                for (Shape s : shapes[i]) {
                    known &= concrete(s);
                }
            } catch (IllegalArgumentException | ArithmeticException e) {
                known = false; // the layer names what does not fit when it runs
            }
        }
        outputShapes = new Shape[graph.outputs().size()];
        for (int o = 0; known && o < outputShapes.length; o++) {
            Port p = graph.outputs().get(o);
            outputShapes[o] = shapes[p.node()][p.output()];
        }
        long total = 0;
        for (int i = 0; known && i < n; i++) {
            if (!nodes.get(i).isInput()) {
                for (Shape s : shapes[i]) {
                    total += Graph.elements(s);
                }
            }
        }
        kept = known && total <= MAX_FLOATS;
        values = null;
        outs = null;
        args = null;
        if (!kept) {
            return;
        }
        values = new Tensor[n][];
        outs = new ArrayList<>(Collections.nCopies(n, null));
        args = new ArrayList<>(Collections.nCopies(n, null));
        List<float[]> free = new ArrayList<>();
        boolean[] released = new boolean[n];
        for (int i = 0; i < n; i++) {
            Node node = nodes.get(i);
            if (node.isInput()) {
                values[i] = new Tensor[1];
                continue;
            }
            values[i] = new Tensor[shapes[i].length];
            for (int k = 0; k < shapes[i].length; k++) {
                int[] dims = shapes[i][k].dims();
                values[i][k] = Tensor.wrap(take(free, (int) Graph.elements(shapes[i][k])), dims);
            }
            outs.set(i, List.of(values[i]));
            args.set(i, new ArrayList<>(Collections.nCopies(node.inputs().size(), (Tensor) null)));
            for (Port p : node.inputs()) { // readers done: the arrays of non-input nodes can serve later outputs
                if (graph.bufferLastUse(p.node()) == i && !nodes.get(p.node()).isInput() && !released[p.node()]) {
                    for (Tensor t : values[p.node()]) {
                        free.add(t.data());
                    }
                    released[p.node()] = true; // no one reads it after this node: later outputs may reuse it
                }
            }
        }
    }

    /** A free array of exactly {@code size} floats (a tensor's data has its exact size), else a new one. */
    private static float[] take(List<float[]> free, int size) {
        for (int j = 0; j < free.size(); j++) {
            if (free.get(j).length == size) {
                return free.remove(j);
            }
        }
        return new float[size];
    }

    private static boolean concrete(Shape s) {
        for (int d = 0; d < s.rank(); d++) {
            if (s.dim(d) == Shape.UNKNOWN) {
                return false;
            }
        }
        return true;
    }

    /**
     * Throws unless each output tensor has the shape the plan gives that model output.
     *
     * @throws InputMismatchException naming the output, the shape needed and the shape given
     */
    void checkOutputs(List<Tensor> outputs) {
        for (int o = 0; o < outputShapes.length; o++) {
            Tensor t = outputs.get(o);
            Shape need = outputShapes[o];
            if (t == null || (need != null && !matches(t, need))) {
                String name = graph.nodes().get(graph.outputs().get(o).node()).name();
                throw new InputMismatchException("output " + o + " ('" + name + "') needs a tensor of shape "
                        + (need == null ? "(any)" : need) + " for these inputs, got " + (t == null ? "null" : Shape.format(t.shape()))
                        + " (make one with Tensor.zeros(...) of that shape and reuse it)");
            }
        }
    }

    private static boolean matches(Tensor t, Shape s) {
        if (t.rank() != s.rank()) {
            return false;
        }
        for (int d = 0; d < s.rank(); d++) {
            if (t.dim(d) != s.dim(d)) {
                return false;
            }
        }
        return true;
    }
}
