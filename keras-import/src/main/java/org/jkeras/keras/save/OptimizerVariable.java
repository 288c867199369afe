package org.jkeras.keras.save;

import java.util.Arrays;
import org.jkeras.runtime.tensor.Shape;

/**
 * One variable of a Keras optimizer, as {@code optimizer/vars/<i>} stores it. Keras 3 keeps the step
 * counter {@code iteration} as an int64 scalar and everything else (learning rate, slots such as Adam's
 * momentum and velocity) as float32, so a variable holds either {@code float32} or {@code int64} values.
 * The file stores only positions, not names: {@link #name()} is a label for messages.
 *
 * @param name   a label, e.g. {@code iteration} or {@code optimizer/vars/3}
 * @param dtype  {@code float32} or {@code int64}
 * @param shape  the shape ({@code []} for a scalar)
 * @param floats the values when float32 (row-major), else null
 * @param longs  the values when int64 (row-major), else null
 */
public record OptimizerVariable(String name, String dtype, int[] shape, float[] floats, long[] longs) {
    /** Checks that the values match the dtype and shape; copies the arrays. */
    public OptimizerVariable {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("an optimizer variable needs a name");
        }
        if (!"float32".equals(dtype) && !"int64".equals(dtype)) {
            throw new IllegalArgumentException("optimizer variable '" + name + "': dtype " + dtype
                    + " is not float32 or int64");
        }
        shape = shape.clone();
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("optimizer variable '" + name + "': negative dimension in "
                        + Shape.format(shape));
            }
            n *= d;
        }
        boolean isFloat = "float32".equals(dtype);
        if ((isFloat ? floats : longs) == null || (isFloat ? longs : floats) != null) {
            throw new IllegalArgumentException("optimizer variable '" + name + "': a " + dtype
                    + " variable holds exactly its " + (isFloat ? "float" : "long") + " values");
        }
        int have = isFloat ? floats.length : longs.length;
        if (have != n) {
            throw new IllegalArgumentException("optimizer variable '" + name + "': " + have + " values for shape "
                    + Shape.format(shape) + ", which needs " + n);
        }
        floats = floats == null ? null : floats.clone();
        longs = longs == null ? null : longs.clone();
    }

    /**
     * A float32 variable (a scalar when {@code shape} is empty).
     *
     * @param name   a label, e.g. {@code optimizer/vars/3}
     * @param values its values, row-major (copied)
     * @param shape  its shape
     * @return the variable
     * @throws IllegalArgumentException when the values do not fill the shape
     */
    public static OptimizerVariable float32(String name, float[] values, int... shape) {
        return new OptimizerVariable(name, "float32", shape, values, null);
    }

    /**
     * An int64 variable, e.g. Keras's {@code iteration} counter: {@code int64("iteration", new long[] {10})}.
     *
     * @param name   a label, e.g. {@code iteration}
     * @param values its values, row-major (copied)
     * @param shape  its shape (none for a scalar)
     * @return the variable
     * @throws IllegalArgumentException when the values do not fill the shape
     */
    public static OptimizerVariable int64(String name, long[] values, int... shape) {
        return new OptimizerVariable(name, "int64", shape, null, values);
    }

    /**
     * The shape (a copy).
     *
     * @return the dimensions, empty for a scalar
     */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /**
     * The float32 values (a copy), or null for an int64 variable.
     *
     * @return the values, row-major, or null
     */
    @Override
    public float[] floats() {
        return floats == null ? null : floats.clone();
    }

    /**
     * The int64 values (a copy), or null for a float32 variable.
     *
     * @return the values, row-major, or null
     */
    @Override
    public long[] longs() {
        return longs == null ? null : longs.clone();
    }

    /**
     * The number of elements.
     *
     * @return the product of the shape (1 for a scalar)
     */
    public int size() {
        return floats != null ? floats.length : longs.length;
    }

    /** Equal names, dtypes, shapes and values. */
    @Override
    public boolean equals(Object o) {
        return o instanceof OptimizerVariable v && name.equals(v.name) && dtype.equals(v.dtype)
                && Arrays.equals(shape, v.shape) && Arrays.equals(floats, v.floats) && Arrays.equals(longs, v.longs);
    }

    /** A hash of the name and shape (consistent with {@link #equals}). */
    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    /** {@code name dtype(shape)}, for messages. */
    @Override
    public String toString() {
        return name + " " + dtype + Shape.format(shape);
    }
}
