package org.jkeras.runtime.layers;

import java.util.List;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;

/**
 * Keras 3's RMSNormalization: {@code y = x / sqrt(mean(x²) + epsilon) * scale} over {@code axis}
 * ({@code ops.rms_normalization}), with a learned {@code scale} shaped like the axes' dimensions.
 */
public final class RmsNormalization extends SingleInputLayer {
    private final int[] axes;
    private final int[] paramShape;
    private final float[] scale;
    private final float epsilon;

    /**
     * An RMS normalization; {@code scale} has the dimensions of the (sorted) axes.
     *
     * @param name the layer's name, unique within its model
     * @param axes Keras's {@code axis}: the axes normalized over (negative from the end; not the batch axis 0)
     * @param scale the learned scale, shaped like the axes' dimensions
     * @param epsilon Keras's {@code epsilon}, added to the mean square
     */
    public RmsNormalization(String name, int[] axes, Tensor scale, float epsilon) {
        super(name);
        this.axes = axes.clone();
        this.paramShape = scale.shape();
        this.scale = scale.toFloatArray();
        this.epsilon = epsilon;
    }

    @Override
    public String kind() {
        return "RMSNormalization";
    }

    @Override
    public Shape outputShape(Shape input) {
        int[] ax = Axes.resolve(describe(), axes, input.rank()).axes();
        boolean fits = ax.length == paramShape.length;
        for (int i = 0; fits && i < ax.length; i++) {
            fits = input.dim(ax[i]) == paramShape[i];
        }
        if (!fits) {
            throw new IllegalArgumentException(describe() + " has scale " + Shape.format(paramShape)
                    + ", which does not fit its input " + input);
        }
        return input;
    }

    @Override
    public Tensor apply(Tensor input) {
        return forward(input, scale);
    }

    private Tensor forward(Tensor input, float[] s) {
        outputShape(Shape.of(input.shape()));
        Axes a = Axes.resolve(describe(), axes, input.rank());
        int[] shape = input.shape();
        int n = s.length;
        float[] x = a.toRows(input);
        float[] y = new float[x.length];
        for (int o = 0; n > 0 && o < x.length; o += n) {
            double ms = 0;
            for (int j = 0; j < n; j++) {
                ms += (double) x[o + j] * x[o + j];
            }
            double inv = 1.0 / Math.sqrt(ms / n + epsilon);
            for (int j = 0; j < n; j++) {
                y[o + j] = (float) (x[o + j] * inv * s[j]);
            }
        }
        return Tensor.wrap(a.fromRows(y, shape), shape);
    }

    @Override
    public Tensor applyTrain(Tensor input, float[][] weights, Saved saved, TrainContext ctx) {
        saved.putObject("input", input);
        return forward(input, weights[0]);
    }

    @Override
    public Tensor backpropagate(Tensor outputGrad, float[][] weights, float[][] grads, Saved saved,
                                boolean needInputGrad) {
        Tensor input = saved.getObject("input", Tensor.class);
        Axes a = Axes.resolve(describe(), axes, input.rank());
        int[] shape = input.shape();
        float[] s = weights[0];
        int n = s.length;
        float[] x = a.toRows(input);
        float[] dy = a.toRows(outputGrad);
        float[] dx = needInputGrad ? new float[x.length] : null;
        for (int o = 0; n > 0 && o < x.length; o += n) {
            double ms = 0;
            double dot = 0; // Σ dy * scale * x
            for (int j = 0; j < n; j++) {
                ms += (double) x[o + j] * x[o + j];
                dot += (double) dy[o + j] * s[j] * x[o + j];
            }
            double inv = 1.0 / Math.sqrt(ms / n + epsilon);
            for (int j = 0; j < n; j++) {
                grads[0][j] += (float) (dy[o + j] * x[o + j] * inv);
                if (dx != null) {
                    dx[o + j] = (float) (dy[o + j] * s[j] * inv - inv * inv * inv * x[o + j] / n * dot);
                }
            }
        }
        return dx == null ? null : Tensor.wrap(a.fromRows(dx, shape), shape);
    }

    @Override
    public List<Weight> weights() {
        return List.of(new Weight("scale", Tensor.of(scale, paramShape)));
    }

    @Override
    public Layer withWeights(List<Tensor> weights) {
        WeightShapes.requireCount(this, weights, 1);
        WeightShapes.require(name(), "scale", weights.get(0), paramShape);
        return new RmsNormalization(name(), axes, weights.get(0), epsilon);
    }
}
