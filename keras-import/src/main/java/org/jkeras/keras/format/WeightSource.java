package org.jkeras.keras.format;

/**
 * Where a model's weights are stored. Two layouts exist: legacy HDF5 (Keras 1/2, tf.keras,
 * Keras 3 {@code .h5}) lists layers in a {@code layer_names} attribute and each layer's arrays
 * in {@code weight_names}; Keras 3 ({@code .keras}, {@code .weights.h5}) stores arrays at
 * {@code layers/<path>/.../vars/<i>}, the path derived from the layer's class and position.
 */
public interface WeightSource {
    /**
     * The stored weights of a layer.
     *
     * @param layerName  the layer's name in the config
     * @param keras3Path the layer's Keras 3 storage path (e.g. {@code layers/lstm_1}); ignored by legacy stores
     * @return its arrays in storage order (empty when the store holds none for it)
     */
    LayerWeights forLayer(String layerName, String keras3Path);

    /**
     * The file the weights come from, for error messages.
     *
     * @return the file's name
     */
    String fileName();

    /**
     * True for the Keras 3 {@code layers/.../vars} layout.
     *
     * @return false for the legacy per-layer-group layout of {@code .h5} files
     */
    boolean isKeras3Layout();
}
