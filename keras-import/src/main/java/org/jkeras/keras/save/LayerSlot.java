package org.jkeras.keras.save;

import java.util.List;

/**
 * Where Keras 3 keeps one layer's weights.
 *
 * @param layer     the layer's name (the runtime layer of that name supplies the values)
 * @param kind      the runtime layer's kind, e.g. {@code LSTM}; a model saved later must keep it
 * @param path      the layer's Keras 3 path, e.g. {@code layers/lstm_1} (class name and counter, not the name)
 * @param groups    its {@code vars} groups in the order of the runtime layer's {@code weights()}
 */
public record LayerSlot(String layer, String kind, String path, List<VarGroup> groups) {
    /** Copies. */
    public LayerSlot {
        groups = List.copyOf(groups);
    }

    /**
     * The number of weight arrays over all groups.
     *
     * @return the sum of the groups' weight counts
     */
    public int weightCount() {
        int n = 0;
        for (VarGroup g : groups) {
            n += g.weights().size();
        }
        return n;
    }
}
