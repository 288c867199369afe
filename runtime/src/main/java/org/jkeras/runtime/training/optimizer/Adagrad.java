package org.jkeras.runtime.training.optimizer;

import org.jkeras.runtime.tensor.Float32;

/**
 * Keras's {@code Adagrad}: {@code accumulator += g^2; var -= lr * g / sqrt(accumulator + epsilon)},
 * the accumulator starting at {@code initial_accumulator_value}. One {@code accumulator} slot per
 * variable.
 */
public final class Adagrad extends Optimizer {
    private static final int ACCUMULATOR = 0;

    private final double initialAccumulatorValue;
    private final double epsilon;

    private Adagrad(Builder b) {
        super(b);
        this.initialAccumulatorValue = b.initialAccumulatorValue;
        this.epsilon = b.epsilon;
    }

    /**
     * A builder with Keras's defaults: learning rate 0.001, initial accumulator 0.1, epsilon 1e-7.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String kind() {
        return "Adagrad";
    }

    /**
     * The accumulators' starting value.
     *
     * @return Keras's {@code initial_accumulator_value}
     */
    public double initialAccumulatorValue() {
        return initialAccumulatorValue;
    }

    /**
     * Added inside the square root.
     *
     * @return Keras's {@code epsilon}, added to the accumulator before its square root
     */
    public double epsilon() {
        return epsilon;
    }

    @Override
    protected void addSlots(OptimizerState s) {
        s.addSlots((float) initialAccumulatorValue, "accumulator");
    }

    @Override
    protected void update(OptimizerState s, int index, float[] var, float[] g, float[] g2, float lr) {
        float eps = (float) epsilon;
        float[] acc = s.group(ACCUMULATOR)[index]; // accumulator: [n], sum of squared gradients
        for (int i = 0; i < var.length; i++) {
            acc[i] = acc[i] + (g2 == null ? g[i] * g[i] : g2[i]);
            var[i] = var[i] - lr * g[i] / Float32.sqrt(acc[i] + eps);
        }
    }

    /** Builds an {@link Adagrad}. */
    public static final class Builder extends Optimizer.Builder<Builder> {
        private double initialAccumulatorValue = 0.1;
        private double epsilon = 1e-7;

        private Builder() {
            super("adagrad", 0.001);
        }

        /**
         * The accumulators' starting value (default 0.1).
         *
         * @param value Keras's {@code initial_accumulator_value}, the sum of squared gradients every element starts
         *              with
         * @return this builder
         */
        public Builder initialAccumulatorValue(double value) {
            this.initialAccumulatorValue = value;
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

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        public Adagrad build() {
            return new Adagrad(this);
        }
    }
}
