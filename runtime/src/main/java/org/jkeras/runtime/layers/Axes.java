package org.jkeras.runtime.layers;

import java.util.Arrays;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.kernels.Transpose;

/**
 * Axes a layer reduces over, as Keras gives them (negative from the end; batch axis 0 refused), resolved
 * against an input's rank: the sorted distinct axes, the permutation bringing them last and the size of one
 * reduced row. Layers compute on {@link #toRows} and go back with {@link #fromRows}.
 */
final class Axes {
    private final int[] axes;  // sorted, non-negative
    private final int[] perm;  // moves axes last
    private final boolean identity;

    private Axes(int[] axes, int rank) {
        this.axes = axes;
        this.perm = Transpose.axesLast(rank, axes);
        this.identity = Transpose.isIdentity(perm);
    }

    /**
     * The axes for an input of {@code rank}.
     *
     * @throws IllegalArgumentException naming {@code layer} when an axis is outside the rank, repeated, or the batch
     */
    static Axes resolve(String layer, int[] given, int rank) {
        int[] a = new int[given.length];
        for (int i = 0; i < given.length; i++) {
            int ax = given[i] < 0 ? given[i] + rank : given[i];
            if (ax < 1 || ax >= rank) {
                throw new IllegalArgumentException(layer + ": axis " + given[i] + " is outside the non-batch axes of"
                        + " a rank-" + rank + " input");
            }
            a[i] = ax;
        }
        Arrays.sort(a);
        for (int i = 1; i < a.length; i++) {
            if (a[i] == a[i - 1]) {
                throw new IllegalArgumentException(layer + ": axis " + a[i] + " is given twice in "
                        + Arrays.toString(given));
            }
        }
        if (a.length == 0) {
            throw new IllegalArgumentException(layer + ": no axis given");
        }
        return new Axes(a, rank);
    }

    /** The sorted axes. */
    int[] axes() {
        return axes.clone();
    }

    /** The size of one reduced row: the product of the axes' dimensions in {@code shape}. */
    int rowSize(int[] shape) {
        int n = 1;
        for (int a : axes) {
            n *= shape[a];
        }
        return n;
    }

    /** The known size of one reduced row of a declared shape, or {@link Shape#UNKNOWN}. */
    int rowSize(Shape shape) {
        int n = 1;
        for (int a : axes) {
            if (shape.dim(a) == Shape.UNKNOWN) {
                return Shape.UNKNOWN;
            }
            n *= shape.dim(a);
        }
        return n;
    }

    /** The data with the reduced axes last, so each reduction is a contiguous row (the array itself if so already). */
    float[] toRows(Tensor t) {
        return identity ? t.data() : Transpose.permute(t.data(), t.shape(), perm);
    }

    /** Rows (from {@link #toRows} of a tensor of {@code shape}) back in the original layout. */
    float[] fromRows(float[] rows, int[] shape) {
        return identity ? rows : Transpose.permute(rows, Transpose.permuted(shape, perm), Transpose.inverse(perm));
    }

    /** True when no data needs to move (the axes are the trailing ones). */
    boolean trailing() {
        return identity;
    }
}
