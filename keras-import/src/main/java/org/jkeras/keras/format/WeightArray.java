package org.jkeras.keras.format;

import io.jhdf.api.Dataset;
import java.util.Arrays;
import org.jkeras.keras.KerasImportException;
import org.jkeras.runtime.Shape;
import org.jkeras.runtime.Tensor;

/**
 * One stored weight array, not read yet: its shape is known (and can be checked against the
 * config) before any memory is allocated for its values.
 */
public final class WeightArray {
    /** The largest weight array read, in elements (a Java array limit, with room to spare). */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 64;

    private final String name;
    private final String location;
    private final int[] shape;
    private final Dataset dataset;

    WeightArray(String name, String location, Dataset dataset) {
        this.name = name;
        this.location = location;
        this.dataset = dataset;
        try {
            this.shape = dataset.getDimensions();
        } catch (RuntimeException e) {
            throw new KerasImportException(location + ": cannot read the dataset's shape: " + e.getMessage(), e);
        }
    }

    /** The name Keras gave the weight (e.g. {@code lstm/lstm_cell/kernel:0}, {@code vars/0}). */
    public String name() {
        return name;
    }

    /** File and HDF5 path, for error messages. */
    public String location() {
        return location;
    }

    /** The stored shape (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    /** The stored shape formatted Keras-style. */
    public String shapeText() {
        return Shape.format(shape);
    }

    /** True when the stored shape equals {@code expected}. */
    public boolean hasShape(int... expected) {
        return Arrays.equals(shape, expected);
    }

    /**
     * Reads the values as float32 (float64 data is cast, as Keras casts to the variable's dtype).
     * Call only after checking the shape against the config.
     */
    public Tensor read() {
        long n = 1;
        for (int d : shape) {
            n *= d;
            if (n > MAX_ELEMENTS) {
                throw new KerasImportException(location + ": weight of shape " + shapeText() + " is too large");
            }
        }
        Object data;
        try {
            data = dataset.getDataFlat();
        } catch (RuntimeException e) {
            throw new KerasImportException(location + ": cannot read the weight values (truncated or corrupt file?): "
                    + e.getMessage(), e);
        }
        float[] values;
        if (data instanceof float[] f) {
            values = f;
        } else if (data instanceof double[] d) {
            values = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                values[i] = (float) d[i];
            }
        } else {
            throw new KerasImportException(location + ": weight has unsupported element type "
                    + (data == null ? "none" : data.getClass().getSimpleName()) + ", expected float32");
        }
        if (values.length != n) {
            throw new KerasImportException(location + ": weight holds " + values.length + " values, its shape "
                    + shapeText() + " needs " + n);
        }
        return Tensor.wrap(values, shape);
    }

    @Override
    public String toString() {
        return location + " " + shapeText();
    }
}
