package org.jkeras.runtime.training.loss;

import java.util.Arrays;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;

/**
 * Sample weights laid over per-sample values as Keras does: rank fixed by
 * {@link KerasShapes#squeezeOrExpand}, then NumPy broadcasting, which must not enlarge the
 * values (Keras would then also grow the divisor; jkeras refuses that case).
 */
public final class SampleWeights {
    private final float[] data;
    private final int[] strides; // per values dimension: the weight's stride, 0 where broadcast
    private final int[] dims;    // the values' dimensions
    private final boolean identity;

    private SampleWeights(float[] data, int[] strides, int[] dims, boolean identity) {
        this.data = data;
        this.strides = strides;
        this.dims = dims;
        this.identity = identity;
    }

    /**
     * Weights {@code weights} for values of shape {@code valuesShape}.
     *
     * @param weights Keras's {@code sample_weight} tensor
     * @param valuesShape the shape of the per-sample losses, e.g. {@code [batch]} or {@code [batch, time]}
     * @param what names the weights in errors, e.g. {@code "sample_weight"}
     * @throws IllegalArgumentException when they do not broadcast to the values' shape
     * @return a view that reads a weight per value without copying or broadcasting the data
     */
    public static SampleWeights resolve(Tensor weights, int[] valuesShape, String what) {
        int[][] fixed = KerasShapes.squeezeOrExpand(valuesShape, weights.shape());
        int[] v = fixed[0];
        int[] w = fixed[1];
        if (Arrays.equals(v, w)) {
            return new SampleWeights(weights.data(), null, v, true);
        }
        int[] strides = new int[v.length];
        int stride = 1;
        for (int k = 1; k <= Math.max(v.length, w.length); k++) {
            int vd = k <= v.length ? v[v.length - k] : 1;
            int wd = k <= w.length ? w[w.length - k] : 1;
            if (k > v.length) {
                if (wd != 1) {
                    throw mismatch(weights, valuesShape, what);
                }
                continue;
            }
            if (wd == vd) {
                strides[v.length - k] = vd == 1 ? 0 : stride;
            } else if (wd == 1) {
                strides[v.length - k] = 0;
            } else {
                throw mismatch(weights, valuesShape, what);
            }
            stride *= wd;
        }
        return new SampleWeights(weights.data(), strides, v, false);
    }

    /**
     * The weight of value {@code i} (row-major in the values' shape).
     *
     * @param i the value's row-major index in the values' shape
     * @return the weight broadcast to that value
     */
    public float at(int i) {
        if (identity) {
            return data[i];
        }
        int offset = 0;
        for (int d = dims.length - 1; d >= 0; d--) {
            int n = dims[d];
            offset += (i % n) * strides[d];
            i /= n;
        }
        return data[offset];
    }

    /**
     * Sum of the weights' own elements (not broadcast), accumulated in double: Keras's {@code ops.sum(sample_weight)}.
     *
     * @return the sum, rounded to float32
     */
    public float sumOwn() {
        double s = 0;
        for (float x : data) {
            s += x;
        }
        return (float) s;
    }

    private static IllegalArgumentException mismatch(Tensor weights, int[] valuesShape, String what) {
        return new IllegalArgumentException(what + " of shape " + Shape.format(weights.shape())
                + " does not broadcast to the per-sample loss shape " + Shape.format(valuesShape)
                + " (expected that shape, a trailing 1 more or less, or dimensions of 1)");
    }
}
