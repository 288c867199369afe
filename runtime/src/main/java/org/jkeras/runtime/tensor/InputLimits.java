package org.jkeras.runtime.tensor;

/**
 * Bounds on the inputs a model accepts and on every tensor a prediction would compute, checked before anything
 * is computed: an input of a huge batch with no features holds no data at all, yet asks for outputs of billions
 * of values. A call past a bound fails with an {@link InputMismatchException} naming it. Raise them with
 * {@link org.jkeras.runtime.Model#withInputLimits} (keras-import sets them from its load options: {@code max_input_batch},
 * {@code max_input_timesteps}, {@code max_tensor_elements}).
 *
 * @param maxBatch          largest batch (dimension 0 of each input)
 * @param maxTimesteps      largest number of time steps (dimension 1 of a rank-3 input)
 * @param maxTensorElements largest number of elements of any tensor a layer outputs (at most what one Java
 *                          array holds)
 */
public record InputLimits(long maxBatch, long maxTimesteps, long maxTensorElements) {
    /** The defaults: 2^24 rows, 2^24 steps, 2^28 elements (1 GiB of float32) per tensor. */
    public static final InputLimits DEFAULTS = new InputLimits(1L << 24, 1L << 24, 1L << 28);

    /** The largest array a tensor can be backed by. */
    public static final long ARRAY_MAX = Integer.MAX_VALUE - 64;

    /** Checks the bounds are positive; the element bound is capped to what a Java array holds. */
    public InputLimits {
        if (maxBatch < 1 || maxTimesteps < 1 || maxTensorElements < 1) {
            throw new IllegalArgumentException("input limits must be positive: " + maxBatch + ", " + maxTimesteps
                    + ", " + maxTensorElements);
        }
        maxTensorElements = Math.min(maxTensorElements, ARRAY_MAX);
    }
}
