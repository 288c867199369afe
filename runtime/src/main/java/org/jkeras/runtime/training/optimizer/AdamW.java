package org.jkeras.runtime.training.optimizer;

/**
 * Keras's {@code AdamW}: exactly {@link Adam} with weight decay required (default 0.004). The
 * decay itself is the base optimizer's decoupled {@code v -= v * wd * lr} before the Adam step,
 * which Keras applies for every optimizer that sets {@code weight_decay}.
 */
public final class AdamW extends AdamBase {
    private AdamW(Builder b) {
        super(b);
        if (weightDecay() == null) {
            throw new IllegalArgumentException("Argument `weight_decay` must be a float. Received: weight_decay=None");
        }
    }

    /**
     * A builder with Keras's defaults: Adam's, plus weight decay 0.004.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String kind() {
        return "AdamW";
    }

    /** Builds an {@link AdamW}. */
    public static final class Builder extends AdamBase.Params<Builder> {
        private Builder() {
            super("adam_w");
            weightDecay(0.004);
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        public AdamW build() {
            return new AdamW(this);
        }
    }
}
