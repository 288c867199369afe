package org.jkeras.runtime.training.optimizer;

import org.jkeras.runtime.tensor.Float32;

/**
 * Keras's {@code Adam} (and, with decoupled weight decay, the base of {@link AdamW}):
 * <pre>
 *   alpha = lr * sqrt(1 - beta_2^t) / (1 - beta_1^t)          t = iterations + 1
 *   m += (g - m) * (1 - beta_1);   v += (g^2 - v) * (1 - beta_2)
 *   v_hat = max(v_hat, v) if amsgrad
 *   var -= m * alpha / (sqrt(v or v_hat) + epsilon)
 * </pre>
 * Slots as Keras creates them: {@code momentum} and {@code velocity} interleaved per variable,
 * then {@code velocity_hat} for each variable when {@code amsgrad}. The shared part of {@link
 * Adam} and {@link AdamW}.
 */
public abstract class AdamBase extends Optimizer {
    private static final int MOMENTUM = 0;
    private static final int VELOCITY = 1;
    private static final int VELOCITY_HAT = 2;

    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final boolean amsgrad;

    /** Adam's hyper-parameters from a builder. */
    AdamBase(Params<?> b) {
        super(b);
        this.beta1 = b.beta1;
        this.beta2 = b.beta2;
        this.epsilon = b.epsilon;
        this.amsgrad = b.amsgrad;
    }

    /**
     * Decay of the first moment.
     *
     * @return Keras's {@code beta_1}, the weight of the old first moment {@code m}
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
     * @return Keras's {@code epsilon}, added to {@code sqrt(v)} in the denominator
     */
    public double epsilon() {
        return epsilon;
    }

    /**
     * Whether AMSGrad's running maximum of the second moment is used.
     *
     * @return Keras's {@code amsgrad}
     */
    public boolean amsgrad() {
        return amsgrad;
    }

    @Override
    protected final void addSlots(OptimizerState s) {
        s.addSlots(0f, "momentum", "velocity");
        if (amsgrad) {
            s.addSlots(0f, "velocity_hat");
        }
    }

    @Override
    protected final void update(OptimizerState s, int index, float[] var, float[] g, float[] g2, float lr) {
        float step = (float) (s.iterations() + 1);
        float beta1Power = Float32.pow((float) beta1, step);
        float beta2Power = Float32.pow((float) beta2, step);
        float alpha = lr * Float32.sqrt(1f - beta2Power) / (1f - beta1Power);
        // Keras writes 1 - self.beta_1 on Python floats: the difference is a double rounded to float32.
        float oneMinusBeta1 = (float) (1.0 - beta1);
        float oneMinusBeta2 = (float) (1.0 - beta2);
        float eps = (float) epsilon;
        float[] m = s.group(MOMENTUM)[index];                       // m: [n], first moment
        float[] v = s.group(VELOCITY)[index];                       // v: [n], second moment
        float[] vHat = amsgrad ? s.group(VELOCITY_HAT)[index] : v;  // v_hat: [n], running max of v
        for (int i = 0; i < var.length; i++) {
            m[i] = m[i] + (g[i] - m[i]) * oneMinusBeta1;
            v[i] = v[i] + ((g2 == null ? g[i] * g[i] : g2[i]) - v[i]) * oneMinusBeta2;
            float second = v[i];
            if (amsgrad) {
                vHat[i] = Math.max(vHat[i], v[i]);
                second = vHat[i];
            }
            var[i] = var[i] - m[i] * alpha / (Float32.sqrt(second) + eps);
        }
    }

    /**
     * Adam's hyper-parameters, shared by {@link Adam.Builder} and {@link AdamW.Builder}.
     *
     * @param <B> the concrete builder
     */
    public abstract static class Params<B extends Params<B>> extends Optimizer.Builder<B> {
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double epsilon = 1e-7;
        private boolean amsgrad = false;

        Params(String defaultName) {
            super(defaultName, 0.001);
        }

        /**
         * Decay of the first moment (default 0.9).
         *
         * @param beta1 Keras's {@code beta_1}, the weight of the old first moment
         * @return this builder
         */
        public B beta1(double beta1) {
            this.beta1 = beta1;
            return self();
        }

        /**
         * Decay of the second moment (default 0.999).
         *
         * @param beta2 Keras's {@code beta_2}, the weight of the old second moment
         * @return this builder
         */
        public B beta2(double beta2) {
            this.beta2 = beta2;
            return self();
        }

        /**
         * Added to the root of the second moment (default 1e-7).
         *
         * @param epsilon Keras's {@code epsilon}
         * @return this builder
         */
        public B epsilon(double epsilon) {
            this.epsilon = epsilon;
            return self();
        }

        /**
         * AMSGrad variant (default false).
         *
         * @param amsgrad Keras's {@code amsgrad}: true divides by the running maximum {@code velocity_hat}
         *                (an extra slot per variable)
         * @return this builder
         */
        public B amsgrad(boolean amsgrad) {
            this.amsgrad = amsgrad;
            return self();
        }
    }
}
