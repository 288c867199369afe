package org.jkeras.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jkeras.runtime.graph.Buffers;
import org.jkeras.runtime.graph.Graph;
import org.jkeras.runtime.graph.Node;
import org.jkeras.runtime.graph.Port;
import org.jkeras.runtime.layers.Layer;
import org.jkeras.runtime.tensor.InputLimits;
import org.jkeras.runtime.tensor.InputMismatchException;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;

/**
 * A loaded model, ready to predict. Immutable and safe to call from many threads at once:
 * every call works on its own buffers.
 *
 * <pre>{@code
 * Model model = KerasModels.load(Path.of("forecaster.keras"));
 * Tensor y = model.predict(Tensor.of(x, batch, steps, features));
 * }</pre>
 */
public final class Model {
    private final Graph graph;
    private final Map<String, String> metadata;
    private final Object origin;
    private final TrainingDefaults training;
    private final ThreadLocal<Buffers> buffers; // per calling thread: what predictInto reuses

    /**
     * A model over a graph.
     *
     * @param graph the layers and their connections
     * @param metadata free-form facts about the source (e.g. {@code format}, {@code keras_version})
     */
    public Model(Graph graph, Map<String, String> metadata) {
        this(graph, metadata, null);
    }

    /**
     * A model over a graph that remembers where it came from.
     *
     * @param graph the layers and their connections
     * @param metadata free-form facts about the source (e.g. {@code format}, {@code keras_version})
     * @param origin   the importer's record of the source (e.g. the Keras config), which it needs to save the
     *                 model back in the same form; the runtime never reads it; null for none
     */
    public Model(Graph graph, Map<String, String> metadata, Object origin) {
        this(graph, metadata, origin, TrainingDefaults.NONE);
    }

    private Model(Graph graph, Map<String, String> metadata, Object origin, TrainingDefaults training) {
        this.graph = graph;
        this.metadata = Map.copyOf(new LinkedHashMap<>(metadata));
        this.origin = origin;
        this.training = training;
        this.buffers = ThreadLocal.withInitial(graph::newBuffers);
    }

    /**
     * This model with what its file says about training it (compiled optimizer and loss, frozen layers,
     * regularizers); {@link org.jkeras.runtime.training.Fit} uses them unless told otherwise.
     *
     * @param defaults what the file says about training
     * @return a new model; this one is unchanged
     */
    public Model withTrainingDefaults(TrainingDefaults defaults) {
        return new Model(graph, metadata, origin, defaults);
    }

    /**
     * What the model's file says about training it; {@link TrainingDefaults#NONE} when it says nothing.
     *
     * @return the training defaults
     */
    public TrainingDefaults trainingDefaults() {
        return training;
    }

    /**
     * This model's metadata and origin over another graph of the same interface (e.g. the same layers with
     * trained weights): how a trainer makes a new immutable snapshot while this model keeps serving.
     *
     * @param newGraph a graph with the same inputs and outputs
     * @return a new model; this one is unchanged
     */
    public Model withGraph(Graph newGraph) {
        return new Model(newGraph, metadata, origin, training);
    }

    /**
     * This model with other bounds on its inputs and on the tensors a prediction computes (see
     * {@link InputLimits}); metadata, origin and training defaults are kept.
     *
     * @param limits the new bounds on batch size, time steps and tensor elements
     * @return a new model; this one is unchanged
     */
    public Model withInputLimits(InputLimits limits) {
        return new Model(graph.withInputLimits(limits), metadata, origin, training);
    }

    /**
     * The bounds {@link #predict} checks inputs against.
     *
     * @return the bounds in force: {@link InputLimits#DEFAULTS} unless set with {@link #withInputLimits} (keras-import
     *         sets them from its load options)
     */
    public InputLimits inputLimits() {
        return graph.inputLimits();
    }

    /**
     * This model with every kernel (the {@code kernel} and {@code recurrent_kernel} matrices of LSTM, GRU, SimpleRNN,
     * Dense, Conv1D and the layers wrapped in Bidirectional or TimeDistributed) rounded to the nearest bfloat16, ties
     * to even, as {@code keras.ops.cast(kernel, "bfloat16")} rounds. Opt-in: the outputs then differ from the float32
     * model's by the rounding of the weights (bfloat16 keeps 8 significant bits; the documented tolerance is 1e-2
     * for outputs of order 1, and on the {@code precision} fixtures the outputs moved by 4.5e-4 to 4.2e-3 from Keras's
     * float32 ones). Biases and every other weight stay float32, and all arithmetic stays float32.
     *
     * <p>What it buys: the batch-1 kernels read the rounded kernels from 16 bits, half the bytes of float32, with the
     * same float32 FMAs. The outputs equal, within float32 rounding, what Keras computes with the rounded kernels set
     * into the float32 model. Faster where a step's weights stream from beyond the core's L2 cache or from a Java
     * array (Java 21): see {@code benchmarks/RESULTS.md}. Fine-tuning such a model starts from the rounded values and
     * trains in float32, so its snapshots hold float32 kernels again. The metadata gains
     * {@code kernel_precision=bfloat16}.
     *
     * @return a new model; this one is unchanged
     * @throws IllegalArgumentException naming the layer when a layer holds a kernel it cannot be rebuilt with
     */
    public Model withBfloat16Kernels() {
        Map<String, String> md = new LinkedHashMap<>(metadata);
        md.put("kernel_precision", "bfloat16");
        return new Model(graph.mapLayers(Bfloat16Kernels::round), md, origin, training);
    }

    /**
     * This model with other metadata; graph, origin, training defaults and input limits are kept.
     *
     * @param newMetadata the metadata the new model reports
     * @return a new model sharing this one's graph
     */
    public Model withMetadata(Map<String, String> newMetadata) {
        return new Model(graph, newMetadata, origin, training);
    }

    /**
     * The graph.
     *
     * @return the graph
     */
    public Graph graph() {
        return graph;
    }

    /**
     * Facts about where the model came from, e.g. {@code format} and {@code keras_version}.
     *
     * @return an unmodifiable map
     */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * The importer's record of the model's source, if it left one: opaque to the runtime, kept by every
     * model derived from this one (e.g. a fine-tuned snapshot) so a writer can save it back in its own form.
     *
     * @param type the record's class, as the importer defines it
     * @return the record, or empty when there is none of that type
     * @param <T> the record's type
     */
    public <T> Optional<T> origin(Class<T> type) {
        return type.isInstance(origin) ? Optional.of(type.cast(origin)) : Optional.empty();
    }

    /**
     * The names of the inputs, in order.
     *
     * @return one name per input
     */
    public List<String> inputNames() {
        return graph.inputs().stream().map(Node::name).toList();
    }

    /**
     * The declared shapes of the inputs (batch usually {@link Shape#UNKNOWN}).
     *
     * @return one shape per input
     */
    public List<Shape> inputShapes() {
        return graph.inputs().stream().map(n -> n.outputShapes().get(0)).toList();
    }

    /**
     * The declared shapes of the outputs.
     *
     * @return one shape per output
     */
    public List<Shape> outputShapes() {
        return graph.outputs().stream().map(graph::shapeOf).toList();
    }

    /**
     * The distinct layers in evaluation order.
     *
     * @return each layer once
     */
    public List<Layer> layers() {
        Set<Layer> seen = new LinkedHashSet<>();
        for (Node n : graph.nodes()) {
            if (!n.isInput()) {
                seen.add(n.layer());
            }
        }
        return new ArrayList<>(seen);
    }

    /**
     * Total number of parameters, each shared layer counted once.
     *
     * @return the parameter count, as Keras's {@code count_params()}
     */
    public long parameterCount() {
        long n = 0;
        for (Layer l : layers()) {
            n += l.parameterCount();
        }
        return n;
    }

    /**
     * Predicts for a model with one input and one output.
     *
     * @param input e.g. {@code [batch, time, features]} for a recurrent model
     * @throws InputMismatchException when the input does not fit the model
     * @return the output
     */
    public Tensor predict(Tensor input) {
        if (graph.outputs().size() != 1) {
            throw new IllegalStateException("the model has " + graph.outputs().size()
                    + " outputs: use predict(List<Tensor>)");
        }
        return graph.run(List.of(input)).get(0);
    }

    /**
     * Predicts for any model.
     *
     * @param inputs one tensor per model input, in {@link #inputNames()} order
     * @return one tensor per output, in order
     * @throws InputMismatchException when the inputs do not fit the model
     */
    public List<Tensor> predict(List<Tensor> inputs) {
        return graph.run(inputs);
    }

    /**
     * Predicts for a model with one input and one output into a tensor the caller supplies and reuses: the
     * serving form that allocates nothing per call once the input shape repeats (see
     * {@link #predictInto(List, List)}).
     *
     * <pre>{@code
     * Tensor y = Tensor.zeros(1, 1);               // once
     * model.predictInto(x, y);                     // every request: y's values overwritten
     * }</pre>
     *
     * @param input  e.g. {@code [batch, time, features]} for a recurrent model
     * @param output shaped as the model's output for this input (e.g. {@code [batch, units]}); overwritten
     * @throws InputMismatchException when the input does not fit the model, or the output has another shape
     */
    public void predictInto(Tensor input, Tensor output) {
        graph.runInto(input, null, output, buffers.get());
    }

    /**
     * Predicts for any model into tensors the caller supplies, with the results of {@link #predict(List)}. Each
     * calling thread keeps buffers for every intermediate tensor, planned for the shapes of its first call and
     * reused while the input shapes stay the same (a new shape plans again). In that steady state a call allocates
     * nothing on the Vector API kernels, for models of the layers a served recurrent model is made of (LSTM, GRU,
     * SimpleRNN read forwards without masks, Dense, TimeDistributed(Dense), Dropout, activations; other layers
     * work and allocate their own results, which are copied). A thread keeps at most {@link Buffers#MAX_FLOATS}
     * floats per model; larger calls and models whose tensors carry masks compute fresh tensors per call and copy
     * the outputs. The scalar kernels (without {@code jdk.incubator.vector}) write into the buffers too but
     * allocate their own scratch.
     *
     * @param inputs  one tensor per model input, in {@link #inputNames()} order
     * @param outputs one tensor per output, in {@link #outputNames()} order, each shaped as that output is for
     *                these inputs ({@code Tensor.zeros(...)} once, then reused); their values are overwritten
     * @throws InputMismatchException when the inputs do not fit the model, or an output has another shape (checked
     *                                before anything is computed)
     */
    public void predictInto(List<Tensor> inputs, List<Tensor> outputs) {
        graph.runInto(inputs, null, outputs, buffers.get());
    }

    /**
     * {@link #predictInto(List, List)} on up to {@code threads} threads, as {@link #predict(List, int)} uses them:
     * a batch of one splits each recurrent step across the threads and still allocates nothing in the steady
     * state; a larger batch is sliced into fresh tensors, then copied into {@code outputs}.
     *
     * @param inputs  one tensor per model input, in {@link #inputNames()} order
     * @param outputs one tensor per output, shaped as that output is for these inputs; overwritten
     * @param threads the most threads to use, at least 1
     * @throws InputMismatchException   when the inputs do not fit the model, or an output has another shape
     * @throws IllegalArgumentException when {@code threads < 1}
     */
    public void predictInto(List<Tensor> inputs, List<Tensor> outputs, int threads) {
        ParallelPredict.predictInto(graph, inputs, outputs, threads, buffers.get());
    }

    /**
     * Predicts for any model with the batch split into {@code min(threads, batch)} contiguous row
     * slices predicted concurrently, the outputs concatenated along axis 0. Results are bit for bit
     * those of {@link #predict(List)}: each row's arithmetic does not depend on its slice.
     *
     * <p>The calling thread computes one slice; the others run on one shared JVM-wide pool of daemon
     * threads, created on first use and grown to the largest request (idle threads exit after a
     * minute). {@code threads == 1} or a model that fixes its batch size (Keras {@code stateful}) take the
     * plain single-thread path. A batch of one row cannot be sliced: instead each time step of its LSTM
     * layers is split by gate columns across up to {@code threads} threads (a team of helper threads that
     * spin briefly between steps, joined by a barrier per step), when a layer is large enough to gain and a
     * team is free; two stacked LSTM layers too small for that split (S2's LSTM(64) → LSTM(64)) run at once
     * instead, one per core, the second taking the first's steps as they come. Results are again bit for bit
     * those of one thread. Off unless asked for: a service that
     * runs one request per core should keep {@code threads == 1}.
     *
     * @param inputs  one tensor per model input, in {@link #inputNames()} order, all with the same batch
     * @param threads the most threads to use, at least 1
     * @return one tensor per output, in order
     * @throws InputMismatchException   when the inputs do not fit the model
     * @throws IllegalArgumentException when {@code threads < 1}
     */
    public List<Tensor> predict(List<Tensor> inputs, int threads) {
        return ParallelPredict.predict(graph, inputs, threads);
    }

    /**
     * The names of the outputs, in order: the layers producing them (Keras's {@code output_names}).
     *
     * @return one name per output
     */
    public List<String> outputNames() {
        return graph.outputs().stream().map(p -> graph.nodes().get(p.node()).name()).toList();
    }

    /**
     * The element type each input expects, in order: {@code int32} for an input read only as indices (by
     * Embedding layers), {@code float32} otherwise. jkeras tensors are float32 either way; indices must hold
     * integers (exact below 2^24).
     *
     * @return {@code int32} or {@code float32} per input
     */
    public List<String> inputDtypes() {
        List<String> out = new ArrayList<>();
        List<Node> nodes = graph.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            if (!nodes.get(i).isInput()) {
                continue;
            }
            boolean read = false;
            boolean indices = true;
            for (Node n : nodes) {
                for (Port p : n.inputs()) {
                    if (p.node() == i) {
                        read = true;
                        indices &= n.layer().readsIndices();
                    }
                }
            }
            out.add(read && indices ? "int32" : "float32");
        }
        return out;
    }

    /**
     * Keras's {@code model.summary()}: a table of the layers (name and class, output shape, parameters, and
     * what each is connected to when the model is not a chain) and the total, trainable and non-trainable
     * parameter counts, one line per row.
     *
     * @return the table, lines separated by {@code \n}
     */
    public String summary() {
        return String.join("\n", Summary.lines(this));
    }

    /**
     * Runs a few predictions on zeros so the JIT compiles the kernels before the first real request (the first
     * SIMD calls run interpreted and can take a second); a service calls this once at start-up. Inputs read as
     * indices get zeros, a valid index.
     *
     * @param batch rows per warm-up call (a stateful model's fixed batch wins)
     * @param steps time steps of rank-3 inputs whose time axis the model leaves free (ignored otherwise)
     * @return the time the last warm-up call took, in nanoseconds
     */
    public long warmUp(int batch, int steps) {
        if (batch < 1 || steps < 1) {
            throw new IllegalArgumentException("warmUp needs batch >= 1 and steps >= 1, got " + batch + " and " + steps);
        }
        List<Tensor> inputs = new ArrayList<>();
        for (Shape s : inputShapes()) {
            int[] dims = s.dims();
            dims[0] = s.dim(0) != Shape.UNKNOWN ? s.dim(0) : batch;
            for (int d = 1; d < dims.length; d++) {
                if (dims[d] == Shape.UNKNOWN) {
                    dims[d] = d == 1 ? steps : 1;
                }
            }
            inputs.add(Tensor.zeros(dims));
        }
        long last = 0;
        for (int i = 0; i < WARM_UP_CALLS; i++) {
            long t0 = System.nanoTime();
            predict(inputs);
            last = System.nanoTime() - t0;
        }
        return last;
    }

    /** Calls {@link #warmUp} makes: enough for C2 to compile the per-step kernels. */
    private static final int WARM_UP_CALLS = 300;

    /** {@code Model[inputs [x (None, 12, 1)], outputs [dense (None, 1)], 2 layers, 101 params, keras_zip]}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Model[inputs [");
        List<String> names = inputNames();
        for (int i = 0; i < names.size(); i++) {
            b.append(i > 0 ? ", " : "").append(names.get(i)).append(' ').append(inputShapes().get(i));
        }
        b.append("], outputs [");
        List<String> outs = outputNames();
        for (int i = 0; i < outs.size(); i++) {
            b.append(i > 0 ? ", " : "").append(outs.get(i)).append(' ').append(outputShapes().get(i));
        }
        b.append("], ").append(layers().size()).append(" layers, ").append(parameterCount()).append(" params");
        String format = metadata.get("format");
        return b.append(format == null ? "" : ", " + format).append(']').toString();
    }

    /**
     * The declared output shape at a port (for summaries).
     *
     * @param port a node's output
     * @return its declared shape
     */
    public Shape shapeOf(Port port) {
        return graph.shapeOf(port);
    }
}
