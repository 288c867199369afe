package org.jkeras.keras.save;

import java.util.ArrayList;
import java.util.List;

/**
 * One Keras 3 {@code vars} group: the datasets {@code 0..n-1} that one Keras object (a layer, an RNN cell,
 * a wrapped layer) saves, in its variables' order.
 *
 * @param path    the group's path in the weights file, e.g. {@code layers/lstm/cell/vars}
 * @param name    the object's name, written as the group's {@code name} attribute as Keras does
 *                (e.g. {@code lstm_cell}, or the layer's name)
 * @param weights the runtime weight names stored here, in order (e.g. {@code kernel}, {@code recurrent_kernel})
 * @param shapes  their shapes, as imported (a model saved later must keep them)
 */
public record VarGroup(String path, String name, List<String> weights, List<int[]> shapes) {
    /** Copies, so the record stays immutable. */
    public VarGroup {
        weights = List.copyOf(weights);
        List<int[]> copy = new ArrayList<>(shapes.size());
        for (int[] s : shapes) {
            copy.add(s.clone());
        }
        shapes = List.copyOf(copy);
    }

    /**
     * The shape of weight {@code i} (a copy).
     *
     * @param i the weight's index in the group
     * @return its dimensions
     */
    public int[] shape(int i) {
        return shapes.get(i).clone();
    }
}
