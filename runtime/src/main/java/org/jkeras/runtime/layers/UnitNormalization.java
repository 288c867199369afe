package org.jkeras.runtime.layers;

import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;

/**
 * Keras's UnitNormalization: each sample's values along {@code axis} scaled to unit L2 norm. The two Keras
 * versions bound tiny norms differently: Keras 3 {@code x * min(1 / sqrt(Σx²), 1e12)} ({@code ops.normalize},
 * epsilon 1e-12 on the norm), tf.keras 2 {@code x / sqrt(max(Σx², 1e-12))} ({@code tf.math.l2_normalize}, epsilon
 * on the squared norm); they differ only for norms below 1e-6.
 */
public final class UnitNormalization extends SingleInputLayer {
    private final int[] axes;
    private final boolean keras3;

    /**
     * A unit normalization over {@code axes}, bounded as {@code keras3} (else tf.keras 2) does.
     *
     * @param name the layer's name, unique within its model
     * @param axes Keras's {@code axis}: the axes normalized over (negative from the end; not the batch axis 0)
     * @param keras3 true for Keras 3's bound on tiny norms, false for tf.keras 2's
     */
    public UnitNormalization(String name, int[] axes, boolean keras3) {
        super(name);
        this.axes = axes.clone();
        this.keras3 = keras3;
    }

    @Override
    public String kind() {
        return "UnitNormalization";
    }

    /** Keras's UnitNormalization supports masking: it ignores the mask and passes it on. */
    @Override
    protected boolean passesMask() {
        return true;
    }

    @Override
    public Shape outputShape(Shape input) {
        Axes.resolve(describe(), axes, input.rank());
        return input;
    }

    /** 1 / norm for a squared norm {@code ss}, bounded as the Keras version does. */
    private double inverseNorm(double ss) {
        return keras3 ? Math.min(1.0 / Math.sqrt(ss), 1e12) : 1.0 / Math.sqrt(Math.max(ss, 1e-12));
    }

    private boolean bounded(double ss) {
        return keras3 ? 1.0 / Math.sqrt(ss) > 1e12 : ss < 1e-12;
    }

    @Override
    public Tensor apply(Tensor input) {
        Axes a = Axes.resolve(describe(), axes, input.rank());
        int[] shape = input.shape();
        int n = a.rowSize(shape);
        float[] x = a.toRows(input);
        float[] y = new float[x.length];
        for (int o = 0; n > 0 && o < x.length; o += n) {
            double ss = 0;
            for (int j = 0; j < n; j++) {
                ss += (double) x[o + j] * x[o + j];
            }
            double inv = inverseNorm(ss);
            for (int j = 0; j < n; j++) {
                y[o + j] = (float) (x[o + j] * inv);
            }
        }
        return Tensor.wrap(a.fromRows(y, shape), shape);
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
        Axes a = Axes.resolve(describe(), axes, input.rank());
        int[] shape = input.shape();
        int n = a.rowSize(shape);
        float[] x = a.toRows(input);
        float[] dy = a.toRows(outputGrad);
        float[] dx = new float[x.length];
        for (int o = 0; n > 0 && o < x.length; o += n) {
            double ss = 0;
            double dot = 0;
            for (int j = 0; j < n; j++) {
                ss += (double) x[o + j] * x[o + j];
                dot += (double) x[o + j] * dy[o + j];
            }
            double inv = inverseNorm(ss);
            boolean flat = bounded(ss); // the bound is a constant: y = x * bound
            for (int j = 0; j < n; j++) {
                dx[o + j] = (float) (flat ? dy[o + j] * inv : inv * (dy[o + j] - x[o + j] * inv * inv * dot));
            }
        }
        return Tensor.wrap(a.fromRows(dx, shape), shape);
    }
}
