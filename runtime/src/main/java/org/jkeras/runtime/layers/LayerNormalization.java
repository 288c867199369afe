package org.jkeras.runtime.layers;

import java.util.ArrayList;
import java.util.List;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;

/**
 * Keras's LayerNormalization over {@code axis} (one or several non-batch axes) of each sample: with mean m and
 * variance v of the values along the axes, {@code y = (x - m) / sqrt(v + epsilon) * gamma + beta}. Keras 3's
 * deprecated {@code rms_scaling=True} computes {@code y = x / sqrt(v + epsilon) * gamma} instead (v still the
 * variance about the mean, no beta), as its {@code _layer_normalization} does. Statistics in double.
 */
public final class LayerNormalization extends SingleInputLayer {
    private final int[] axes;
    private final int[] paramShape;
    private final float[] gamma; // or null
    private final float[] beta;  // or null
    private final float epsilon;
    private final boolean rmsScaling;

    /**
     * A layer normalization.
     *
     * @param paramShape the dimensions of the normalized axes (sorted), which gamma and beta have
     * @param gamma      or null (scale=False)
     * @param beta       or null (center=False, or rms_scaling)
     * @param name the layer's name, unique within its model
     * @param axes Keras's {@code axis}: the axes normalized over (negative from the end; not the batch axis 0)
     * @param epsilon Keras's {@code epsilon}, added to the variance
     * @param rmsScaling Keras 3's {@code rms_scaling}: {@code x / sqrt(v + epsilon) * gamma}, no beta
     */
    public LayerNormalization(String name, int[] axes, int[] paramShape, Tensor gamma, Tensor beta, float epsilon,
                              boolean rmsScaling) {
        super(name);
        this.axes = axes.clone();
        this.paramShape = paramShape.clone();
        if (gamma != null) {
            WeightShapes.require(name, "gamma", gamma, paramShape);
        }
        if (beta != null) {
            WeightShapes.require(name, "beta", beta, paramShape);
        }
        if (rmsScaling && beta != null) {
            throw new IllegalArgumentException("layer '" + name + "' (LayerNormalization): rms_scaling has no beta");
        }
        this.gamma = gamma == null ? null : gamma.toFloatArray();
        this.beta = beta == null ? null : beta.toFloatArray();
        this.epsilon = epsilon;
        this.rmsScaling = rmsScaling;
    }

    @Override
    public String kind() {
        return "LayerNormalization";
    }

    /** Keras's LayerNormalization supports masking: it ignores the mask and passes it on. */
    @Override
    protected boolean passesMask() {
        return true;
    }

    @Override
    public Shape outputShape(Shape input) {
        int[] ax = Axes.resolve(describe(), axes, input.rank()).axes();
        if (ax.length != paramShape.length) {
            throw new IllegalArgumentException(describe() + " normalizes " + ax.length + " axes but has parameters "
                    + Shape.format(paramShape));
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
        return forward(input, gamma, beta, null);
    }

    /** The forward pass; with {@code stats}, keeps each row's mean and 1/sqrt(v + eps) for the backward pass. */
    private Tensor forward(Tensor input, float[] g, float[] b, double[][] stats) {
        outputShape(Shape.of(input.shape()));
        Axes a = Axes.resolve(describe(), axes, input.rank());
        int[] shape = input.shape();
        int n = a.rowSize(shape);
        float[] x = a.toRows(input);
        float[] y = new float[x.length];
        int rows = n == 0 ? 0 : x.length / n;
        for (int r = 0; r < rows; r++) {
            int o = r * n;
            double mean = 0;
            for (int j = 0; j < n; j++) {
                mean += x[o + j];
            }
            mean /= n;
            double var = 0;
            for (int j = 0; j < n; j++) {
                double d = x[o + j] - mean;
                var += d * d;
            }
            var /= n;
            double inv = 1.0 / Math.sqrt(var + epsilon);
            for (int j = 0; j < n; j++) {
                double v = rmsScaling ? x[o + j] * inv : (x[o + j] - mean) * inv;
                if (g != null) {
                    v *= g[j];
                }
                if (b != null) {
                    v += b[j];
                }
                y[o + j] = (float) v;
            }
            if (stats != null) {
                stats[0][r] = mean;
                stats[1][r] = inv;
            }
        }
        return Tensor.wrap(a.fromRows(y, shape), shape);
    }

    @Override
    public Tensor applyTrain(Tensor input, float[][] weights, Saved saved, TrainContext ctx) {
        int w = 0;
        float[] g = gamma == null ? null : weights[w++];
        float[] b = beta == null ? null : weights[w];
        int n = 1;
        for (int d : paramShape) {
            n *= d;
        }
        int rows = n == 0 ? 0 : input.size() / n;
        double[][] stats = new double[2][rows];
        Tensor y = forward(input, g, b, stats);
        saved.putObject("input", input);
        saved.putObject("stats", stats);
        return y;
    }

    @Override
    public Tensor backpropagate(Tensor outputGrad, float[][] weights, float[][] grads, Saved saved,
                                boolean needInputGrad) {
        Tensor input = saved.getObject("input", Tensor.class);
        double[][] stats = saved.getObject("stats", double[][].class);
        Axes a = Axes.resolve(describe(), axes, input.rank());
        int[] shape = input.shape();
        int n = a.rowSize(shape);
        int gi = gamma == null ? -1 : 0;
        int bi = beta == null ? -1 : gi + 1;
        float[] x = a.toRows(input);
        float[] dy = a.toRows(outputGrad);
        float[] dx = needInputGrad ? new float[x.length] : null;
        int rows = n == 0 ? 0 : x.length / n;
        double[] dxhat = new double[n];
        for (int r = 0; r < rows; r++) {
            int o = r * n;
            double mean = stats[0][r];
            double inv = stats[1][r];
            double sumD = 0;     // Σ dxhat
            double sumDX = 0;    // Σ dxhat * xhat (xhat: centred-normalized), or Σ dxhat * x for rms_scaling
            for (int j = 0; j < n; j++) {
                double xhat = (x[o + j] - mean) * inv;
                double scaled = rmsScaling ? x[o + j] * inv : xhat;
                if (gi >= 0) {
                    grads[gi][j] += (float) (dy[o + j] * scaled);
                }
                if (bi >= 0) {
                    grads[bi][j] += dy[o + j];
                }
                dxhat[j] = dy[o + j] * (gi >= 0 ? weights[gi][j] : 1.0);
                sumD += dxhat[j];
                sumDX += dxhat[j] * (rmsScaling ? x[o + j] : xhat);
            }
            if (dx == null) {
                continue;
            }
            for (int j = 0; j < n; j++) {
                double xc = x[o + j] - mean;
                dx[o + j] = (float) (rmsScaling
                        ? dxhat[j] * inv - inv * inv * inv * xc / n * sumDX
                        : inv * (dxhat[j] - sumD / n - xc * inv * sumDX / n));
            }
        }
        return dx == null ? null : Tensor.wrap(a.fromRows(dx, shape), shape);
    }

    @Override
    public List<Weight> weights() {
        List<Weight> list = new ArrayList<>(2);
        if (gamma != null) {
            list.add(new Weight("gamma", Tensor.of(gamma, paramShape)));
        }
        if (beta != null) {
            list.add(new Weight("beta", Tensor.of(beta, paramShape)));
        }
        return list;
    }

    @Override
    public Layer withWeights(List<Tensor> weights) {
        WeightShapes.requireCount(this, weights, weights().size());
        int w = 0;
        Tensor g = gamma == null ? null : weights.get(w++);
        Tensor b = beta == null ? null : weights.get(w);
        return new LayerNormalization(name(), axes, paramShape, g, b, epsilon, rmsScaling);
    }
}
