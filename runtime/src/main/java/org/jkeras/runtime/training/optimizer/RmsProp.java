package org.jkeras.runtime.training.optimizer;

import org.jkeras.runtime.tensor.Float32;

/**
 * Keras's {@code RMSprop}:
 * <pre>
 *   velocity = rho * velocity + (1 - rho) * g^2
 *   average  = rho * average + (1 - rho) * g                     (centered only)
 *   increment = lr * g / sqrt(velocity - average^2 + epsilon)    (centered; else velocity + epsilon)
 *   momentum = momentum * m + increment; var -= momentum         (momentum > 0; else var -= increment)
 * </pre>
 * Slots as Keras creates them: every {@code velocity}, then every {@code momentum} (when
 * momentum > 0), then every {@code average_gradient} (when centered).
 */
public final class RmsProp extends Optimizer {
    private final double rho;
    private final double momentum;
    private final double epsilon;
    private final boolean centered;
    private final int velocityGroup;
    private final int momentumGroup;
    private final int averageGroup;

    private RmsProp(Builder b) {
        super(b);
        this.rho = b.rho;
        this.momentum = b.momentum;
        this.epsilon = b.epsilon;
        this.centered = b.centered;
        this.velocityGroup = 0;
        this.momentumGroup = momentum > 0 ? 1 : -1;
        this.averageGroup = centered ? (momentum > 0 ? 2 : 1) : -1;
    }

    /**
     * A builder with Keras's defaults: learning rate 0.001, rho 0.9, momentum 0, epsilon 1e-7, not centered.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String kind() {
        return "RMSprop";
    }

    /**
     * Decay of the squared-gradient average.
     *
     * @return Keras's {@code rho}, the weight of the old {@code velocity} in each update
     */
    public double rho() {
        return rho;
    }

    /**
     * Momentum factor (0 for none).
     *
     * @return Keras's {@code momentum}; 0 means plain RMSprop steps
     */
    public double momentum() {
        return momentum;
    }

    /**
     * Added inside the square root.
     *
     * @return Keras's {@code epsilon}, added to the (centered) second moment before its square root
     */
    public double epsilon() {
        return epsilon;
    }

    /**
     * Whether the gradient's variance (not its raw second moment) normalises the step.
     *
     * @return Keras's {@code centered}
     */
    public boolean centered() {
        return centered;
    }

    @Override
    protected void addSlots(OptimizerState s) {
        s.addSlots(0f, "velocity");
        if (momentum > 0) {
            s.addSlots(0f, "momentum");
        }
        if (centered) {
            s.addSlots(0f, "average_gradient");
        }
    }

    @Override
    protected void update(OptimizerState s, int index, float[] var, float[] g, float[] g2, float lr) {
        float r = (float) rho;
        float oneMinusRho = (float) (1.0 - rho); // a Python double difference, then float32
        float eps = (float) epsilon;
        float mom = (float) momentum;
        float[] vel = s.group(velocityGroup)[index];                          // velocity: [n]
        float[] mo = momentumGroup >= 0 ? s.group(momentumGroup)[index] : null; // momentum: [n]
        float[] avg = averageGroup >= 0 ? s.group(averageGroup)[index] : null;  // average_gradient: [n]
        for (int i = 0; i < var.length; i++) {
            vel[i] = r * vel[i] + oneMinusRho * (g2 == null ? g[i] * g[i] : g2[i]);
            float denominator;
            if (centered) {
                avg[i] = r * avg[i] + oneMinusRho * g[i];
                denominator = vel[i] - avg[i] * avg[i] + eps;
            } else {
                denominator = vel[i] + eps;
            }
            float increment = lr * g[i] / Float32.sqrt(denominator);
            if (mo != null) {
                mo[i] = mom * mo[i] + increment;
                var[i] = var[i] - mo[i];
            } else {
                var[i] = var[i] - increment;
            }
        }
    }

    /** Builds an {@link RmsProp}. */
    public static final class Builder extends Optimizer.Builder<Builder> {
        private double rho = 0.9;
        private double momentum = 0.0;
        private double epsilon = 1e-7;
        private boolean centered = false;

        private Builder() {
            super("rm_sprop", 0.001);
        }

        /**
         * Decay of the squared-gradient average (default 0.9).
         *
         * @param rho Keras's {@code rho}, the weight of the old {@code velocity} in each update
         * @return this builder
         */
        public Builder rho(double rho) {
            this.rho = rho;
            return this;
        }

        /**
         * Momentum factor (default 0).
         *
         * @param momentum Keras's {@code momentum}; {@code > 0} adds a {@code momentum} slot per variable
         * @return this builder
         */
        public Builder momentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        /**
         * Added inside the square root (default 1e-7).
         *
         * @param epsilon Keras's {@code epsilon}
         * @return this builder
         */
        public Builder epsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /**
         * Centered variant (default false).
         *
         * @param centered Keras's {@code centered}: true divides by the gradient's variance estimate and adds an
         *                 {@code average_gradient} slot per variable
         * @return this builder
         */
        public Builder centered(boolean centered) {
            this.centered = centered;
            return this;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        public RmsProp build() {
            return new RmsProp(this);
        }
    }
}
