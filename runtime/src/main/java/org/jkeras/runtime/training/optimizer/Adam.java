package org.jkeras.runtime.training.optimizer;

/**
 * Keras's {@code Adam}; the update rule is {@link AdamBase}'s. Weight decay, when set, is the
 * base optimizer's decoupled decay, as in Keras.
 */
public final class Adam extends AdamBase {
    private Adam(Builder b) {
        super(b);
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
        return "Adam";
    }

    /** Builds an {@link Adam}. */
    public static final class Builder extends AdamBase.Params<Builder> {
        private Builder() {
            super("adam");
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        public Adam build() {
            return new Adam(this);
        }
    }
}
