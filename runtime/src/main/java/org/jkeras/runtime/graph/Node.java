package org.jkeras.runtime.graph;

import java.util.List;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.layers.Layer;

/**
 * A node of a {@link Graph}: a model input (no layer) or one application of a layer to the
 * outputs of earlier nodes. A layer may be applied at several nodes (shared weights).
 *
 * @param name         the input's name, or the layer's name
 * @param layer        the layer, or null for a model input
 * @param inputs       where the layer's inputs come from (empty for a model input)
 * @param outputShapes declared shapes of this node's outputs
 */
public record Node(String name, Layer layer, List<Port> inputs, List<Shape> outputShapes) {
    /**
     * True for a model input.
     *
     * @return true when the node has no layer
     */
    public boolean isInput() {
        return layer == null;
    }
}
