package org.jkeras.runtime.tensor;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;

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
        given(data, "data");
        given(shape, "shape");
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

    /** {@code value}, or an error naming the argument that was null (rather than a bare NullPointerException). */
    private static <T> T given(T value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        return value;
    }

    /**
     * A tensor holding a copy of {@code data} viewed with {@code shape}.
     *
     * @param data the values, row-major (copied)
     * @param shape the dimensions; their product must equal {@code data.length}
     * @return the new tensor
     */
    public static Tensor of(float[] data, int... shape) {
        return new Tensor(given(data, "data").clone(), given(shape, "shape").clone());
    }

    /**
     * A tensor that uses {@code data} itself (no copy): the caller must not change it afterwards.
     *
     * @param data the values, row-major (adopted, not copied)
     * @param shape the dimensions; their product must equal {@code data.length}
     * @return the new tensor
     */
    public static Tensor wrap(float[] data, int... shape) {
        return new Tensor(data, given(shape, "shape").clone());
    }

    /**
     * A [rows, columns] tensor from a rectangular array (copied).
     *
     * @throws IllegalArgumentException when the rows differ in length
     * @param rows the rows, all of one length
     * @return a {@code [rows.length, columns]} tensor
     */
    public static Tensor of(float[][] rows) {
        given(rows, "rows");
        for (int r = 0; r < rows.length; r++) {
            given(rows[r], "row " + r);
        }
        int cols = rows.length == 0 ? 0 : rows[0].length;
        float[] data = new float[Math.multiplyExact(rows.length, cols)];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != cols) {
                throw new IllegalArgumentException("row " + r + " has " + rows[r].length + " values, row 0 has " + cols);
            }
            System.arraycopy(rows[r], 0, data, r * cols, cols);
        }
        return new Tensor(data, new int[] {rows.length, cols});
    }

    /**
     * A [batch, time, features] tensor from a rectangular array (copied), e.g. a batch of sequences.
     *
     * @throws IllegalArgumentException when the sequences differ in length or the steps in width
     * @param sequences {@code [batch][time][features]} values, rectangular
     * @return a {@code [batch, time, features]} tensor
     */
    public static Tensor of(float[][][] sequences) {
        given(sequences, "sequences");
        for (int b = 0; b < sequences.length; b++) {
            given(sequences[b], "sequence " + b);
            for (int t = 0; t < sequences[b].length; t++) {
                given(sequences[b][t], "sequence " + b + " step " + t);
            }
        }
        int steps = sequences.length == 0 ? 0 : sequences[0].length;
        int width = steps == 0 ? 0 : sequences[0][0].length;
        float[] data = new float[Math.multiplyExact(Math.multiplyExact(sequences.length, steps), width)];
        for (int b = 0; b < sequences.length; b++) {
            if (sequences[b].length != steps) {
                throw new IllegalArgumentException("sequence " + b + " has " + sequences[b].length + " steps, sequence 0"
                        + " has " + steps);
            }
            for (int t = 0; t < steps; t++) {
                if (sequences[b][t].length != width) {
                    throw new IllegalArgumentException("sequence " + b + " step " + t + " has " + sequences[b][t].length
                            + " values, expected " + width);
                }
                System.arraycopy(sequences[b][t], 0, data, (b * steps + t) * width, width);
            }
        }
        return new Tensor(data, new int[] {sequences.length, steps, width});
    }

    /**
     * A tensor from double values, each rounded to the nearest float32.
     *
     * @param data the values, row-major
     * @param shape the dimensions; their product must equal {@code data.length}
     * @return the new tensor
     */
    public static Tensor of(double[] data, int... shape) {
        given(data, "data");
        given(shape, "shape");
        float[] f = new float[data.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) data[i];
        }
        return new Tensor(f, shape.clone());
    }

    /**
     * A tensor from the remaining values of {@code buffer} (consumed), e.g. a direct buffer shared with native code.
     *
     * @param buffer the values from its position to its limit, row-major
     * @param shape the dimensions; their product must equal the values remaining
     * @return the new tensor
     */
    public static Tensor of(FloatBuffer buffer, int... shape) {
        given(buffer, "buffer");
        given(shape, "shape");
        float[] f = new float[buffer.remaining()];
        buffer.get(f);
        return new Tensor(f, shape.clone());
    }

    /**
     * Several tensors of one shape stacked along a new axis 0: {@code n} tensors {@code [d1, ...]} become
     * {@code [n, d1, ...]}, e.g. single sequences {@code [time, features]} into a batch.
     *
     * @throws IllegalArgumentException when the list is empty or the shapes differ
     * @param items tensors of one shape
     * @return a tensor with a new leading axis of {@code items.size()}
     */
    public static Tensor stack(List<Tensor> items) {
        if (items.isEmpty()) {
            throw new IllegalArgumentException("nothing to stack");
        }
        int[] one = items.get(0).shape;
        int size = items.get(0).data.length;
        float[] data = new float[Math.multiplyExact(items.size(), size)];
        for (int i = 0; i < items.size(); i++) {
            Tensor t = items.get(i);
            if (!Arrays.equals(t.shape, one)) {
                throw new IllegalArgumentException("tensor " + i + " has shape " + Shape.format(t.shape)
                        + ", tensor 0 has " + Shape.format(one));
            }
            System.arraycopy(t.data, 0, data, i * size, size);
        }
        int[] shape = new int[one.length + 1];
        shape[0] = items.size();
        System.arraycopy(one, 0, shape, 1, one.length);
        return new Tensor(data, shape);
    }

    /**
     * Tensors of equal trailing dimensions joined along axis 0: {@code [b1, ...]} and {@code [b2, ...]} become
     * {@code [b1 + b2, ...]}, e.g. requests' batches into one batch.
     *
     * @throws IllegalArgumentException when the list is empty or the trailing dimensions differ
     * @param parts tensors whose shapes agree except in axis 0
     * @return their rows, in order, as one tensor
     */
    public static Tensor concat(List<Tensor> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to concatenate");
        }
        int[] first = parts.get(0).shape;
        if (first.length == 0) {
            throw new IllegalArgumentException("scalars have no axis 0 to concatenate along");
        }
        int rows = 0;
        long total = 0;
        for (int i = 0; i < parts.size(); i++) {
            int[] s = parts.get(i).shape;
            if (s.length != first.length || !Arrays.equals(Arrays.copyOfRange(s, 1, s.length),
                    Arrays.copyOfRange(first, 1, first.length))) {
                throw new IllegalArgumentException("tensor " + i + " has shape " + Shape.format(s)
                        + ", which does not match " + Shape.format(first) + " after axis 0");
            }
            rows += s[0];
            total += parts.get(i).data.length;
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the result would have more than 2^31-1 elements");
        }
        float[] data = new float[(int) total];
        int at = 0;
        for (Tensor t : parts) {
            System.arraycopy(t.data, 0, data, at, t.data.length);
            at += t.data.length;
        }
        int[] shape = first.clone();
        shape[0] = rows;
        return new Tensor(data, shape);
    }

    /**
     * A tensor of zeros.
     *
     * @param shape the dimensions
     * @return a tensor of that shape holding zeros
     */
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

    /**
     * The dimensions (a copy).
     *
     * @return a copy of the dimensions
     */
    public int[] shape() {
        return shape.clone();
    }

    /**
     * Size of dimension {@code i} (negative {@code i} counts from the end).
     *
     * @param i the axis; {@code -1} is the last
     * @return the size of that axis
     */
    public int dim(int i) {
        return shape[i < 0 ? shape.length + i : i];
    }

    /**
     * True when {@code other} has the same dimensions (compared in place, nothing allocated: the check a
     * caller-supplied output buffer passes on every call).
     *
     * @param other another tensor
     * @return whether both shapes are equal
     */
    public boolean sameShape(Tensor other) {
        return Arrays.equals(shape, other.shape);
    }

    /**
     * Number of dimensions.
     *
     * @return the number of axes
     */
    public int rank() {
        return shape.length;
    }

    /**
     * Number of elements.
     *
     * @return the product of the dimensions
     */
    public int size() {
        return data.length;
    }

    /**
     * The backing array, row-major, not a copy: read it, do not change it.
     *
     * @return the backing array itself
     */
    public float[] data() {
        return data;
    }

    /**
     * A copy of the values, row-major.
     *
     * @return a fresh array of the values
     */
    public float[] toFloatArray() {
        return data.clone();
    }

    /**
     * The values as a [rows][columns] array (copied); the tensor must be rank 2.
     *
     * @return a fresh {@code [rows][columns]} array
     */
    public float[][] toArray2D() {
        requireRank(2);
        float[][] out = new float[shape[0]][shape[1]];
        for (int r = 0; r < shape[0]; r++) {
            System.arraycopy(data, r * shape[1], out[r], 0, shape[1]);
        }
        return out;
    }

    /**
     * The values as a [batch][time][features] array (copied); the tensor must be rank 3.
     *
     * @return a fresh {@code [batch][time][features]} array
     */
    public float[][][] toArray3D() {
        requireRank(3);
        float[][][] out = new float[shape[0]][shape[1]][shape[2]];
        for (int b = 0; b < shape[0]; b++) {
            for (int t = 0; t < shape[1]; t++) {
                System.arraycopy(data, (b * shape[1] + t) * shape[2], out[b][t], 0, shape[2]);
            }
        }
        return out;
    }

    /**
     * The values widened to double, row-major.
     *
     * @return a fresh array of the values as doubles
     */
    public double[] toDoubleArray() {
        double[] out = new double[data.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = data[i];
        }
        return out;
    }

    /**
     * Writes the values, row-major, into {@code buffer} at its position (which advances).
     *
     * @param buffer where the values go; needs {@link #size()} values of room
     */
    public void writeTo(FloatBuffer buffer) {
        buffer.put(data);
    }

    /**
     * Rows {@code from..to-1} along axis 0 (copied), keeping the axis: {@code rows(i, i + 1)} is sample i
     * as a batch of one.
     *
     * @throws IndexOutOfBoundsException when the range is outside axis 0
     * @param from the first row (axis 0), inclusive
     * @param to the end row, exclusive
     * @return a copy of rows {@code [from, to)}
     */
    public Tensor rows(int from, int to) {
        if (shape.length == 0 || from < 0 || to > shape[0] || from > to) {
            throw new IndexOutOfBoundsException("rows " + from + ".." + to + " outside axis 0 of shape "
                    + Shape.format(shape));
        }
        int width = shape[0] == 0 ? 0 : data.length / shape[0];
        int[] s = shape.clone();
        s[0] = to - from;
        return new Tensor(Arrays.copyOfRange(data, from * width, to * width), s);
    }

    private void requireRank(int rank) {
        if (shape.length != rank) {
            throw new IllegalArgumentException("tensor of shape " + Shape.format(shape) + " is not rank " + rank);
        }
    }

    /**
     * The element at the given indices.
     *
     * @param index one index per axis
     * @return the element
     */
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

    /**
     * The same data seen with another shape of equal size (shares the array).
     *
     * @param newShape the dimensions; their product must equal {@link #size()}
     * @return a view of the same data
     */
    public Tensor reshape(int... newShape) {
        return new Tensor(data, newShape.clone());
    }

    @Override
    public String toString() {
        return "Tensor" + Shape.format(shape);
    }
}
