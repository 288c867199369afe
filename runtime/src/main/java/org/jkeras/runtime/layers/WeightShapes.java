package org.jkeras.runtime.layers;

import org.jkeras.runtime.Shape;
import org.jkeras.runtime.Tensor;

/** The weight-shape check every layer constructor makes, with one error wording. */
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
}
