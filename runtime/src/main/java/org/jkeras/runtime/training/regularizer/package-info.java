/**
 * Weight regularizers with Keras 3's formulas ({@code L1}, {@code L2}, {@code L1L2}): the penalty
 * a layer adds to the loss and its gradient. Immutable and thread-safe.
 */
package org.jkeras.runtime.training.regularizer;
