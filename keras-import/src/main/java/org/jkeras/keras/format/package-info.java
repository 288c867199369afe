/**
 * File formats: detecting them from their bytes, opening each (Keras 3 {@code .keras} zip,
 * legacy HDF5 {@code .h5}, JSON config) into a {@link org.jkeras.keras.format.ModelSource},
 * and the {@link org.jkeras.keras.format.WeightSource} views over the two weight layouts
 * (legacy {@code layer_names}/{@code weight_names} attributes, Keras 3 {@code layers/.../vars}).
 */
package org.jkeras.keras.format;
