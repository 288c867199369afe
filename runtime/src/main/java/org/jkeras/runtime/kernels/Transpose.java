package org.jkeras.runtime.kernels;

/**
 * Axis permutations of row-major arrays ({@code numpy.transpose}): what Permute computes, and how layers that
 * reduce over arbitrary axes (Softmax, LayerNormalization, UnitNormalization) bring those axes to the end so
 * that each reduction is one contiguous row.
 */
public final class Transpose {
    private Transpose() {
    }

    /**
     * {@code out = x.transpose(perm)}: output axis {@code i} is input axis {@code perm[i]}.
     *
     * @param shape the input's dimensions
     * @param perm  a permutation of {@code 0..rank-1}
     */
    public static float[] permute(float[] x, int[] shape, int[] perm) {
        int rank = shape.length;
        float[] out = new float[x.length];
        if (x.length == 0) {
            return out;
        }
        int[] inStride = new int[rank];
        for (int i = rank - 1, s = 1; i >= 0; i--) {
            inStride[i] = s;
            s *= shape[i];
        }
        int[] outShape = new int[rank];
        int[] stride = new int[rank]; // input stride of each output axis
        for (int i = 0; i < rank; i++) {
            outShape[i] = shape[perm[i]];
            stride[i] = inStride[perm[i]];
        }
        int inner = outShape[rank - 1];
        int innerStride = stride[rank - 1];
        int[] idx = new int[rank];
        int src = 0;
        for (int o = 0; o < out.length; o += inner) {
            for (int j = 0, s = src; j < inner; j++, s += innerStride) {
                out[o + j] = x[s];
            }
            for (int a = rank - 2; a >= 0; a--) { // odometer over the outer output axes
                idx[a]++;
                src += stride[a];
                if (idx[a] < outShape[a]) {
                    break;
                }
                src -= stride[a] * outShape[a];
                idx[a] = 0;
            }
        }
        return out;
    }

    /** The inverse permutation: {@code permute(permute(x, s, p), permuted(s, p), inverse(p))} is {@code x}. */
    public static int[] inverse(int[] perm) {
        int[] inv = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            inv[perm[i]] = i;
        }
        return inv;
    }

    /** The dimensions after {@link #permute}. */
    public static int[] permuted(int[] shape, int[] perm) {
        int[] out = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            out[i] = shape[perm[i]];
        }
        return out;
    }

    /**
     * The permutation that keeps the other axes in order and moves the given (sorted, distinct) axes to the end,
     * in their order; the identity when they already are the trailing axes.
     */
    public static int[] axesLast(int rank, int[] axes) {
        int[] perm = new int[rank];
        boolean[] moved = new boolean[rank];
        for (int a : axes) {
            moved[a] = true;
        }
        int at = 0;
        for (int i = 0; i < rank; i++) {
            if (!moved[i]) {
                perm[at++] = i;
            }
        }
        for (int a : axes) {
            perm[at++] = a;
        }
        return perm;
    }

    /** True when {@code perm} is the identity (no data movement needed). */
    public static boolean isIdentity(int[] perm) {
        for (int i = 0; i < perm.length; i++) {
            if (perm[i] != i) {
                return false;
            }
        }
        return true;
    }
}
