package org.jkeras.runtime.layers;

import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;

/** Keras {@code RepeatVector(n)}: {@code [batch, features] -> [batch, n, features]}, each row repeated n times. */
public final class RepeatVector extends SingleInputLayer {
    private final int times;

    /**
     * Repeats every input vector {@code times} times.
     *
     * @param name the layer's name, unique within its model
     * @param times the number of repeats (Keras's {@code n}), at least 1
     * @throws IllegalArgumentException naming the layer when {@code times} is not positive
     */
    public RepeatVector(String name, int times) {
        super(name);
        if (times <= 0) {
            throw new IllegalArgumentException("layer '" + name + "' (RepeatVector): n must be positive, got " + times);
        }
        this.times = times;
    }

    @Override
    public String kind() {
        return "RepeatVector";
    }

    /**
     * How many times each vector is repeated (Keras's {@code n}).
     *
     * @return the number of repeats
     */
    public int times() {
        return times;
    }

    @Override
    public Shape outputShape(Shape input) {
        requireRank(input, 2, "[batch, features]");
        return Shape.of(input.dim(0), times, input.dim(1));
    }

    @Override
    public Tensor apply(Tensor input) {
        int batch = input.dim(0);
        int width = input.dim(1);
        float[] x = input.data();
        float[] out = new float[Math.toIntExact(width == 0 ? 0 : (long) batch * times * width)]; // checked by the graph
        for (int b = 0; b < batch && width > 0; b++) {
            for (int t = 0; t < times; t++) {
                System.arraycopy(x, b * width, out, (b * times + t) * width, width);
            }
        }
        return Tensor.wrap(out, batch, times, width);
    }

    @Override
    public Tensor applyTrain(Tensor input, float[][] weights, Saved saved, TrainContext ctx) {
        return apply(input);
    }

    /** Each input row fed {@code times} outputs: its gradient is their sum. */
    @Override
    public Tensor backpropagate(Tensor outputGrad, float[][] weights, float[][] grads, Saved saved,
                                boolean needInputGrad) {
        if (!needInputGrad) {
            return null;
        }
        int batch = outputGrad.dim(0);
        int width = outputGrad.dim(2);
        float[] dy = outputGrad.data(); // dy: [batch, times, width]
        float[] dx = new float[batch * width];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < times; t++) {
                int o = (b * times + t) * width;
                for (int j = 0; j < width; j++) {
                    dx[b * width + j] += dy[o + j];
                }
            }
        }
        return Tensor.wrap(dx, batch, width);
    }
}
