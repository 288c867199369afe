package org.jkeras.runtime.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.graph.Graph;
import org.jkeras.runtime.layers.Differentiable;
import org.jkeras.runtime.layers.Layer;
import org.jkeras.runtime.layers.RowGather;
import org.jkeras.runtime.layers.Weight;
import org.jkeras.runtime.training.optimizer.SparseRows;

/**
 * The weights of a model while it trains: a mutable copy of every layer's weights with a gradient
 * accumulator beside each, kept apart from the immutable layers (which are left untouched), and which
 * of them are trainable. A layer applied at several nodes has one entry, so its gradients from every
 * use add up. Each weight is named {@code layer/weight} (e.g. {@code lstm/kernel}, {@code
 * bidirectional/forward/bias}). Not thread-safe: owned by one training loop.
 */
public final class Parameters {
    private final Map<Layer, Entry> entries = new IdentityHashMap<>();
    private final List<Entry> ordered = new ArrayList<>();

    /** One layer's weights, and the row-sparse gradient parts of this step per weight (see {@link RowGather}). */
    private record Entry(Layer layer, String[] names, int[][] shapes, float[][] values, float[][] grads,
                         boolean[] trainable, List<List<SparseRows>> sparse) {
    }

    /**
     * Copies the weights of every layer of {@code model}.
     *
     * @param model the model whose weights are copied; it is not changed
     * @param frozen names of weights ({@code layer/weight}) or whole layers ({@code layer}) that must not change
     * @throws IllegalArgumentException naming the layer when a layer with weights cannot be trained, or when a
     *                                  frozen name matches nothing
     */
    public Parameters(Model model, Set<String> frozen) {
        Set<String> unmatched = new java.util.HashSet<>(frozen);
        for (Layer layer : model.layers()) {
            List<Weight> ws = layer.weights();
            if (!ws.isEmpty() && layer.differentiable().isEmpty()) {
                throw new IllegalArgumentException("layer '" + layer.name() + "' (" + layer.kind()
                        + ") cannot be trained yet: it has no backward pass");
            }
            int n = ws.size();
            List<List<SparseRows>> sparse = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                sparse.add(new ArrayList<>(2));
            }
            Entry e = new Entry(layer, new String[n], new int[n][], new float[n][], new float[n][], new boolean[n],
                    sparse);
            for (int i = 0; i < n; i++) {
                Weight w = ws.get(i);
                e.names[i] = layer.name() + "/" + w.name();
                e.shapes[i] = w.value().shape();
                e.values[i] = w.value().toFloatArray();
                e.grads[i] = new float[e.values[i].length];
                e.trainable[i] = !frozen.contains(layer.name()) && !frozen.contains(e.names[i]);
                unmatched.remove(e.names[i]);
            }
            unmatched.remove(layer.name());
            entries.put(layer, e);
            ordered.add(e);
        }
        if (!unmatched.isEmpty()) {
            throw new IllegalArgumentException("frozen weights or layers " + unmatched + " are not in the model");
        }
    }

    /**
     * The current values of a layer's weights, in {@link Layer#weights()} order (live arrays).
     *
     * @param layer a layer of this model
     * @return one array per weight, row-major; changes to them are what the next forward pass uses
     * @throws IllegalArgumentException if the layer is not part of this model
     */
    public float[][] values(Layer layer) {
        return entry(layer).values;
    }

    /**
     * The gradient accumulators of a layer's weights (live arrays).
     *
     * @param layer a layer of this model
     * @return one array per weight, in {@link Layer#weights()} order, of the same length as its value
     * @throws IllegalArgumentException if the layer is not part of this model
     */
    public float[][] grads(Layer layer) {
        return entry(layer).grads;
    }

    /**
     * True when any weight of the layer is trainable.
     *
     * @param layer a layer of this model
     * @return true if at least one weight of the layer is trainable; false without weights or with all frozen
     * @throws IllegalArgumentException if the layer is not part of this model
     */
    public boolean hasTrainable(Layer layer) {
        for (boolean t : entry(layer).trainable) {
            if (t) {
                return true;
            }
        }
        return false;
    }

    /** Sets every gradient to zero and forgets its row-sparse parts (before a step's backward pass). */
    public void zeroGrads() {
        for (Entry e : ordered) {
            for (float[] g : e.grads) {
                Arrays.fill(g, 0f);
            }
            e.sparse.forEach(List::clear);
        }
    }

    /**
     * Records that this step's gradient of weight {@code weight} of {@code layer} includes these rows (already
     * added to its dense gradient by the layer's backward pass).
     *
     * @param layer a layer of this model
     * @param weight the weight's index in {@link Layer#weights()}
     * @param rows the rows touched (e.g. the Embedding rows a batch looked up) and their gradient values
     */
    public void addSparseRows(Layer layer, int weight, SparseRows rows) {
        entry(layer).sparse.get(weight).add(rows);
    }

    /**
     * The row-sparse form of a trainable weight's gradient this step, when every part of it came as rows;
     * null when it is dense (no rows, or a dense contribution {@code denseToo} such as a regularizer's).
     */
    SparseRows sparseRows(Trainable t, boolean denseToo) {
        for (Entry e : ordered) {
            for (int i = 0; i < e.names.length; i++) {
                if (e.grads[i] == t.grad()) {
                    List<SparseRows> parts = e.sparse.get(i);
                    if (parts.isEmpty() || denseToo) {
                        return null;
                    }
                    if (parts.size() == 1) {
                        return parts.get(0);
                    }
                    int n = parts.stream().mapToInt(p -> p.rows().length).sum();
                    int width = parts.get(0).width();
                    int[] rows = new int[n];
                    float[] values = new float[Math.multiplyExact(n, width)];
                    int k = 0;
                    for (SparseRows p : parts) { // TensorFlow concatenates the IndexedSlices of several uses
                        System.arraycopy(p.rows(), 0, rows, k, p.rows().length);
                        System.arraycopy(p.values(), 0, values, k * width, p.values().length);
                        k += p.rows().length;
                    }
                    return new SparseRows(width, rows, values);
                }
            }
        }
        return null;
    }

    /**
     * Every weight, trainable or not, in layer order: name to shape.
     *
     * @return a new insertion-ordered map from {@code layer/weight} to a copy of its dimensions
     */
    public Map<String, int[]> shapes() {
        Map<String, int[]> m = new LinkedHashMap<>();
        for (Entry e : ordered) {
            for (int i = 0; i < e.names.length; i++) {
                m.put(e.names[i], e.shapes[i].clone());
            }
        }
        return m;
    }

    /**
     * The trainable weights, in layer order: what an optimizer updates.
     *
     * @return a new list; each entry's value and gradient arrays are the live ones
     */
    public List<Trainable> trainable() {
        List<Trainable> list = new ArrayList<>();
        for (Entry e : ordered) {
            for (int i = 0; i < e.names.length; i++) {
                if (e.trainable[i]) {
                    list.add(new Trainable(e.names[i], e.shapes[i].clone(), e.values[i], e.grads[i]));
                }
            }
        }
        return list;
    }

    /**
     * The value of one weight (a copy).
     *
     * @param name the weight's name, {@code layer/weight}
     * @return a new tensor of the weight's shape with its current values
     * @throws IllegalArgumentException if the model has no weight of that name
     */
    public Tensor value(String name) {
        for (Entry e : ordered) {
            for (int i = 0; i < e.names.length; i++) {
                if (e.names[i].equals(name)) {
                    return Tensor.of(e.values[i], e.shapes[i]);
                }
            }
        }
        throw new IllegalArgumentException("no weight '" + name + "' in the model (weights: " + shapes().keySet() + ")");
    }

    /**
     * Overwrites every weight with the values of {@code other} (same model): restoring a checkpoint.
     *
     * @param other parameters of the same model (same layers and weight shapes)
     */
    public void copyFrom(Parameters other) {
        for (int k = 0; k < ordered.size(); k++) {
            Entry to = ordered.get(k);
            Entry from = other.ordered.get(k);
            for (int i = 0; i < to.values.length; i++) {
                System.arraycopy(from.values[i], 0, to.values[i], 0, to.values[i].length);
            }
        }
    }

    /**
     * An immutable model with the current weights: the same graph with each layer rebuilt by
     * {@link Differentiable#withWeights} (and so repacked for the SIMD kernels); the source model's
     * metadata and origin carry over. The source model is not changed.
     *
     * @param source the model these parameters were copied from
     * @return a new model over the current weights
     */
    public Model snapshot(Model source) {
        Graph graph = source.graph().mapLayers(layer -> {
            Entry e = entry(layer);
            if (e.values.length == 0) {
                return layer;
            }
            List<Tensor> ws = new ArrayList<>(e.values.length);
            for (int i = 0; i < e.values.length; i++) {
                ws.add(Tensor.of(e.values[i], e.shapes[i]));
            }
            return layer.differentiable().orElseThrow().withWeights(ws);
        });
        return source.withGraph(graph);
    }

    private Entry entry(Layer layer) {
        Entry e = entries.get(layer);
        if (e == null) {
            throw new IllegalArgumentException("layer '" + layer.name() + "' is not part of this model");
        }
        return e;
    }

    /**
     * One trainable weight: its name, shape, live value and live gradient.
     *
     * @param name  {@code layer/weight}
     * @param shape its dimensions
     * @param value the values the next forward pass uses (updated in place by the optimizer)
     * @param grad  the gradient the last backward pass accumulated
     */
    public record Trainable(String name, int[] shape, float[] value, float[] grad) {
    }
}
