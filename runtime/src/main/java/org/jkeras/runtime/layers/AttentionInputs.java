package org.jkeras.runtime.layers;

import java.util.List;
import org.jkeras.runtime.tensor.Shape;

/** The input checks Attention, AdditiveAttention and MultiHeadAttention share: query, value and optional key. */
final class AttentionInputs {
    private AttentionInputs() {
    }

    /**
     * Requires [query, value] or [query, value, key], each [batch, steps, features].
     *
     * @param who the layer, as error messages name it
     * @param in  the input shapes
     */
    static void requireQueryValueKey(String who, List<Shape> in) {
        if (in.size() < 2 || in.size() > 3) {
            throw new IllegalArgumentException(who + " takes [query, value] or [query, value, key], got " + in.size()
                    + " inputs");
        }
        for (Shape s : in) {
            if (s.rank() != 3) {
                throw new IllegalArgumentException(who + " takes inputs [batch, steps, features], got " + in);
            }
        }
    }
}
