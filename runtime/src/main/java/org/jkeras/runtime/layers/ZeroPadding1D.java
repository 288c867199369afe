package org.jkeras.runtime.layers;

import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;

/** Keras's ZeroPadding1D: {@code before} zero steps in front of {@code [batch, steps, f]} and {@code after} behind. */
public final class ZeroPadding1D extends SingleInputLayer {
    private final int before;
    private final int after;

    /**
     * Pads {@code before} leading and {@code after} trailing zero steps (both >= 0).
     *
     * @param name the layer's name, unique within its model
     * @param before the zero steps added before (>= 0)
     * @param after the zero steps added after (>= 0)
     */
    public ZeroPadding1D(String name, int before, int after) {
        super(name);
        if (before < 0 || after < 0) {
            throw new IllegalArgumentException("layer '" + name + "' (ZeroPadding1D): padding must be >= 0, got ("
                    + before + ", " + after + ")");
        }
        this.before = before;
        this.after = after;
    }

    @Override
    public String kind() {
        return "ZeroPadding1D";
    }

    @Override
    public Shape outputShape(Shape input) {
        requireRank(input, 3, "[batch, steps, features]");
        int steps = input.dim(1);
        return input.with(1, steps == Shape.UNKNOWN ? Shape.UNKNOWN : Math.addExact(steps, before + after));
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
        int total = steps + before + after;
        float[] out = new float[Math.multiplyExact(Math.multiplyExact(batch, total), f)];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(input.data(), b * steps * f, out, (b * total + before) * f, steps * f);
        }
        return Tensor.wrap(out, batch, total, f);
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
        int batch = shape[0];
        int steps = shape[1];
        int f = shape[2];
        int total = steps + before + after;
        float[] dx = new float[batch * steps * f];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(outputGrad.data(), (b * total + before) * f, dx, b * steps * f, steps * f);
        }
        return Tensor.wrap(dx, shape);
    }
}
