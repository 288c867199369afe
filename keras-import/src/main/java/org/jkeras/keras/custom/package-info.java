/**
 * The extension point for Keras layer classes jkeras does not know: a user registers a
 * {@link org.jkeras.keras.custom.CustomLayerTranslator} under the class's registered name with
 * {@link org.jkeras.keras.LoadOptions.Builder#customLayer}; it sees the layer's config and weights only through
 * {@link org.jkeras.keras.custom.CustomLayerSpec} and {@link org.jkeras.keras.custom.CustomLayerWeights}, whose
 * errors name the file, the layer and the field.
 */
package org.jkeras.keras.custom;
