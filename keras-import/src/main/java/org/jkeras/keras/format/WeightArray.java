package org.jkeras.keras.format;

import io.jhdf.api.Dataset;
import java.util.Arrays;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.Limit;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;

/**
 * One stored weight array, not read yet: its shape is known (and can be checked against the
 * config) before any memory is allocated for its values.
 */
public final class WeightArray {
    private final String name;
    private final String location;
    private final int[] shape;
    private final Dataset dataset;
    private final Hdf5Tree tree;

    WeightArray(String name, String location, Dataset dataset, Hdf5Tree tree) {
        this.name = name;
        this.location = location;
        this.dataset = dataset;
        this.tree = tree;
        try {
            this.shape = dataset.isScalar() ? new int[0] : dataset.getDimensions();
        } catch (RuntimeException e) {
            throw new KerasImportException(location + ": cannot read the dataset's shape: " + e.getMessage(), e);
        }
    }

    /**
     * The name Keras gave the weight.
     *
     * @return e.g. {@code lstm/lstm_cell/kernel:0}, {@code vars/0}
     */
    public String name() {
        return name;
    }

    /**
     * File and HDF5 path, for error messages.
     *
     * @return where the array is stored
     */
    public String location() {
        return location;
    }

    /**
     * The stored shape.
     *
     * @return a copy of the dataset's dimensions (empty for a scalar)
     */
    public int[] shape() {
        return shape.clone();
    }

    /**
     * The stored shape formatted Keras-style.
     *
     * @return e.g. {@code (4, 8)}
     */
    public String shapeText() {
        return Shape.format(shape);
    }

    /**
     * True when the stored shape equals {@code expected}.
     *
     * @param expected the shape the config implies
     * @return whether the stored dimensions are exactly those
     */
    public boolean hasShape(int... expected) {
        return Arrays.equals(shape, expected);
    }

    /**
     * Reads the values as float32 (other float types are converted as h5py and Keras convert them; integer and
     * string weights are refused). Call only after checking the shape against the config.
     *
     * @return the values, in the stored shape
     * @throws org.jkeras.keras.LimitExceededException past {@link Limit#MAX_TENSOR_ELEMENTS} or, with the weights
     *                                                 read before, {@link Limit#MAX_WEIGHT_BYTES}
     */
    public Tensor read() {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new KerasImportException(location + ": weight has a negative dimension " + shapeText());
            }
            n *= d;
            tree.limits().check(Limit.MAX_TENSOR_ELEMENTS, n, location + ": weight of shape " + shapeText());
        }
        tree.addWeightBytes(4 * n, location);
        float[] values = Hdf5Data.floats(dataset, (int) n, tree, location);
        return Tensor.wrap(values, shape);
    }

    @Override
    public String toString() {
        return location + " " + shapeText();
    }
}
