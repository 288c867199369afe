/**
 * Training: the tape that runs a model's graph keeping what backpropagation needs and sweeps back
 * through it ({@link org.jkeras.runtime.training.Tape}), the trainable parameters and their
 * gradients kept apart from the immutable layers ({@link org.jkeras.runtime.training.Parameters}),
 * and the fit loop that returns new immutable {@link org.jkeras.runtime.Model} snapshots. Losses,
 * optimizers, learning-rate schedules, metrics and regularizers live in sub-packages and follow
 * Keras 3's rules (float32, Keras's operation order; see {@link org.jkeras.runtime.tensor.Float32}).
 */
package org.jkeras.runtime.training;

import org.jkeras.runtime.tensor.Float32;
