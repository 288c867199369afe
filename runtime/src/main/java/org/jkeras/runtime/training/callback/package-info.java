/**
 * Keras's standard callbacks for {@link org.jkeras.runtime.training.Fit}: early stopping (with
 * restoring the best weights), model checkpoints and learning-rate scheduling, each following the
 * Keras 3 source's rules.
 */
package org.jkeras.runtime.training.callback;
