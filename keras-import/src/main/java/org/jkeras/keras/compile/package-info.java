/**
 * Keras training configs to and from the runtime's training objects: optimizers (with their
 * learning-rate schedules), losses (single or per output), metrics and regularizers, as Keras 3
 * serializes them in a {@code .keras} {@code compile_config} and as Keras 1/2 / tf.keras wrote them
 * in a legacy {@code .h5} {@code training_config}. Every refusal is a {@code KerasImportException}
 * naming the place, the field, the value and what is supported; {@code toKerasConfig} methods
 * write the JSON Keras 3 itself writes.
 */
package org.jkeras.keras.compile;
