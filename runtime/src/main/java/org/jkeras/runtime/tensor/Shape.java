package org.jkeras.runtime.tensor;

import java.util.Arrays;

/**
 * The shape of a tensor as a model declares it: a list of dimensions where {@link #UNKNOWN}
 * stands for a size fixed only at call time (usually the batch, sometimes the time axis).
 * Immutable.
 */
public final class Shape {
    /** Marker for a dimension whose size is not fixed by the model. */
    public static final int UNKNOWN = -1;

    private final int[] dims;

    private Shape(int[] dims) {
        for (int d : dims) {
            if (d < UNKNOWN) {
                throw new IllegalArgumentException("dimension must be >= 0 or UNKNOWN, got " + Arrays.toString(dims));
            }
        }
        this.dims = dims;
    }

    /**
     * A shape from its dimensions; use {@link #UNKNOWN} for free ones.
     *
     * @param dims the dimensions, batch first
     * @return the shape
     */
    public static Shape of(int... dims) {
        return new Shape(dims.clone());
    }

    /**
     * Number of dimensions.
     *
     * @return the number of dimensions
     */
    public int rank() {
        return dims.length;
    }

    /**
     * Size of dimension {@code i} (negative {@code i} counts from the end), or {@link #UNKNOWN}.
     *
     * @param i the axis; {@code -1} is the last
     * @return its size
     */
    public int dim(int i) {
        return dims[i < 0 ? dims.length + i : i];
    }

    /**
     * A copy of the dimensions.
     *
     * @return a fresh array
     */
    public int[] dims() {
        return dims.clone();
    }

    /**
     * True when every dimension is known.
     *
     * @return whether no dimension is {@link #UNKNOWN}
     */
    public boolean isFullyKnown() {
        for (int d : dims) {
            if (d == UNKNOWN) {
                return false;
            }
        }
        return true;
    }

    /**
     * This shape with dimension {@code i} replaced.
     *
     * @param i the axis
     * @param size its new size, or {@link #UNKNOWN}
     * @return the new shape
     */
    public Shape with(int i, int size) {
        int[] copy = dims.clone();
        copy[i < 0 ? dims.length + i : i] = size;
        return new Shape(copy);
    }

    /**
     * True when {@code concrete} has the same rank and agrees on every known dimension.
     *
     * @param concrete the dimensions of an actual tensor
     * @return whether a tensor of those dimensions fits
     */
    public boolean accepts(int[] concrete) {
        if (concrete.length != dims.length) {
            return false;
        }
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] != UNKNOWN && dims[i] != concrete[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Product of the dimensions from {@code from} to the end, or {@link #UNKNOWN} if any is unknown.
     *
     * @param from the first axis of the product
     * @return the product
     */
    public int product(int from) {
        long p = 1;
        for (int i = from; i < dims.length; i++) {
            if (dims[i] == UNKNOWN) {
                return UNKNOWN;
            }
            p *= dims[i];
            if (p > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + this + " has more than 2^31-1 elements");
            }
        }
        return (int) p;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** Keras style: {@code (None, 10, 4)}. */
    @Override
    public String toString() {
        return format(dims);
    }

    /**
     * Formats concrete or declared dimensions Keras-style, {@code UNKNOWN} as {@code None}.
     *
     * @param dims the dimensions
     * @return e.g. {@code (None, 10, 4)}
     */
    public static String format(int[] dims) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(dims[i] == UNKNOWN ? "None" : Integer.toString(dims[i]));
        }
        return sb.append(dims.length == 1 ? ",)" : ")").toString();
    }
}
