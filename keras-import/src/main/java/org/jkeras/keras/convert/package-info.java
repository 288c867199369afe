/**
 * Internal (not exported): while a model is imported, turns its config into the Keras 3 form and weight layout
 * that saving it back needs (Keras 2 and tf.keras configs are converted, Keras 1 refused), recorded as the
 * model's {@link org.jkeras.keras.save.KerasOrigin}.
 */
package org.jkeras.keras.convert;
