/**
 * Keras model import: {@link org.jkeras.keras.KerasModels#load} reads a {@code .keras},
 * {@code .h5} or JSON model into a runtime {@link org.jkeras.runtime.Model}. Layout:
 * {@code format} (files and weight stores), {@code config} (config trees, versions),
 * {@code translate} (one translator per Keras class), {@code graph} (model topology).
 */
package org.jkeras.keras;
