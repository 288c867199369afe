package org.jkeras.runtime.layers;

/**
 * Keras's ELU layer: {@code x} for {@code x > 0}, else {@code alpha * (exp(x) - 1)} (TensorFlow's elu, scaled
 * by alpha in float32 when alpha is not 1, as the backend does).
 */
public final class Elu extends ElementwiseLayer {
    private final float alpha;

    /**
     * An ELU with the given alpha.
     *
     * @param name the layer's name, unique within its model
     * @param alpha the scale of the negative part, {@code alpha * (exp(x) - 1)} for negative x
     */
    public Elu(String name, float alpha) {
        super(name);
        this.alpha = alpha;
    }

    @Override
    public String kind() {
        return "ELU";
    }

    /**
     * The scale of the negative part.
     *
     * @return alpha: the output tends to {@code -alpha} for large negative x
     */
    public float alpha() {
        return alpha;
    }

    @Override
    protected float value(float x) {
        if (x > 0f) {
            return x;
        }
        float e = (float) Math.expm1(x);
        return alpha == 1f ? e : alpha * e;
    }

    @Override
    protected float derivative(float x) {
        return x > 0f ? 1f : (float) (alpha * Math.exp(x));
    }
}
