package org.jkeras.runtime.training.loss;

/**
 * How Keras reduces per-sample losses to one number ({@code Loss(reduction=...)}).
 */
public enum Reduction {
    /**
     * Keras's default: {@code sum(loss * weight) / number of per-sample losses}. The divisor counts
     * every element of the per-sample loss tensor (e.g. batch x time for sequence outputs), whatever
     * the sample weights are: a weight of 0 still counts.
     */
    SUM_OVER_BATCH_SIZE("sum_over_batch_size"),
    /** Same as {@link #SUM_OVER_BATCH_SIZE} in Keras 3. */
    MEAN("mean"),
    /** {@code sum(loss * weight) / sum(weight)} (the number of losses without sample weights). */
    MEAN_WITH_SAMPLE_WEIGHT("mean_with_sample_weight"),
    /** {@code sum(loss * weight)}. */
    SUM("sum"),
    /**
     * No reduction ({@code "none"} or {@code None}): Keras returns the per-sample losses (and a
     * training step then differentiates their sum). {@link Loss#compute} refuses it.
     */
    NONE("none");

    private final String keras;

    Reduction(String keras) {
        this.keras = keras;
    }

    /**
     * The Keras spelling, e.g. {@code "sum_over_batch_size"}.
     *
     * @return the string Keras's {@code reduction} argument takes
     */
    public String keras() {
        return keras;
    }

    /**
     * The reduction Keras names {@code name}; null means {@link #NONE}, as in Keras.
     *
     * @param name Keras's spelling, e.g. {@code "sum_over_batch_size"}, or null
     * @throws IllegalArgumentException for any other name, listing the valid ones
     * @return the matching reduction
     */
    public static Reduction fromKeras(String name) {
        if (name == null) {
            return NONE;
        }
        for (Reduction r : values()) {
            if (r.keras.equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("Invalid value for argument `reduction`: '" + name + "'; expected one of"
                + " sum_over_batch_size, sum, mean, mean_with_sample_weight, none, None");
    }
}
