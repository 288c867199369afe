package org.jkeras.runtime.training.optimizer;

import org.jkeras.runtime.tensor.Float32;

/**
 * Keras's {@code Nadam} (Adam with Nesterov momentum and Dozat's momentum schedule
 * {@code u_t = beta_1 * (1 - 0.5 * 0.96^t)}):
 * <pre>
 *   u_product *= u_t                                            once per apply, before the updates
 *   m += (g - m) * (1 - beta_1);   v += (g^2 - v) * (1 - beta_2)
 *   m_hat = u_{t+1} * m / (1 - u_product * u_{t+1}) + (1 - u_t) * g / (1 - u_product)
 *   var -= m_hat * lr / (sqrt(v / (1 - beta_2^t)) + epsilon)
 * </pre>
 * Slots as Keras creates them: {@code momentum} and {@code velocity} interleaved per variable,
 * then the scalar {@code u_product}, which Keras leaves unnamed ({@code variable}), starting at 1.
 */
public final class Nadam extends Optimizer {
    private static final int MOMENTUM = 0;
    private static final int VELOCITY = 1;
    private static final float DECAY = 0.96f;

    private final double beta1;
    private final double beta2;
    private final double epsilon;

    private Nadam(Builder b) {
        super(b);
        this.beta1 = b.beta1;
        this.beta2 = b.beta2;
        this.epsilon = b.epsilon;
    }

    /**
     * A builder with Keras's defaults: learning rate 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String kind() {
        return "Nadam";
    }

    /**
     * Decay of the first moment.
     *
     * @return Keras's {@code beta_1}, which also scales the momentum schedule {@code u_t}
     */
    public double beta1() {
        return beta1;
    }

    /**
     * Decay of the second moment.
     *
     * @return Keras's {@code beta_2}, the weight of the old second moment {@code v}
     */
    public double beta2() {
        return beta2;
    }

    /**
     * Added to the root of the second moment.
     *
     * @return Keras's {@code epsilon}, added to the root of the bias-corrected second moment
     */
    public double epsilon() {
        return epsilon;
    }

    @Override
    protected void addSlots(OptimizerState s) {
        s.addSlots(0f, "momentum", "velocity");
        s.addScalar("variable", 1f);
    }

    /** Keras's {@code u_product}: the last variable (a scalar). */
    private static float[] uProduct(OptimizerState s) {
        return s.scalar();
    }

    @Override
    protected void beforeUpdates(OptimizerState s) {
        float[] u = uProduct(s);
        float step = (float) (s.iterations() + 1);
        // Keras: u_product * beta_1 * (1.0 - 0.5 * power(0.96, t)), Python floats cast to float32.
        u[0] = u[0] * (float) beta1 * (1f - 0.5f * Float32.pow(DECAY, step));
    }

    @Override
    protected void update(OptimizerState s, int index, float[] var, float[] g, float[] g2, float lr) {
        float localStep = (float) (s.iterations() + 1);
        float nextStep = (float) (s.iterations() + 2);
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float uT = b1 * (1f - 0.5f * Float32.pow(DECAY, localStep));
        float uT1 = b1 * (1f - 0.5f * Float32.pow(DECAY, nextStep));
        float uProductT = uProduct(s)[0];
        float uProductT1 = uProductT * uT1;
        float beta2Power = Float32.pow(b2, localStep);
        float eps = (float) epsilon;
        float[] m = s.group(MOMENTUM)[index]; // m: [n], first moment
        float[] v = s.group(VELOCITY)[index]; // v: [n], second moment
        for (int i = 0; i < var.length; i++) {
            // Here Keras subtracts float32 tensors: 1 - beta_1 is a float32 operation.
            m[i] = m[i] + (g[i] - m[i]) * (1f - b1);
            v[i] = v[i] + ((g2 == null ? g[i] * g[i] : g2[i]) - v[i]) * (1f - b2);
            float mHat = uT1 * m[i] / (1f - uProductT1) + (1f - uT) * g[i] / (1f - uProductT);
            float vHat = v[i] / (1f - beta2Power);
            var[i] = var[i] - mHat * lr / (Float32.sqrt(vHat) + eps);
        }
    }

    /** Builds a {@link Nadam}. */
    public static final class Builder extends Optimizer.Builder<Builder> {
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double epsilon = 1e-7;

        private Builder() {
            super("nadam", 0.001);
        }

        /**
         * Decay of the first moment (default 0.9).
         *
         * @param beta1 Keras's {@code beta_1}, the weight of the old first moment and the scale of {@code u_t}
         * @return this builder
         */
        public Builder beta1(double beta1) {
            this.beta1 = beta1;
            return this;
        }

        /**
         * Decay of the second moment (default 0.999).
         *
         * @param beta2 Keras's {@code beta_2}, the weight of the old second moment
         * @return this builder
         */
        public Builder beta2(double beta2) {
            this.beta2 = beta2;
            return this;
        }

        /**
         * Added to the root of the second moment (default 1e-7).
         *
         * @param epsilon Keras's {@code epsilon}
         * @return this builder
         */
        public Builder epsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        public Nadam build() {
            return new Nadam(this);
        }
    }
}
