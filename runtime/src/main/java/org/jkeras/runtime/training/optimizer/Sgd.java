package org.jkeras.runtime.training.optimizer;

/**
 * Keras's {@code SGD}: {@code v -= lr * g}, or with momentum {@code m = m * momentum - lr * g}
 * then {@code v += m} (Nesterov: {@code v += m * momentum - lr * g} with the new {@code m}).
 * One {@code momentum} slot per variable, only when momentum != 0, as in Keras.
 */
public final class Sgd extends Optimizer {
    private final double momentum;
    private final boolean nesterov;
    private static final int MOMENTUM = 0;

    private Sgd(Builder b) {
        super(b);
        if (!(b.momentum >= 0 && b.momentum <= 1)) {
            throw new IllegalArgumentException("`momentum` must be a float between [0, 1], got " + b.momentum);
        }
        this.momentum = b.momentum;
        this.nesterov = b.nesterov;
    }

    /**
     * A builder with Keras's defaults: learning rate 0.01, momentum 0, not Nesterov.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String kind() {
        return "SGD";
    }

    /**
     * The momentum factor in [0, 1].
     *
     * @return Keras's {@code momentum}; 0 means plain gradient descent with no slot
     */
    public double momentum() {
        return momentum;
    }

    /**
     * Whether Nesterov momentum is used.
     *
     * @return Keras's {@code nesterov}
     */
    public boolean nesterov() {
        return nesterov;
    }

    @Override
    protected void addSlots(OptimizerState s) {
        if (momentum != 0) {
            s.addSlots(0f, "momentum");
        }
    }

    @Override
    protected void update(OptimizerState s, int index, float[] v, float[] g, float[] g2, float lr) {
        if (momentum == 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] = v[i] - g[i] * lr;
            }
            return;
        }
        float mom = (float) momentum;
        float[] m = s.group(MOMENTUM)[index]; // m: [n], velocity
        for (int i = 0; i < v.length; i++) {
            m[i] = m[i] * mom - g[i] * lr;
            v[i] = nesterov ? v[i] + (m[i] * mom - g[i] * lr) : v[i] + m[i];
        }
    }

    /** Builds an {@link Sgd}. */
    public static final class Builder extends Optimizer.Builder<Builder> {
        private double momentum = 0.0;
        private boolean nesterov = false;

        private Builder() {
            super("sgd", 0.01);
        }

        /**
         * Momentum in [0, 1] (default 0).
         *
         * @param momentum Keras's {@code momentum}, in {@code [0, 1]} (checked by {@link #build()}); {@code > 0}
         *                 adds a {@code momentum} slot per variable
         * @return this builder
         */
        public Builder momentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        /**
         * Nesterov momentum (default false).
         *
         * @param nesterov Keras's {@code nesterov}: true steps by {@code momentum * m - lr * g} after updating
         *                 {@code m}; no effect without momentum
         * @return this builder
         */
        public Builder nesterov(boolean nesterov) {
            this.nesterov = nesterov;
            return this;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        public Sgd build() {
            return new Sgd(this);
        }
    }
}
