package org.jkeras.runtime.training.loss;

import java.util.Arrays;

/** Keras's shape rules for losses and metrics, on plain dimension arrays. */
public final class KerasShapes {
    private KerasShapes() {
    }

    /**
     * Keras's {@code squeeze_or_expand_to_same_rank(x1, x2)} (with {@code expand_rank_1}): when the
     * ranks differ by one and the longer shape ends in 1, that 1 is squeezed, except that a rank-1
     * partner is expanded instead. Element order is unchanged by either.
     *
     * @param x1 the first shape, e.g. of {@code y_true}; not changed
     * @param x2 the second shape, e.g. of {@code y_pred}; not changed
     * @return the two new shapes
     */
    public static int[][] squeezeOrExpand(int[] x1, int[] x2) {
        int r1 = x1.length;
        int r2 = x2.length;
        if (r1 == r2 + 1 && x1[r1 - 1] == 1) {
            if (r2 == 1) {
                x2 = append1(x2);
            } else {
                x1 = Arrays.copyOf(x1, r1 - 1);
            }
        } else if (r2 == r1 + 1 && x2[r2 - 1] == 1) {
            if (r1 == 1) {
                x1 = append1(x1);
            } else {
                x2 = Arrays.copyOf(x2, r2 - 1);
            }
        }
        return new int[][] {x1, x2};
    }

    /**
     * Product of the dimensions.
     *
     * @param shape the dimensions
     * @return the number of elements (1 for a scalar)
     * @throws IllegalArgumentException if there are more than 2^31-1 elements
     */
    public static int size(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has more than 2^31-1 elements");
        }
        return (int) n;
    }

    /**
     * The multi-dimensional index of row-major position {@code flat}, for error messages.
     *
     * @param flat the row-major position
     * @param shape the dimensions the position is in
     * @return the index as text, e.g. {@code [1, 0, 3]}
     */
    public static String index(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] > 0) {
                idx[d] = flat % shape[d];
                flat /= shape[d];
            }
        }
        return Arrays.toString(idx);
    }

    private static int[] append1(int[] s) {
        int[] r = Arrays.copyOf(s, s.length + 1);
        r[s.length] = 1;
        return r;
    }
}
