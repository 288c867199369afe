package org.jkeras.runtime.layers;

/**
 * The masked softmax over the last axis of attention scores, in the forms the Keras versions compute it: where a
 * score is masked out, Keras either subtracts a large number from it ({@link Masked#SUBTRACT}: Attention's
 * {@code scores - 1e9}, tf.keras's {@code Softmax} adder) or replaces it ({@link Masked#REPLACE}: Keras 3's
 * {@code dot_product_attention}, {@code -0.7 * 3.38953e38}; Keras 3's {@code Softmax} layer, {@code -1e9}). The
 * choice matters only for a row whose every score is masked: subtracting or replacing leaves equal values there (a
 * uniform row), unless {@code zeroMasked} (Keras 3's {@code Softmax} layer) zeroes the masked probabilities.
 */
final class AttentionSoftmax {
    /** How a masked score is changed before the softmax. */
    enum Masked {
        /** {@code score - big}, in float32. */
        SUBTRACT,
        /** {@code big} itself (negative). */
        REPLACE
    }

    /** Keras 3 {@code dot_product_attention}'s fill for masked logits (float32 {@code 3.38953e38 * -0.7}). */
    static final float KERAS3_DPA_FILL = 3.38953e38f * -0.7f;

    private final Masked how;
    private final float big;
    private final boolean zeroMasked;

    /**
     * @param how        subtract {@code big} from a masked score, or replace the score by {@code big}
     * @param big        the amount (positive, for SUBTRACT) or the fill value (negative, for REPLACE)
     * @param zeroMasked zero the probabilities of masked scores after the softmax
     */
    AttentionSoftmax(Masked how, float big, boolean zeroMasked) {
        this.how = how;
        this.big = big;
        this.zeroMasked = zeroMasked;
    }

    /**
     * Softmax of {@code row[off .. off+n)} in place, with {@code keep[j]} false for masked scores (null: none
     * masked). The softmax subtracts the row's maximum and sums in double, then rounds to float32.
     */
    void apply(float[] row, int off, int n, boolean[] keep) {
        if (keep != null) {
            for (int j = 0; j < n; j++) {
                if (!keep[j]) {
                    row[off + j] = how == Masked.SUBTRACT ? row[off + j] - big : big;
                }
            }
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            max = Math.max(max, row[off + j]);
        }
        double sum = 0;
        for (int j = 0; j < n; j++) {
            double e = Math.exp((double) row[off + j] - max);
            row[off + j] = (float) e;
            sum += e;
        }
        for (int j = 0; j < n; j++) {
            row[off + j] = (float) (row[off + j] / sum);
            if (zeroMasked && keep != null && !keep[j]) {
                row[off + j] = 0f;
            }
        }
    }
}
