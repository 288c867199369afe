package org.jkeras.runtime;

import java.util.Arrays;

/**
 * A dense float32 array with a shape, stored row-major (the last dimension varies fastest),
 * the layout of NumPy and Keras.
 *
 * <p>A tensor made with {@link #of} owns a private copy of its data; {@link #wrap} adopts the
 * caller's array without copying, for code that builds large tensors and hands them over.
 * Tensors returned by a model are fresh and belong to the caller.
 */
public final class Tensor {
    private final float[] data;
    private final int[] shape;

    private Tensor(float[] data, int[] shape) {
        long size = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            size *= d;
        }
        if (size != data.length) {
            throw new IllegalArgumentException("shape " + Shape.format(shape) + " needs " + size
                    + " values but the data has " + data.length);
        }
        this.data = data;
        this.shape = shape;
    }

    /** A tensor holding a copy of {@code data} viewed with {@code shape}. */
    public static Tensor of(float[] data, int... shape) {
        return new Tensor(data.clone(), shape.clone());
    }

    /** A tensor that uses {@code data} itself (no copy): the caller must not change it afterwards. */
    public static Tensor wrap(float[] data, int... shape) {
        return new Tensor(data, shape.clone());
    }

    /** A tensor of zeros. */
    public static Tensor zeros(int... shape) {
        long size = 1;
        for (int d : shape) {
            size *= Math.max(d, 0);
        }
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape " + Shape.format(shape) + " has more than 2^31-1 elements");
        }
        return new Tensor(new float[(int) size], shape.clone());
    }

    /** The dimensions (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    /** Size of dimension {@code i} (negative {@code i} counts from the end). */
    public int dim(int i) {
        return shape[i < 0 ? shape.length + i : i];
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** Number of elements. */
    public int size() {
        return data.length;
    }

    /** The backing array, row-major, not a copy: read it, do not change it. */
    public float[] data() {
        return data;
    }

    /** A copy of the values, row-major. */
    public float[] toFloatArray() {
        return data.clone();
    }

    /** The element at the given indices. */
    public float get(int... index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("tensor of shape " + Shape.format(shape) + " needs "
                    + shape.length + " indices, got " + index.length);
        }
        int flat = 0;
        for (int i = 0; i < shape.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " outside shape "
                        + Shape.format(shape));
            }
            flat = flat * shape[i] + index[i];
        }
        return data[flat];
    }

    /** The same data seen with another shape of equal size (shares the array). */
    public Tensor reshape(int... newShape) {
        return new Tensor(data, newShape.clone());
    }

    @Override
    public String toString() {
        return "Tensor" + Shape.format(shape);
    }
}
