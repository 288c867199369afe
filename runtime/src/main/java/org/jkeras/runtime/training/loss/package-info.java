/**
 * Losses with Keras 3's formulas, reductions and gradients: each {@link
 * org.jkeras.runtime.training.loss.Loss} returns the reduced loss and writes
 * {@code dLoss/dy_pred} as TensorFlow's autodiff computes it (its float32 operation order, its
 * fused softmax cross-entropy kernels). Sample weights, Keras masks and {@code ignore_class}
 * combine exactly as in Keras's {@code reduce_weighted_values}. Immutable and thread-safe.
 */
package org.jkeras.runtime.training.loss;
