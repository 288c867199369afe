package org.jkeras.runtime.layers;

import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;

/**
 * Keras's MaxPooling1D and AveragePooling1D on {@code [batch, steps, channels]} (channels_last), as TensorFlow's
 * max_pool / avg_pool compute them: windows of {@code poolSize} steps every {@code stride} steps; {@code valid}
 * keeps only whole windows, {@code same} makes {@code ceil(steps / stride)} outputs with TensorFlow's SAME padding
 * (the odd pad after). Padded positions never win a max, and an average divides by the number of real steps in
 * its window (TensorFlow's avg_pool), not by the pool size.
 */
public final class Pooling1D extends SingleInputLayer {
    private final boolean max;
    private final int poolSize;
    private final int stride;
    private final boolean same;

    /**
     * A 1-D pooling.
     *
     * @param max  true for MaxPooling1D, false for AveragePooling1D
     * @param same true for padding {@code same}, false for {@code valid}
     * @param name the layer's name, unique within its model
     * @param poolSize the window length in steps (Keras's {@code pool_size})
     * @param stride the steps between window starts (Keras's {@code strides})
     */
    public Pooling1D(String name, boolean max, int poolSize, int stride, boolean same) {
        super(name);
        if (poolSize < 1 || stride < 1) {
            throw new IllegalArgumentException("layer '" + name + "' (" + (max ? "MaxPooling1D" : "AveragePooling1D")
                    + "): pool_size and strides must be >= 1, got " + poolSize + ", " + stride);
        }
        this.max = max;
        this.poolSize = poolSize;
        this.stride = stride;
        this.same = same;
    }

    @Override
    public String kind() {
        return max ? "MaxPooling1D" : "AveragePooling1D";
    }

    private int outputSteps(int steps) {
        if (steps == Shape.UNKNOWN) {
            return Shape.UNKNOWN;
        }
        if (same) {
            return (steps + stride - 1) / stride;
        }
        return steps < poolSize ? 0 : (steps - poolSize) / stride + 1;
    }

    private int padLeft(int steps) {
        return same ? Math.max((outputSteps(steps) - 1) * stride + poolSize - steps, 0) / 2 : 0;
    }

    @Override
    public Shape outputShape(Shape input) {
        requireRank(input, 3, "[batch, steps, channels]");
        if (outputSteps(input.dim(1)) == 0) {
            throw new IllegalArgumentException(describe() + ": " + input.dim(1) + " steps are fewer than pool_size "
                    + poolSize);
        }
        return input.with(1, outputSteps(input.dim(1)));
    }

    @Override
    public Tensor apply(Tensor input) {
        if (input.rank() != 3 || outputSteps(input.dim(1)) == 0) {
            throw new IllegalArgumentException(describe() + " expects [batch, steps >= " + poolSize
                    + ", channels], got " + Shape.format(input.shape()));
        }
        int batch = input.dim(0);
        int steps = input.dim(1);
        int ch = input.dim(2);
        int outSteps = outputSteps(steps);
        int left = padLeft(steps);
        float[] x = input.data();
        float[] out = new float[batch * outSteps * ch];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < outSteps; t++) {
                int from = Math.max(t * stride - left, 0);
                int to = Math.min(t * stride - left + poolSize, steps);
                int o = (b * outSteps + t) * ch;
                for (int c = 0; c < ch; c++) {
                    float acc = max ? Float.NEGATIVE_INFINITY : 0f;
                    for (int s = from; s < to; s++) {
                        float v = x[(b * steps + s) * ch + c];
                        acc = max ? Math.max(acc, v) : acc + v;
                    }
                    out[o + c] = max ? acc : acc / (to - from);
                }
            }
        }
        return Tensor.wrap(out, batch, outSteps, ch);
    }

    @Override
    public Tensor applyTrain(Tensor input, float[][] weights, Saved saved, TrainContext ctx) {
        saved.putObject("input", input);
        return apply(input);
    }

    /** An average spreads its gradient over its real steps; a max sends it to the first step holding the max. */
    @Override
    public Tensor backpropagate(Tensor outputGrad, float[][] weights, float[][] grads, Saved saved,
                                boolean needInputGrad) {
        if (!needInputGrad) {
            return null;
        }
        Tensor input = saved.getObject("input", Tensor.class);
        int batch = input.dim(0);
        int steps = input.dim(1);
        int ch = input.dim(2);
        int outSteps = outputSteps(steps);
        int left = padLeft(steps);
        float[] x = input.data();
        float[] dy = outputGrad.data();
        float[] dx = new float[x.length];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < outSteps; t++) {
                int from = Math.max(t * stride - left, 0);
                int to = Math.min(t * stride - left + poolSize, steps);
                int o = (b * outSteps + t) * ch;
                for (int c = 0; c < ch; c++) {
                    if (max) {
                        int arg = from;
                        for (int s = from + 1; s < to; s++) {
                            if (x[(b * steps + s) * ch + c] > x[(b * steps + arg) * ch + c]) {
                                arg = s;
                            }
                        }
                        dx[(b * steps + arg) * ch + c] += dy[o + c];
                    } else {
                        float share = dy[o + c] / (to - from);
                        for (int s = from; s < to; s++) {
                            dx[(b * steps + s) * ch + c] += share;
                        }
                    }
                }
            }
        }
        return Tensor.wrap(dx, input.shape());
    }
}
