/**
 * Optimizers with Keras 3's update rules (TensorFlow backend): {@link
 * org.jkeras.runtime.training.optimizer.Sgd}, {@link org.jkeras.runtime.training.optimizer.Adam},
 * {@link org.jkeras.runtime.training.optimizer.AdamW}, {@link
 * org.jkeras.runtime.training.optimizer.RmsProp}, {@link
 * org.jkeras.runtime.training.optimizer.Adagrad} and {@link
 * org.jkeras.runtime.training.optimizer.Nadam}. An {@link
 * org.jkeras.runtime.training.optimizer.Optimizer} holds immutable hyper-parameters; the slots
 * it updates live in a separate mutable {@link
 * org.jkeras.runtime.training.optimizer.OptimizerState} whose variables export and import in
 * exactly the order and shapes of Keras's {@code optimizer.variables}.
 */
package org.jkeras.runtime.training.optimizer;
