package org.jkeras.runtime.layers;

import java.util.Arrays;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.kernels.Transpose;

/**
 * Keras's Permute: reorders the non-batch axes, {@code dims} being 1-based ({@code (2, 1)} swaps steps and
 * features of {@code [batch, steps, features]}).
 */
public final class Permute extends SingleInputLayer {
    private final int[] perm; // with the batch axis 0 first

    /**
     * A permutation of the non-batch axes.
     *
     * @param dims Keras's {@code dims}: a permutation of {@code 1..n}
     * @param name the layer's name, unique within its model
     */
    public Permute(String name, int... dims) {
        super(name);
        int[] p = new int[dims.length + 1];
        boolean[] seen = new boolean[dims.length + 1];
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 1 || dims[i] > dims.length || seen[dims[i]]) {
                throw new IllegalArgumentException("layer '" + name + "' (Permute): dims " + Arrays.toString(dims)
                        + " is not a permutation of 1.." + dims.length);
            }
            seen[dims[i]] = true;
            p[i + 1] = dims[i];
        }
        this.perm = p;
    }

    @Override
    public String kind() {
        return "Permute";
    }

    @Override
    public Shape outputShape(Shape input) {
        requireRank(input, perm.length, "(the batch and " + (perm.length - 1) + " permuted axes)");
        int[] d = input.dims();
        return Shape.of(Transpose.permuted(d, perm));
    }

    @Override
    public Tensor apply(Tensor input) {
        if (input.rank() != perm.length) {
            throw new IllegalArgumentException(describe() + " expects rank " + perm.length + ", got "
                    + Shape.format(input.shape()));
        }
        int[] shape = input.shape();
        return Tensor.wrap(Transpose.permute(input.data(), shape, perm), Transpose.permuted(shape, perm));
    }

    @Override
    public Tensor applyTrain(Tensor input, float[][] weights, Saved saved, TrainContext ctx) {
        return apply(input);
    }

    @Override
    public Tensor backpropagate(Tensor outputGrad, float[][] weights, float[][] grads, Saved saved,
                                boolean needInputGrad) {
        if (!needInputGrad) {
            return null;
        }
        int[] shape = outputGrad.shape();
        int[] inv = Transpose.inverse(perm);
        return Tensor.wrap(Transpose.permute(outputGrad.data(), shape, inv), Transpose.permuted(shape, inv));
    }
}
