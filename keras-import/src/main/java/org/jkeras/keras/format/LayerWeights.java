package org.jkeras.keras.format;

import java.util.List;

/**
 * The stored weights of one layer, in the order Keras stores them (which is the order of the
 * layer's {@code weights}, e.g. kernel, recurrent kernel, bias).
 *
 * @param location where they were found (file and group), for error messages
 * @param arrays   the weight arrays, possibly empty
 */
public record LayerWeights(String location, List<WeightArray> arrays) {
    /** Defensive copy. */
    public LayerWeights {
        arrays = List.copyOf(arrays);
    }

    /** Number of arrays. */
    public int size() {
        return arrays.size();
    }

    /** The i-th array. */
    public WeightArray get(int i) {
        return arrays.get(i);
    }
}
