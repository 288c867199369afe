package org.jkeras.keras.graph;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jkeras.runtime.Shape;
import org.jkeras.runtime.graph.Graph;
import org.jkeras.runtime.graph.Port;
import org.jkeras.runtime.layers.SingleInputLayer;

/** A graph builder that remembers the declared shape at every port (translators need input shapes). */
final class ShapedGraph {
    private final Graph.Builder builder = Graph.builder();
    private final Map<Port, Shape> shapes = new HashMap<>();

    Port input(String name, Shape shape) {
        Port p = builder.input(name, shape);
        shapes.put(p, shape);
        return p;
    }

    Port apply(SingleInputLayer layer, Port input) {
        Shape out = layer.outputShape(shapes.get(input));
        Port p = builder.apply(layer, input);
        shapes.put(p, out);
        return p;
    }

    Shape shapeOf(Port p) {
        return shapes.get(p);
    }

    Graph build(List<Port> outputs) {
        return builder.build(outputs);
    }
}
