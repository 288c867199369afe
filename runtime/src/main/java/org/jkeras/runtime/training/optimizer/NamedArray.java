package org.jkeras.runtime.training.optimizer;

import java.util.Arrays;
import org.jkeras.runtime.tensor.Shape;

/**
 * One optimizer variable as Keras stores it (in {@code model.weights.h5} under
 * {@code optimizer/vars/<i>}): a name, a shape, row-major values and a Keras dtype.
 *
 * <p>Every slot is {@code float32}. Keras's {@code iteration} counter is an {@code int64}: it is
 * carried here as a float holding the exact integer (exact up to 2^24 steps; {@link
 * OptimizerState#exportVariables()} refuses to export a larger count rather than round it).
 *
 * @param name  Keras's variable name, e.g. {@code iteration}, {@code dense_kernel_momentum}
 * @param shape dimensions ({@code []} for a scalar); copied
 * @param data  the values, {@code product(shape)} of them; not copied
 * @param dtype {@code "float32"} or {@code "int64"}
 */
public record NamedArray(String name, int[] shape, float[] data, String dtype) {
    /** Validates. */
    public NamedArray {
        shape = shape.clone();
        long size = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("array '" + name + "': negative dimension in " + Arrays.toString(shape));
            }
            size *= d;
        }
        if (size != data.length) {
            throw new IllegalArgumentException("array '" + name + "': shape " + Shape.format(shape) + " needs " + size
                    + " values, got " + data.length);
        }
        if (!"float32".equals(dtype) && !"int64".equals(dtype)) {
            throw new IllegalArgumentException("array '" + name + "': dtype must be float32 or int64, got " + dtype);
        }
    }

    /**
     * A float32 array.
     *
     * @param name Keras's variable name, e.g. {@code dense_kernel_momentum}
     * @param shape dimensions ({@code []} for a scalar); copied
     * @param data the values, {@code product(shape)} of them; not copied
     */
    public NamedArray(String name, int[] shape, float[] data) {
        this(name, shape, data, "float32");
    }

    /**
     * The dimensions (a copy).
     *
     * @return a fresh array of the dimensions
     */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NamedArray a && name.equals(a.name) && Arrays.equals(shape, a.shape)
                && Arrays.equals(data, a.data) && dtype.equals(a.dtype);
    }

    @Override
    public int hashCode() {
        return (name.hashCode() * 31 + Arrays.hashCode(shape)) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return name + Shape.format(shape) + " " + dtype;
    }
}
