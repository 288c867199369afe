package org.jkeras.runtime.kernels;

/**
 * The dropout masks of one training call of a recurrent layer, drawn once per sequence as Keras
 * draws them (the same mask at every step). Each mask is [batch, features] of 0 and 1/(1-rate).
 * With one input mask the input is masked before the projection ({@code implementation=2}); with one
 * mask per gate each gate reads its own masked copy ({@code implementation=1}, what Keras uses whenever
 * {@code recurrent_dropout} is set), likewise for the recurrent masks.
 *
 * @param input     input masks [batch, in]: null, one, or one per gate
 * @param recurrent recurrent masks [batch, units]: null, or one per gate (one for SimpleRNN)
 */
public record RecurrentDropout(float[][] input, float[][] recurrent) {
    /** True when the input is masked by a single mask before the projection. */
    boolean singleInputMask() {
        return input != null && input.length == 1;
    }

    /** True when each gate has its own input mask. */
    boolean gatedInput() {
        return input != null && input.length > 1;
    }

    /** True when h is masked before the recurrent product. */
    boolean maskedRecurrence() {
        return recurrent != null;
    }

    /** xt [rows, in] (time-major) multiplied in place by the single input mask [batch, in], tiled over time. */
    void maskInputInPlace(float[] xt, int rows, int batch, int in) {
        float[] m = input[0];
        for (int r = 0; r < rows; r++) {
            int mr = (r % batch) * in;
            for (int p = 0; p < in; p++) {
                xt[r * in + p] *= m[mr + p];
            }
        }
    }

    /** dx [batch, steps, in] (batch-major) multiplied in place by the single input mask. */
    void maskInputGradient(float[] dx, int batch, int steps, int in) {
        float[] m = input[0];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                int o = (b * steps + t) * in;
                for (int p = 0; p < in; p++) {
                    dx[o + p] *= m[b * in + p];
                }
            }
        }
    }
}
