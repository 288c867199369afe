package org.jkeras.runtime.layers;

/**
 * Keras's ReLU family with its three parameters, as {@code keras.activations.relu} computes it on TensorFlow
 * ({@code ReLU.static_call}; tf.keras 2's {@code backend.relu} is the same): with a negative slope and neither
 * a maximum nor a threshold it is TensorFlow's leaky_relu; otherwise {@code y = x > threshold ? x : 0} (plain
 * relu when the threshold is 0), clipped to {@code [0, max_value]} when there is a maximum, minus
 * {@code negative_slope * relu(threshold - x)}. LeakyReLU and tf.keras 2's ThresholdedReLU ({@code x > theta ?
 * x : 0}) are special cases, kept under their own kind for summaries.
 */
public final class Relu extends ElementwiseLayer {
    private final String kind;
    private final float maxValue;     // NaN: no maximum
    private final float negativeSlope;
    private final float threshold;

    /**
     * A ReLU.
     *
     * @param kind          the Keras class it came from: {@code ReLU}, {@code LeakyReLU} or {@code ThresholdedReLU}
     * @param maxValue      the saturation value, or NaN for none
     * @param negativeSlope the slope below the threshold (>= 0)
     * @param threshold     the threshold (>= 0)
     * @param name the layer's name, unique within its model
     * @throws IllegalArgumentException naming the layer when a parameter is negative, as Keras refuses them
     */
    public Relu(String name, String kind, float maxValue, float negativeSlope, float threshold) {
        super(name);
        this.kind = kind;
        if (maxValue < 0f || !(negativeSlope >= 0f) || !(threshold >= 0f)) {
            throw new IllegalArgumentException("layer '" + name + "' (" + kind + "): max_value, negative_slope and"
                    + " threshold must be >= 0, got " + maxValue + ", " + negativeSlope + ", " + threshold);
        }
        this.maxValue = maxValue;
        this.negativeSlope = negativeSlope;
        this.threshold = threshold;
    }

    @Override
    public String kind() {
        return kind;
    }

    /**
     * The saturation value, or NaN for none.
     *
     * @return the saturation value, or NaN
     */
    public float maxValue() {
        return maxValue;
    }

    /**
     * The slope below the threshold.
     *
     * @return the slope
     */
    public float negativeSlope() {
        return negativeSlope;
    }

    /**
     * The threshold.
     *
     * @return the threshold
     */
    public float threshold() {
        return threshold;
    }

    private boolean leaky() {
        return negativeSlope != 0f && Float.isNaN(maxValue) && threshold == 0f;
    }

    @Override
    protected float value(float x) {
        if (leaky()) {
            return x > 0f ? x : x * negativeSlope;
        }
        float negative = negativeSlope != 0f ? Math.max(-x + threshold, 0f) : 0f;
        float y = threshold != 0f ? (x > threshold ? x : 0f) : Math.max(x, 0f);
        if (!Float.isNaN(maxValue)) {
            y = Math.min(Math.max(y, 0f), maxValue);
        }
        if (negativeSlope != 0f) {
            y -= negativeSlope * negative;
        }
        return y;
    }

    @Override
    protected float derivative(float x) {
        if (leaky()) {
            return x > 0f ? 1f : negativeSlope;
        }
        boolean passes = threshold != 0f ? x > threshold : x > 0f;
        if (!Float.isNaN(maxValue)) {
            passes &= maxValue == 6f && threshold == 0f ? x < 6f : x <= maxValue; // relu6 vs clip_by_value
        }
        float d = passes ? 1f : 0f;
        if (negativeSlope != 0f && -x + threshold > 0f) {
            d += negativeSlope;
        }
        return d;
    }
}
