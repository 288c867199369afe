package org.jkeras.runtime.training.optimizer;

/**
 * A row-sparse gradient as TensorFlow hands an Embedding table's to Keras's optimizers
 * ({@code tf.IndexedSlices}): one row per token occurrence, indices repeating. Why it matters: Keras's
 * optimizers square each row before the rows are summed into a slot, so Adam's, RMSprop's, Nadam's and
 * Adagrad's second moments get {@code Σ g_k²} per table row rather than {@code (Σ g_k)²}, clipping
 * measures the norm over the rows, and {@code clipvalue} clips each row. Mutable: clipping scales the
 * values in place.
 *
 * @param width  values per row (the table's second dimension)
 * @param rows   the table row of each gradient row, [n]
 * @param values the gradient rows, [n, width]
 */
public record SparseRows(int width, int[] rows, float[] values) {
    /** Checks the sizes. */
    public SparseRows {
        if (width < 0 || (long) rows.length * width != values.length) {
            throw new IllegalArgumentException("sparse gradient of " + rows.length + " rows of " + width
                    + " values needs " + (long) rows.length * width + " values, has " + values.length);
        }
    }

    /** dense = Σ rows (the gradient TensorFlow's dense conversion gives), squares = Σ rows², both overwritten. */
    void densify(float[] dense, float[] squares) {
        java.util.Arrays.fill(dense, 0f);
        java.util.Arrays.fill(squares, 0f);
        for (int k = 0; k < rows.length; k++) {
            int to = rows[k] * width;
            int from = k * width;
            for (int j = 0; j < width; j++) {
                float v = values[from + j];
                dense[to + j] += v;
                squares[to + j] += v * v;
            }
        }
    }
}
