package org.jkeras.runtime.layers;

import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;

/** The weight checks every layer constructor and {@code withWeights} makes, with one error wording. */
final class WeightShapes {
    private WeightShapes() {
    }

    /** Throws naming the layer and weight unless {@code t} has the expected shape. */
    static void require(String layer, String weight, Tensor t, int... expected) {
        if (!Shape.of(expected).accepts(t.shape())) {
            throw new IllegalArgumentException("layer '" + layer + "': weight '" + weight + "' has shape "
                    + Shape.format(t.shape()) + ", expected " + Shape.format(expected));
        }
    }

    /** Throws naming the layer unless {@code weights} has {@code count} entries. */
    static void requireCount(Layer layer, java.util.List<?> weights, int count) {
        if (weights.size() != count) {
            throw new IllegalArgumentException("layer '" + layer.name() + "' (" + layer.kind() + ") has " + count
                    + " weights, got " + weights.size());
        }
    }
}
