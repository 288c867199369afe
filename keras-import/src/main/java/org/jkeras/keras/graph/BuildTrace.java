package org.jkeras.keras.graph;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jkeras.runtime.Shape;

/**
 * The shapes the builders saw while translating a model: each layer's input at its first call and
 * the outputs of every call. A writer needs them to state what Keras 3 configs state (a layer's
 * {@code build_config}, the shape of each tensor a Functional node consumes), which a Keras 2 config
 * does not record. Shapes here keep the batch dimension unknown, as the runtime does.
 */
public final class BuildTrace {
    private final Map<String, Shape> firstInput = new HashMap<>();
    private final Map<String, List<Shape>> firstInputs = new HashMap<>();
    private final Map<String, List<Shape>> outputs = new HashMap<>();

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
