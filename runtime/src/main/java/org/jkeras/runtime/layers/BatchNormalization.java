package org.jkeras.runtime.layers;

import java.util.ArrayList;
import java.util.List;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;

/**
 * Keras's BatchNormalization at inference: {@code y = (x - moving_mean) / sqrt(moving_variance + epsilon) *
 * gamma + beta} per feature of {@code axis} (one axis, or several in tf.keras 2), computed as TensorFlow's
 * batch_normalization does: {@code x * inv + (beta - mean * inv)} with {@code inv = gamma / sqrt(var + eps)}.
 * Training runs only a frozen one ({@code trainable=False}), which Keras 3 and tf.keras 2 run in inference mode
 * during fit too; a trainable one normalises with batch statistics in Keras and is refused.
 */
public final class BatchNormalization extends SingleInputLayer {
    private final int[] axes;
    private final int[] paramShape;
    private final float[] gamma;        // or null (scale=False)
    private final float[] beta;         // or null (center=False)
    private final float[] movingMean;
    private final float[] movingVariance;
    private final float epsilon;
    private final boolean trainable;
    private final float[] inv;   // gamma / sqrt(var + eps)
    private final float[] shift; // beta - mean * inv

    /**
     * A batch normalization.
     *
     * @param axes      Keras's {@code axis} (negative from the end)
     * @param gamma     shaped like the axes' dimensions, or null
     * @param beta      shaped like them, or null
     * @param trainable the config's {@code trainable}: true refuses training (see the class comment)
     * @param name the layer's name, unique within its model
     * @param movingMean the moving mean, shaped like the axes' dimensions
     * @param movingVariance the moving variance, shaped like them
     * @param epsilon Keras's {@code epsilon}, added to the variance
     */
    public BatchNormalization(String name, int[] axes, Tensor gamma, Tensor beta, Tensor movingMean,
                              Tensor movingVariance, float epsilon, boolean trainable) {
        super(name);
        this.axes = axes.clone();
        this.paramShape = movingMean.shape();
        WeightShapes.require(name, "moving_variance", movingVariance, paramShape);
        if (gamma != null) {
            WeightShapes.require(name, "gamma", gamma, paramShape);
        }
        if (beta != null) {
            WeightShapes.require(name, "beta", beta, paramShape);
        }
        this.gamma = gamma == null ? null : gamma.toFloatArray();
        this.beta = beta == null ? null : beta.toFloatArray();
        this.movingMean = movingMean.toFloatArray();
        this.movingVariance = movingVariance.toFloatArray();
        this.epsilon = epsilon;
        this.trainable = trainable;
        int n = this.movingMean.length;
        this.inv = new float[n];
        this.shift = new float[n];
        for (int j = 0; j < n; j++) {
            float r = (float) (1.0 / Math.sqrt(this.movingVariance[j] + epsilon));
            inv[j] = this.gamma == null ? r : r * this.gamma[j];
            shift[j] = this.beta == null ? -this.movingMean[j] * inv[j] : this.beta[j] - this.movingMean[j] * inv[j];
        }
    }

    @Override
    public String kind() {
        return "BatchNormalization";
    }

    /**
     * Keras's BatchNormalization supports masking: at inference it ignores the mask (only training moments use it)
     * and passes it on.
     */
    @Override
    protected boolean passesMask() {
        return true;
    }

    @Override
    public Shape outputShape(Shape input) {
        Axes a = Axes.resolve(describe(), axes, input.rank());
        int[] ax = a.axes();
        if (ax.length != paramShape.length) {
            throw new IllegalArgumentException(describe() + " has parameters " + Shape.format(paramShape)
                    + " for " + ax.length + " axes");
        }
        for (int i = 0; i < ax.length; i++) {
            if (input.dim(ax[i]) != paramShape[i]) {
                throw new IllegalArgumentException(describe() + " has parameters " + Shape.format(paramShape)
                        + ", which do not fit its input " + input + " on axis " + ax[i]);
            }
        }
        return input;
    }

    @Override
    public Tensor apply(Tensor input) {
        return affine(input, inv, shift);
    }

    private Tensor affine(Tensor input, float[] scale, float[] offset) {
        outputShape(Shape.of(input.shape()));
        Axes a = Axes.resolve(describe(), axes, input.rank());
        int[] shape = input.shape();
        int n = scale.length;
        float[] x = a.toRows(input);
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            int j = i % n;
            y[i] = x[i] * scale[j] + offset[j];
        }
        return Tensor.wrap(a.fromRows(y, shape), shape);
    }

    @Override
    public Tensor applyTrain(Tensor input, float[][] weights, Saved saved, TrainContext ctx) {
        if (ctx.training() && trainable) {
            throw new UnsupportedOperationException(describe() + " cannot be trained yet: in fit Keras normalizes"
                    + " a trainable BatchNormalization with the batch's statistics and updates moving_mean and"
                    + " moving_variance; freeze it (trainable=False), which Keras runs in inference mode");
        }
        int n = movingMean.length;
        int w = 0;
        float[] g = gamma == null ? null : weights[w++];
        float[] b = beta == null ? null : weights[w++];
        float[] mean = weights[w++];
        float[] var = weights[w];
        float[] scale = new float[n];
        float[] offset = new float[n];
        for (int j = 0; j < n; j++) {
            float r = (float) (1.0 / Math.sqrt(var[j] + epsilon));
            scale[j] = g == null ? r : r * g[j];
            offset[j] = (b == null ? 0f : b[j]) - mean[j] * scale[j];
        }
        saved.putObject("input", input);
        return affine(input, scale, offset);
    }

    @Override
    public Tensor backpropagate(Tensor outputGrad, float[][] weights, float[][] grads, Saved saved,
                                boolean needInputGrad) {
        Tensor input = saved.getObject("input", Tensor.class);
        Axes a = Axes.resolve(describe(), axes, input.rank());
        int[] shape = input.shape();
        int n = movingMean.length;
        int w = 0;
        int gi = gamma == null ? -1 : w++;
        int bi = beta == null ? -1 : w++;
        float[] mean = weights[w++];
        float[] var = weights[w];
        float[] x = a.toRows(input);
        float[] dy = a.toRows(outputGrad);
        float[] dx = needInputGrad ? new float[x.length] : null;
        int mi = w - 1;
        int vi = w;
        for (int i = 0; i < x.length; i++) {
            int j = i % n;
            double r = 1.0 / Math.sqrt(var[j] + epsilon);
            double g = gi >= 0 ? weights[gi][j] : 1.0;
            if (gi >= 0) {
                grads[gi][j] += (float) (dy[i] * (x[i] - mean[j]) * r);
            }
            if (bi >= 0) {
                grads[bi][j] += dy[i];
            }
            // the moving statistics are never trained (frozen by the importer), but their gradients are exact too
            grads[mi][j] += (float) (-dy[i] * g * r);
            grads[vi][j] += (float) (-0.5 * dy[i] * g * (x[i] - mean[j]) * r * r * r);
            if (dx != null) {
                dx[i] = (float) (dy[i] * r * g);
            }
        }
        return dx == null ? null : Tensor.wrap(a.fromRows(dx, shape), shape);
    }

    @Override
    public List<Weight> weights() {
        List<Weight> list = new ArrayList<>(4);
        if (gamma != null) {
            list.add(new Weight("gamma", Tensor.of(gamma, paramShape)));
        }
        if (beta != null) {
            list.add(new Weight("beta", Tensor.of(beta, paramShape)));
        }
        list.add(new Weight("moving_mean", Tensor.of(movingMean, paramShape)));
        list.add(new Weight("moving_variance", Tensor.of(movingVariance, paramShape)));
        return list;
    }

    @Override
    public Layer withWeights(List<Tensor> weights) {
        WeightShapes.requireCount(this, weights, weights().size());
        int w = 0;
        Tensor g = gamma == null ? null : weights.get(w++);
        Tensor b = beta == null ? null : weights.get(w++);
        return new BatchNormalization(name(), axes, g, b, weights.get(w), weights.get(w + 1), epsilon, trainable);
    }
}
