/**
 * Learning-rate schedules: Keras 3's {@code keras.optimizers.schedules}, each a pure function
 * of the optimizer's iteration count computed in float32 in Keras's operation order.
 * Immutable and thread-safe.
 */
package org.jkeras.runtime.training.schedule;
