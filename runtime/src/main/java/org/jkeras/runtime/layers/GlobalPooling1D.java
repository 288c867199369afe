package org.jkeras.runtime.layers;

import java.util.List;
import org.jkeras.runtime.tensor.Mask;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;

/**
 * Keras's GlobalAveragePooling1D and GlobalMaxPooling1D (channels_last): the mean or the max over the steps of
 * {@code [batch, steps, channels]}, giving {@code [batch, channels]} ({@code [batch, 1, channels]} with
 * {@code keepdims}). The mean is summed in double and divided once (TensorFlow's reduce_mean is at least as
 * accurate as float32 summation).
 *
 * <p>Masks as in Keras 3: the average consumes a {@code [batch, steps]} mask, averaging over the real steps only
 * (a row without any real step is 0 / 0, NaN, as Keras computes it), and its output carries none; the max
 * ignores the mask (GlobalMaxPooling1D does not support masking, so Keras drops it).
 */
public final class GlobalPooling1D extends SingleInputLayer {
    private final boolean max;
    private final boolean keepDims;

    /**
     * A global pooling: the max when {@code max}, else the mean; {@code keepDims} keeps the steps axis as 1.
     *
     * @param name the layer's name, unique within its model
     * @param max true for the max over the steps, false for the mean
     * @param keepDims Keras's {@code keepdims}: output [batch, 1, channels] rather than [batch, channels]
     */
    public GlobalPooling1D(String name, boolean max, boolean keepDims) {
        super(name);
        this.max = max;
        this.keepDims = keepDims;
    }

    @Override
    public String kind() {
        return max ? "GlobalMaxPooling1D" : "GlobalAveragePooling1D";
    }

    @Override
    public Shape outputShape(Shape input) {
        requireRank(input, 3, "[batch, steps, channels]");
        if (input.dim(1) == 0) {
            throw new IllegalArgumentException(describe() + ": the input has no steps");
        }
        return keepDims ? input.with(1, 1) : Shape.of(input.dim(0), input.dim(2));
    }

    private int[] outDims(int batch, int ch) {
        return keepDims ? new int[] {batch, 1, ch} : new int[] {batch, ch};
    }

    @Override
    public List<Tensor> forward(List<Tensor> inputs, CallContext ctx) {
        Mask mask = ctx.mask(0);
        if (max || mask == null) {
            return forward(inputs);
        }
        Tensor input = inputs.get(0);
        requireSteps(input);
        int batch = input.dim(0);
        int steps = input.dim(1);
        int ch = input.dim(2);
        if (mask.rank() != 2 || mask.dim(0) != batch || mask.dim(1) != steps) {
            throw new IllegalArgumentException(describe() + ": mask " + Shape.format(mask.shape())
                    + " does not match the input's [batch, steps] " + Shape.format(new int[] {batch, steps}));
        }
        float[] x = input.data();
        float[] out = new float[batch * ch];
        for (int b = 0; b < batch; b++) {
            int real = 0;
            for (int s = 0; s < steps; s++) {
                real += mask.at(b * steps + s) ? 1 : 0;
            }
            for (int c = 0; c < ch; c++) {
                double sum = 0;
                for (int s = 0; s < steps; s++) {
                    if (mask.at(b * steps + s)) {
                        sum += x[(b * steps + s) * ch + c];
                    }
                }
                out[b * ch + c] = (float) (sum / real); // 0 / 0 = NaN for a fully masked row, as in Keras
            }
        }
        return List.of(Tensor.wrap(out, outDims(batch, ch)));
    }

    private void requireSteps(Tensor input) {
        if (input.rank() != 3 || input.dim(1) == 0) {
            throw new IllegalArgumentException(describe() + " expects [batch, steps >= 1, channels], got "
                    + Shape.format(input.shape()));
        }
    }

    @Override
    public Tensor apply(Tensor input) {
        requireSteps(input);
        int batch = input.dim(0);
        int steps = input.dim(1);
        int ch = input.dim(2);
        float[] x = input.data();
        float[] out = new float[batch * ch];
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < ch; c++) {
                if (max) {
                    float m = Float.NEGATIVE_INFINITY;
                    for (int s = 0; s < steps; s++) {
                        m = Math.max(m, x[(b * steps + s) * ch + c]);
                    }
                    out[b * ch + c] = m;
                } else {
                    double sum = 0;
                    for (int s = 0; s < steps; s++) {
                        sum += x[(b * steps + s) * ch + c];
                    }
                    out[b * ch + c] = (float) (sum / steps);
                }
            }
        }
        return Tensor.wrap(out, outDims(batch, ch));
    }

    @Override
    public Tensor applyTrain(Tensor input, float[][] weights, Saved saved, TrainContext ctx) {
        saved.putObject("input", input);
        return apply(input);
    }

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
        float[] x = input.data();
        float[] dy = outputGrad.data();
        float[] dx = new float[x.length];
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < ch; c++) {
                float g = dy[b * ch + c];
                if (max) { // TensorFlow's reduce_max gradient is shared among equal maxima; ties are measure zero
                    int arg = 0;
                    for (int s = 1; s < steps; s++) {
                        if (x[(b * steps + s) * ch + c] > x[(b * steps + arg) * ch + c]) {
                            arg = s;
                        }
                    }
                    dx[(b * steps + arg) * ch + c] = g;
                } else {
                    for (int s = 0; s < steps; s++) {
                        dx[(b * steps + s) * ch + c] = g / steps;
                    }
                }
            }
        }
        return Tensor.wrap(dx, input.shape());
    }
}
