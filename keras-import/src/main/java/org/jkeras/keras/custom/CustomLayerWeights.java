package org.jkeras.keras.custom;

import org.jkeras.keras.KerasImportException;
import org.jkeras.runtime.tensor.Tensor;

/** One custom layer's weight arrays, read only after their shapes are checked against what the layer expects. */
public interface CustomLayerWeights {
    /**
     * How many weight arrays the layer has.
     *
     * @return the count
     */
    int size();

    /**
     * Requires exactly {@code count} arrays.
     *
     * @param count the arrays the layer creates
     * @param roles their names, for the message ({@code "kernel, bias"})
     * @throws KerasImportException if the file holds another number
     */
    void requireCount(int count, String roles);

    /**
     * Reads one array after checking its shape.
     *
     * @param index         the array's position in {@code add_weight} order
     * @param role          its name, for messages
     * @param expectedShape the shape the layer needs
     * @return the values
     * @throws KerasImportException if the array is missing or has another shape
     */
    Tensor read(int index, String role, int... expectedShape);
}
