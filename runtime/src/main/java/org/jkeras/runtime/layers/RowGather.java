package org.jkeras.runtime.layers;

/**
 * A layer whose output rows are rows of its weight 0 (an Embedding's table lookup). Why the trainer needs
 * to know: TensorFlow hands such a gradient to Keras's optimizers row by row ({@code tf.IndexedSlices}),
 * and several update rules square it before the rows are summed, so matching Keras takes the rows, not
 * only their dense sum (which {@link Differentiable#backward} still adds as usual).
 */
public interface RowGather extends Differentiable {
    /**
     * The table row each output row was read from in the training forward pass that filled {@code saved}.
     *
     * @param saved what the training forward pass kept
     * @return one table row index per output row
     */
    int[] gatheredRows(Saved saved);

    /**
     * Values per table row.
     *
     * @return the table's row length
     */
    int rowWidth();

    @Override
    default java.util.Optional<RowGather> rowGather() {
        return java.util.Optional.of(this);
    }
}
