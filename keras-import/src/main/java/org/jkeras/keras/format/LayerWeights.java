package org.jkeras.keras.format;

import java.util.List;
import org.jkeras.keras.KerasImportException;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;

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

    /**
     * Number of arrays.
     *
     * @return how many arrays the file stores for the layer
     */
    public int size() {
        return arrays.size();
    }

    /**
     * The i-th array.
     *
     * @param i its index in storage order
     * @return the array, not yet read
     */
    public WeightArray get(int i) {
        return arrays.get(i);
    }

    /**
     * Fails unless exactly {@code count} arrays are stored.
     *
     * @param count the number of arrays the layer's config calls for
     * @param roles what they are, for the message, e.g. {@code "kernel, bias"}
     */
    public void requireCount(int count, String roles) {
        if (size() != count) {
            throw new KerasImportException(location + ": " + (size() == 0 ? "no stored weights" : size()
                    + " stored weight arrays") + ", expected " + count + " (" + roles + ")");
        }
    }

    /**
     * Reads the i-th array after checking its shape (and, with the weights read before, the load's limits).
     *
     * @param index         its index in storage order
     * @param role          what it is, for messages, e.g. {@code "kernel"}
     * @param expectedShape the shape the layer's config implies
     * @return its values as float32
     * @throws KerasImportException when it is missing or has another shape
     */
    public Tensor read(int index, String role, int... expectedShape) {
        if (index < 0 || index >= size()) {
            throw new KerasImportException(location + ": no stored weight #" + index + " ('" + role + "'); "
                    + size() + " are stored");
        }
        WeightArray a = get(index);
        if (!a.hasShape(expectedShape)) {
            throw new KerasImportException(a.location() + ": weight '" + role + "' has shape " + a.shapeText()
                    + ", expected " + Shape.format(expectedShape));
        }
        return a.read();
    }
}
