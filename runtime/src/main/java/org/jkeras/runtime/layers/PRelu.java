package org.jkeras.runtime.layers;

import java.util.List;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;

/**
 * Keras's PReLU: {@code relu(x) - alpha * relu(-x)}, i.e. {@code x} above 0 and {@code alpha * x} below, with a
 * learned {@code alpha} per value of a sample ({@code [d1, ..., dn]}) or shared along {@code shared_axes}
 * (those dimensions are 1 in alpha and broadcast).
 */
public final class PRelu extends SingleInputLayer {
    private final float[] alpha;
    private final int[] alphaShape; // the sample dimensions, 1 on shared axes

    /**
     * A PReLU.
     *
     * @param alpha shape {@code input_shape[1:]} with 1 on the shared axes
     * @param name the layer's name, unique within its model
     */
    public PRelu(String name, Tensor alpha) {
        super(name);
        if (alpha.rank() < 1) {
            throw new IllegalArgumentException("layer '" + name + "' (PReLU): weight 'alpha' must have rank >= 1, got "
                    + Shape.format(alpha.shape()));
        }
        this.alpha = alpha.toFloatArray();
        this.alphaShape = alpha.shape();
    }

    @Override
    public String kind() {
        return "PReLU";
    }

    /** Keras's PReLU supports masking: the input's mask passes to the output. */
    @Override
    protected boolean passesMask() {
        return true;
    }

    @Override
    public Shape outputShape(Shape input) {
        requireRank(input, alphaShape.length + 1, "(the batch, then alpha's " + Shape.format(alphaShape) + ")");
        for (int i = 0; i < alphaShape.length; i++) {
            int d = input.dim(i + 1);
            if (alphaShape[i] != 1 && d != alphaShape[i]) {
                throw new IllegalArgumentException(describe() + " has alpha " + Shape.format(alphaShape)
                        + ", which does not fit its input " + input);
            }
        }
        return input;
    }

    /** For every value of one sample of shape {@code dims}, the index of its alpha. */
    private int[] alphaIndex(int[] dims) {
        int n = 1;
        for (int i = 1; i < dims.length; i++) {
            n *= dims[i];
        }
        int[] map = new int[n];
        int rank = alphaShape.length;
        int[] stride = new int[rank];
        for (int i = rank - 1, s = 1; i >= 0; i--) {
            stride[i] = alphaShape[i] == 1 ? 0 : s;
            s *= alphaShape[i];
        }
        int[] idx = new int[rank];
        for (int k = 0; k < n; k++) {
            int a = 0;
            for (int i = 0; i < rank; i++) {
                a += idx[i] * stride[i];
            }
            map[k] = a;
            for (int i = rank - 1; i >= 0; i--) {
                if (++idx[i] < dims[i + 1]) {
                    break;
                }
                idx[i] = 0;
            }
        }
        return map;
    }

    private void requireInput(Tensor input) {
        if (!outputShape(Shape.of(input.shape())).accepts(input.shape())) {
            throw new IllegalArgumentException(describe() + " does not fit " + Shape.format(input.shape()));
        }
    }

    @Override
    public Tensor apply(Tensor input) {
        return forward(input, alpha);
    }

    private Tensor forward(Tensor input, float[] a) {
        requireInput(input);
        int[] map = alphaIndex(input.shape());
        float[] x = input.data();
        float[] out = new float[x.length];
        int n = map.length;
        for (int i = 0; i < x.length; i++) {
            float v = x[i];
            out[i] = v > 0f ? v : a[map[i % n]] * v; // relu(x) + (-alpha) * relu(-x), exact in float
        }
        return Tensor.wrap(out, input.shape());
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
        int[] map = alphaIndex(input.shape());
        float[] x = input.data();
        float[] dy = outputGrad.data();
        float[] dx = needInputGrad ? new float[x.length] : null;
        float[] a = weights[0];
        int n = map.length;
        for (int i = 0; i < x.length; i++) {
            float v = x[i];
            int k = map[i % n];
            if (v < 0f) {
                grads[0][k] += v * dy[i]; // d/dalpha of -alpha * relu(-x)
            }
            if (dx != null) {
                dx[i] = v > 0f ? dy[i] : v < 0f ? a[k] * dy[i] : 0f;
            }
        }
        return dx == null ? null : Tensor.wrap(dx, input.shape());
    }

    @Override
    public List<Weight> weights() {
        return List.of(new Weight("alpha", Tensor.of(alpha, alphaShape)));
    }

    @Override
    public Layer withWeights(List<Tensor> weights) {
        WeightShapes.requireCount(this, weights, 1);
        WeightShapes.require(name(), "alpha", weights.get(0), alphaShape);
        return new PRelu(name(), weights.get(0));
    }
}
