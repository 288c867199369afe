package org.jkeras.runtime.layers;

import java.util.SplittableRandom;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;

/**
 * Keras's dropout and noise layers: the identity at inference; in training each does what Keras's
 * {@code call(training=True)} does (TensorFlow backend):
 * <ul>
 *   <li>{@code Dropout}: keep each value with probability {@code 1 - rate}, scaled by {@code 1/(1 - rate)};</li>
 *   <li>{@code SpatialDropout1D}: the same, one draw per (sample, channel) shared by every time step;</li>
 *   <li>{@code GaussianNoise}: add N(0, stddev) ({@link #rate()} holds the stddev);</li>
 *   <li>{@code GaussianDropout}: multiply by N(1, sqrt(rate / (1 - rate)));</li>
 *   <li>{@code AlphaDropout}: SELU-preserving dropout, dropped values set to {@code -alpha*scale}, then
 *       the affine correction {@code a*x + b}.</li>
 * </ul>
 * The masks come from the trainer's seeded random source, so they cannot equal Keras's bit for bit;
 * their statistics do.
 */
public final class Dropout extends SingleInputLayer {
    private static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    private static final double SELU_SCALE = 1.0507009873554804934193349852946;

    private final String kind;
    private final double rate;

    /**
     * A dropout layer.
     *
     * @param kind the Keras class it stands for ({@code Dropout}, {@code SpatialDropout1D}, {@code GaussianNoise},
     *             {@code GaussianDropout}, {@code AlphaDropout})
     * @param rate fraction of units dropped in training (for {@code GaussianNoise}: the noise's stddev)
     * @param name the layer's name, unique within its model
     */
    public Dropout(String name, String kind, double rate) {
        super(name);
        this.kind = kind;
        this.rate = rate;
    }

    @Override
    public String kind() {
        return kind;
    }

    /**
     * The training-time drop rate (the noise stddev for {@code GaussianNoise}).
     *
     * @return the drop rate, or the noise stddev for {@code GaussianNoise}
     */
    public double rate() {
        return rate;
    }

    @Override
    public Shape outputShape(Shape input) {
        return input;
    }

    /** Keras's layer supports masking: the input's mask passes to the output. */
    @Override
    protected boolean passesMask() {
        return true;
    }

    @Override
    public Tensor apply(Tensor input) {
        return input;
    }

    @Override
    public Tensor applyTrain(Tensor input, float[][] weights, Saved saved, TrainContext ctx) {
        if (!ctx.training() || rate <= 0) {
            return input;
        }
        float[] x = input.data();
        float[] factor = new float[x.length]; // factor: like x, what the output's gradient is multiplied by
        float[] y = new float[x.length];
        SplittableRandom random = ctx.random();
        switch (kind) {
            case "Dropout" -> {
                // Keras: rate 1 drops everything (factor stays 0)
                float keep = rate >= 1 ? 0f : (float) (1.0 / (1.0 - rate));
                for (int i = 0; i < x.length; i++) {
                    factor[i] = random.nextDouble() >= rate ? keep : 0f;
                }
            }
            case "SpatialDropout1D" -> {
                spatialMask(input, random, rate >= 1 ? 0f : (float) (1.0 / (1.0 - rate)), factor);
            }
            case "GaussianNoise" -> {
                for (int i = 0; i < x.length; i++) {
                    y[i] = x[i] + (float) (random.nextGaussian() * rate);
                }
                return Tensor.wrap(y, input.shape());
            }
            case "GaussianDropout" -> {
                double stddev = Math.sqrt(rate / (1.0 - rate));
                for (int i = 0; i < x.length; i++) {
                    factor[i] = (float) (1.0 + random.nextGaussian() * stddev);
                }
            }
            case "AlphaDropout" -> {
                double alphaP = -SELU_ALPHA * SELU_SCALE;
                float a = (float) Math.pow((1 - rate) * (1 + rate * alphaP * alphaP), -0.5);
                float b = (float) (-a * alphaP * rate);
                for (int i = 0; i < x.length; i++) {
                    boolean kept = random.nextDouble() >= rate;
                    y[i] = a * (kept ? x[i] : (float) alphaP) + b;
                    factor[i] = kept ? a : 0f;
                }
                saved.put("factor", factor);
                return Tensor.wrap(y, input.shape());
            }
            default -> throw new IllegalStateException(describe() + ": no training behaviour for " + kind);
        }
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] * factor[i];
        }
        saved.put("factor", factor);
        return Tensor.wrap(y, input.shape());
    }

    /** One keep/drop draw per (sample, channel) of a [batch, time, channels] input, broadcast over time. */
    private void spatialMask(Tensor input, SplittableRandom random, float keep, float[] factor) {
        if (input.rank() != 3) {
            throw new IllegalArgumentException(describe() + " expects input [batch, time, channels], got "
                    + Shape.format(input.shape()));
        }
        int batch = input.dim(0);
        int steps = input.dim(1);
        int channels = input.dim(2);
        for (int b = 0; b < batch; b++) {
            for (int ch = 0; ch < channels; ch++) {
                float f = random.nextDouble() >= rate ? keep : 0f;
                for (int t = 0; t < steps; t++) {
                    factor[(b * steps + t) * channels + ch] = f;
                }
            }
        }
    }

    @Override
    public Tensor backpropagate(Tensor outputGrad, float[][] weights, float[][] grads, Saved saved,
                                boolean needInputGrad) {
        if (!needInputGrad) {
            return null;
        }
        if (!saved.has("factor")) { // identity in this call (inference mode, rate 0, additive noise)
            return outputGrad;
        }
        float[] factor = saved.get("factor");
        float[] dy = outputGrad.data();
        float[] dx = new float[dy.length];
        for (int i = 0; i < dy.length; i++) {
            dx[i] = dy[i] * factor[i];
        }
        return Tensor.wrap(dx, outputGrad.shape());
    }
}
