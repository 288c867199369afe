package org.jkeras.runtime.layers;

import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;

/** Keras's UpSampling1D: each step of {@code [batch, steps, f]} repeated {@code size} times in place. */
public final class UpSampling1D extends SingleInputLayer {
    private final int size;

    /**
     * Repeats every step {@code size} (>= 1) times.
     *
     * @param name the layer's name, unique within its model
     * @param size the repeats per step (>= 1)
     */
    public UpSampling1D(String name, int size) {
        super(name);
        if (size < 1) {
            throw new IllegalArgumentException("layer '" + name + "' (UpSampling1D): size must be >= 1, got " + size);
        }
        this.size = size;
    }

    @Override
    public String kind() {
        return "UpSampling1D";
    }

    @Override
    public Shape outputShape(Shape input) {
        requireRank(input, 3, "[batch, steps, features]");
        int steps = input.dim(1);
        return input.with(1, steps == Shape.UNKNOWN ? Shape.UNKNOWN : Math.multiplyExact(steps, size));
    }

    @Override
    public Tensor apply(Tensor input) {
        if (input.rank() != 3) {
            throw new IllegalArgumentException(describe() + " expects [batch, steps, features], got "
                    + Shape.format(input.shape()));
        }
        int batch = input.dim(0);
        int steps = input.dim(1);
        int f = input.dim(2);
        float[] out = new float[Math.multiplyExact(input.size(), size)];
        for (int r = 0; r < batch * steps; r++) {
            for (int k = 0; k < size; k++) {
                System.arraycopy(input.data(), r * f, out, (r * size + k) * f, f);
            }
        }
        return Tensor.wrap(out, batch, steps * size, f);
    }

    @Override
    public Tensor applyTrain(Tensor input, float[][] weights, Saved saved, TrainContext ctx) {
        saved.putObject("input_shape", input.shape());
        return apply(input);
    }

    @Override
    public Tensor backpropagate(Tensor outputGrad, float[][] weights, float[][] grads, Saved saved,
                                boolean needInputGrad) {
        if (!needInputGrad) {
            return null;
        }
        int[] shape = saved.getObject("input_shape", int[].class);
        int f = shape[2];
        float[] dy = outputGrad.data();
        float[] dx = new float[shape[0] * shape[1] * f];
        for (int r = 0; r < shape[0] * shape[1]; r++) {
            for (int k = 0; k < size; k++) {
                for (int j = 0; j < f; j++) {
                    dx[r * f + j] += dy[(r * size + k) * f + j];
                }
            }
        }
        return Tensor.wrap(dx, shape);
    }
}
