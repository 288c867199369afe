package org.jkeras.runtime.layers;

import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;

/**
 * Keras's Cropping1D: drops {@code start} steps at the beginning and {@code end} at the end of
 * {@code [batch, steps, f]}.
 */
public final class Cropping1D extends SingleInputLayer {
    private final int start;
    private final int end;

    /**
     * Crops {@code start} leading and {@code end} trailing steps (both >= 0).
     *
     * @param name the layer's name, unique within its model
     * @param start the leading steps cropped (>= 0)
     * @param end the trailing steps cropped (>= 0)
     */
    public Cropping1D(String name, int start, int end) {
        super(name);
        if (start < 0 || end < 0) {
            throw new IllegalArgumentException("layer '" + name + "' (Cropping1D): cropping must be >= 0, got ("
                    + start + ", " + end + ")");
        }
        this.start = start;
        this.end = end;
    }

    @Override
    public String kind() {
        return "Cropping1D";
    }

    @Override
    public Shape outputShape(Shape input) {
        requireRank(input, 3, "[batch, steps, features]");
        int steps = input.dim(1);
        if (steps != Shape.UNKNOWN && steps - start - end <= 0) {
            throw new IllegalArgumentException(describe() + ": cropping (" + start + ", " + end + ") leaves no step of "
                    + steps);
        }
        return input.with(1, steps == Shape.UNKNOWN ? Shape.UNKNOWN : steps - start - end);
    }

    @Override
    public Tensor apply(Tensor input) {
        if (input.rank() != 3 || input.dim(1) - start - end <= 0) {
            throw new IllegalArgumentException(describe() + ": cropping (" + start + ", " + end + ") does not fit "
                    + Shape.format(input.shape()));
        }
        int batch = input.dim(0);
        int steps = input.dim(1);
        int f = input.dim(2);
        int kept = steps - start - end;
        float[] out = new float[batch * kept * f];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(input.data(), (b * steps + start) * f, out, b * kept * f, kept * f);
        }
        return Tensor.wrap(out, batch, kept, f);
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
        int kept = steps - start - end;
        float[] dx = new float[batch * steps * f];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(outputGrad.data(), b * kept * f, dx, (b * steps + start) * f, kept * f);
        }
        return Tensor.wrap(dx, shape);
    }
}
