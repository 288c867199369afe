package org.jkeras.runtime.layers;

import java.util.Arrays;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;

/**
 * Keras's Reshape: each sample (row-major) seen with {@code target_shape}; one entry may be -1, inferred from the
 * sample's size as Keras does.
 */
public final class Reshape extends SingleInputLayer {
    private final int[] target; // without the batch; at most one -1

    /**
     * A reshape to {@code target} (without the batch dimension).
     *
     * @param name the layer's name, unique within its model
     * @param target Keras's {@code target_shape}, -1 at most once for an inferred dimension
     * @throws IllegalArgumentException naming the layer when an entry is below -1 or -1 appears twice
     */
    public Reshape(String name, int... target) {
        super(name);
        int unknown = 0;
        for (int d : target) {
            if (d < -1) {
                throw new IllegalArgumentException("layer '" + name + "' (Reshape): target_shape "
                        + Arrays.toString(target) + " has an entry below -1");
            }
            unknown += d == -1 ? 1 : 0;
        }
        if (unknown > 1) {
            throw new IllegalArgumentException("layer '" + name + "' (Reshape): target_shape " + Arrays.toString(target)
                    + " has more than one -1");
        }
        this.target = target.clone();
    }

    @Override
    public String kind() {
        return "Reshape";
    }

    /**
     * The target shape (without the batch), -1 where inferred.
     *
     * @return a copy of the target shape
     */
    public int[] target() {
        return target.clone();
    }

    /** The sample dimensions for a sample of {@code size} values ({@code UNKNOWN} size leaves -1 unknown). */
    private int[] resolve(int size) {
        int[] dims = target.clone();
        long known = 1;
        int free = -1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == -1) {
                free = i;
            } else {
                known *= dims[i];
            }
        }
        if (size == Shape.UNKNOWN) {
            if (free >= 0) {
                dims[free] = Shape.UNKNOWN;
            }
            return dims;
        }
        if (free >= 0) {
            if (known == 0 || size % known != 0) {
                throw new IllegalArgumentException(describe() + ": a sample of " + size + " values cannot be reshaped"
                        + " to " + Arrays.toString(target));
            }
            dims[free] = (int) (size / known);
        } else if (known != size) {
            throw new IllegalArgumentException(describe() + ": a sample of " + size + " values cannot be reshaped to "
                    + Arrays.toString(target) + " (" + known + " values)");
        }
        return dims;
    }

    @Override
    public Shape outputShape(Shape input) {
        if (input.rank() < 2) {
            throw new IllegalArgumentException(describe() + " expects input of rank >= 2, got " + input);
        }
        int[] dims = resolve(input.product(1));
        int[] out = new int[dims.length + 1];
        out[0] = input.dim(0);
        System.arraycopy(dims, 0, out, 1, dims.length);
        return Shape.of(out);
    }

    @Override
    public Tensor apply(Tensor input) {
        int batch = input.dim(0);
        int[] dims = resolve(Shape.of(input.shape()).product(1));
        int[] out = new int[dims.length + 1];
        out[0] = batch;
        System.arraycopy(dims, 0, out, 1, dims.length);
        return input.reshape(out);
    }

    @Override
    public Tensor applyTrain(Tensor input, float[][] weights, Saved saved, TrainContext ctx) {
        saved.putObject("input_shape", input.shape());
        return apply(input);
    }

    @Override
    public Tensor backpropagate(Tensor outputGrad, float[][] weights, float[][] grads, Saved saved,
                                boolean needInputGrad) {
        return needInputGrad ? outputGrad.reshape(saved.getObject("input_shape", int[].class)) : null;
    }
}
