package org.jkeras.runtime.tensor;

import java.util.Arrays;

/**
 * A boolean mask Keras attaches to a tensor ({@code compute_mask}): usually {@code [batch, time]}, true for the
 * time steps that hold data and false for padding. Layers that consume a mask (recurrent layers) skip the false
 * steps; layers that pass it on hand it to the next layer. Immutable.
 */
public final class Mask {
    private final boolean[] values;
    private final int[] shape;

    private Mask(boolean[] values, int[] shape) {
        long size = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in mask shape " + Arrays.toString(shape));
            }
            size *= d;
        }
        if (size != values.length) {
            throw new IllegalArgumentException("mask shape " + Shape.format(shape) + " needs " + size
                    + " values, got " + values.length);
        }
        this.values = values;
        this.shape = shape;
    }

    /**
     * A mask holding a copy of {@code values} viewed with {@code shape} (row-major).
     *
     * @param values the mask values, row-major; copied, so later changes to the array do not show
     * @param shape the dimensions, usually {@code [batch, time]}; their product must equal {@code values.length}
     * @return the new mask
     * @throws IllegalArgumentException if a dimension is negative or the shape does not match the values' length
     */
    public static Mask of(boolean[] values, int... shape) {
        return new Mask(values.clone(), shape.clone());
    }

    /**
     * A mask that adopts {@code values} (no copy): the caller must not change it afterwards.
     *
     * @param values the mask values, row-major; kept by reference, not copied
     * @param shape the dimensions, usually {@code [batch, time]}; their product must equal {@code values.length}
     * @return the new mask, backed by {@code values}
     * @throws IllegalArgumentException if a dimension is negative or the shape does not match the values' length
     */
    public static Mask wrap(boolean[] values, int... shape) {
        return new Mask(values, shape.clone());
    }

    /**
     * The shape, e.g. {@code [batch, time]} (a copy).
     *
     * @return a fresh array of the dimensions
     */
    public int[] shape() {
        return shape.clone();
    }

    /**
     * The size of dimension {@code i}.
     *
     * @param i the axis, {@code 0 <= i < rank()}
     * @return the number of entries along axis {@code i}
     */
    public int dim(int i) {
        return shape[i];
    }

    /**
     * The number of dimensions.
     *
     * @return the rank, usually 2 ({@code [batch, time]})
     */
    public int rank() {
        return shape.length;
    }

    /**
     * The value at a row-major flat index.
     *
     * @param flat the row-major index, {@code 0 <= flat <} the product of the dimensions
     * @return true if that entry holds data, false if it is padding
     */
    public boolean at(int flat) {
        return values[flat];
    }

    /**
     * The value at {@code [b, t]} of a rank-2 mask.
     *
     * @param b the batch row, {@code 0 <= b < dim(0)}
     * @param t the time step, {@code 0 <= t < dim(1)}
     * @return true if step {@code t} of row {@code b} holds data, false if it is padding
     */
    public boolean get(int b, int t) {
        return values[b * shape[1] + t];
    }

    /**
     * A copy of the values, row-major.
     *
     * @return a fresh array of the values, row-major
     */
    public boolean[] toArray() {
        return values.clone();
    }

    /**
     * True when every value is true (nothing is masked).
     *
     * @return true if no entry is masked out (also for an empty mask)
     */
    public boolean allTrue() {
        for (boolean v : values) {
            if (!v) {
                return false;
            }
        }
        return true;
    }

    /**
     * This mask with the last axis of a rank-2 mask reversed (time read last to first).
     *
     * @return a new mask of the same shape with each row's steps in reverse order; this one is unchanged
     */
    public Mask reversedTime() {
        int rows = shape[0];
        int steps = shape[1];
        boolean[] out = new boolean[values.length];
        for (int b = 0; b < rows; b++) {
            for (int t = 0; t < steps; t++) {
                out[b * steps + t] = values[b * steps + steps - 1 - t];
            }
        }
        return new Mask(out, shape.clone());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mask m && Arrays.equals(shape, m.shape) && Arrays.equals(values, m.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(values);
    }

    /** {@code Mask(4, 12)}, with the values for small masks. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Mask").append(Shape.format(shape));
        if (values.length <= 64) {
            b.append(' ');
            for (boolean v : values) {
                b.append(v ? '1' : '0');
            }
        }
        return b.toString();
    }
}
