package org.jkeras.keras.graph;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jkeras.runtime.tensor.Shape;

/**
 * The shapes the builders saw while translating a model: each layer's input at its first call and
 * the outputs of every call. A writer needs them to state what Keras 3 configs state (a layer's
 * {@code build_config}, the shape of each tensor a Functional node consumes), which a Keras 2 config
 * does not record. Shapes here keep the batch dimension unknown, as the runtime does.
 */
public final class BuildTrace {
    private final Map<String, Shape> firstInput = new HashMap<>();
    private final Map<String, List<Shape>> firstInputs = new HashMap<>();
    private String keras3Refusal;
    private final Map<String, List<Shape>> outputs = new HashMap<>();
    private final BuildTrace parent; // the enclosing model's trace, for a nested model; else null

    /** An empty trace for a model file. */
    public BuildTrace() {
        this(null);
    }

    private BuildTrace(BuildTrace parent) {
        this.parent = parent;
    }

    /**
     * The trace of a nested model (its layer names are its own, so its shapes are kept apart), passing on to this
     * one why the model computes differently in Keras 3.
     */
    BuildTrace nested() {
        return new BuildTrace(this);
    }

    /** Records call {@code node} of {@code layer}: its input shape and output shapes. */
    void call(String layer, int node, Shape input, List<Shape> out) {
        if (input != null) {
            firstInput.putIfAbsent(layer, input);
        }
        outputs.put(layer + "#" + node, List.copyOf(out));
    }

    /** Records call {@code node} of {@code layer} on several positional inputs (a merge layer's list). */
    void callOn(String layer, int node, List<Shape> inputs, List<Shape> out) {
        firstInputs.putIfAbsent(layer, List.copyOf(inputs));
        call(layer, node, inputs.get(0), out);
    }

    /** Records why the model computes differently in Keras 3, so its config must not be converted (first reason kept). */
    void keras3Differs(String reason) {
        if (parent != null) {
            parent.keras3Differs(reason);
        } else if (keras3Refusal == null) {
            keras3Refusal = reason;
        }
    }

    /**
     * Why converting this (Keras 2) model's config to Keras 3 would change what it computes.
     *
     * @return the first reason recorded, or null
     */
    public String keras3Refusal() {
        return keras3Refusal;
    }

    /** The positional input shapes of the layer's first call (one for most layers), or null when never called. */
    public List<Shape> inputShapes(String layer) {
        List<Shape> all = firstInputs.get(layer);
        return all != null ? all : firstInput.containsKey(layer) ? List.of(firstInput.get(layer)) : null;
    }

    /** The input shape of the layer's first call, or null when it was never called (e.g. an InputLayer). */
    public Shape inputShape(String layer) {
        return firstInput.get(layer);
    }

    /** The output shapes of call {@code node} of {@code layer}, or null when there is no such call. */
    public List<Shape> outputShapes(String layer, int node) {
        return outputs.get(layer + "#" + node);
    }
}
