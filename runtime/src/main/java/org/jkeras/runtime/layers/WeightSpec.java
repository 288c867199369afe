package org.jkeras.runtime.layers;

import java.util.Arrays;

/**
 * The name and shape of one of a layer's weights, without its values: what loading and summaries need, known
 * without unpacking or copying the weight (a layer may hold it only in a packed layout, see {@link Layer#weights()}).
 *
 * @param name  the weight's role within its layer ({@code kernel}, {@code recurrent_kernel}, {@code bias})
 * @param shape its dimensions (a copy is kept and given out)
 */
public record WeightSpec(String name, int[] shape) {
    /** Keeps a copy of {@code shape}. */
    public WeightSpec {
        shape = shape.clone();
    }

    /**
     * A copy of the dimensions.
     *
     * @return a copy of the dimensions
     */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /**
     * The number of values, the product of the dimensions.
     *
     * @return the product of the dimensions
     */
    public long size() {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WeightSpec w && w.name.equals(name) && Arrays.equals(w.shape, shape);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
