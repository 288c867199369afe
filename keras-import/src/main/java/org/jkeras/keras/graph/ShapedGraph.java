package org.jkeras.keras.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.graph.Graph;
import org.jkeras.runtime.graph.Port;
import org.jkeras.runtime.layers.Layer;

/** A graph builder that remembers the declared shape at every port (translators need input shapes). */
final class ShapedGraph {
    private final Graph.Builder builder = Graph.builder();
    private final Map<Port, Shape> shapes = new HashMap<>();

    Port input(String name, Shape shape) {
        Port p = builder.input(name, shape);
        shapes.put(p, shape);
        return p;
    }

    /** Applies a single-input layer; returns its outputs (two for a Bidirectional with merge_mode None). */
    List<Port> apply(Layer layer, Port input) {
        return apply(layer, List.of(input));
    }

    /** Applies a layer to several inputs (a merge; a recurrent layer's sequence and initial states). */
    List<Port> apply(Layer layer, List<Port> inputs) {
        List<Shape> in = new ArrayList<>(inputs.size());
        for (Port p : inputs) {
            in.add(shapes.get(p));
        }
        List<Shape> out = layer.outputShapes(in);
        List<Port> ports = new ArrayList<>(builder.apply(layer, inputs));
        for (int i = 0; i < ports.size(); i++) {
            shapes.put(ports.get(i), out.get(i));
        }
        return ports;
    }

    /** True when a mask travels with the tensor at {@code p}. */
    boolean masked(Port p) {
        return builder.masked(p);
    }

    Shape shapeOf(Port p) {
        return shapes.get(p);
    }

    Graph build(List<Port> outputs) {
        return builder.build(outputs);
    }
}
