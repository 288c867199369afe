/**
 * The maths of training that is not a layer: optimizers, learning-rate schedules, losses,
 * metrics and regularizers, each computing exactly what Keras 3 computes (its float32 operation
 * order where that decides the last bits). Knows nothing about Keras files; {@code
 * org.jkeras.keras.compile} translates Keras configs into these objects and back.
 */
package org.jkeras.runtime.training;
