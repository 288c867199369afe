package org.jkeras.keras.translate;

import org.jkeras.keras.format.LayerWeights;
import org.jkeras.keras.format.WeightArray;
import org.jkeras.keras.Limit;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;

/** Checks stored weights against what the config implies, then reads them. */
final class Weights {
    private Weights() {
    }

    /** Fails unless the layer has exactly {@code count} stored arrays. */
    static void requireCount(LayerSpec spec, TranslationContext ctx, LayerWeights w, int count, String roles) {
        if (w.size() != count) {
            throw ctx.error(spec, (w.size() == 0 ? "missing weights" : "has " + w.size() + " stored weight arrays")
                    + ": expected " + count + " (" + roles + ") at " + w.location()
                    + (w.size() == 0 ? "" : ", found " + w.arrays()));
        }
    }

    /** Reads the array after checking its shape equals {@code expected}. */
    static Tensor read(LayerSpec spec, TranslationContext ctx, WeightArray a, String role, int... expected) {
        long n = 1;
        for (int d : expected) {
            n *= d;
            ctx.limits().check(Limit.MAX_TENSOR_ELEMENTS, n, ctx.fileName() + ": " + spec.describe() + ": weight '"
                    + role + "' of shape " + Shape.format(expected));
        }
        if (!a.hasShape(expected)) {
            throw ctx.error(spec, "weight '" + role + "' (" + a.location() + ") has shape " + a.shapeText()
                    + ", expected " + Shape.format(expected));
        }
        return a.read();
    }
}
