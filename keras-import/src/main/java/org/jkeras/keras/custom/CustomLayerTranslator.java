package org.jkeras.keras.custom;

import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.layers.Layer;

/**
 * Makes the runtime layer for one Keras layer of a custom class from its config and weights. Called once per
 * layer while a model loads; the file is untrusted, so read sizes through {@link CustomLayerSpec#integer} with
 * bounds and weights through {@link CustomLayerWeights#read} with the shape you expect.
 */
@FunctionalInterface
public interface CustomLayerTranslator {
    /**
     * The runtime layer.
     *
     * @param spec    the layer's name, class and config
     * @param input   the shape of the layer's input, without the batch axis
     * @param weights the layer's weights, in the order the Keras layer created them ({@code add_weight} order)
     * @return the layer, which must compute what the Keras layer computes
     */
    Layer translate(CustomLayerSpec spec, Shape input, CustomLayerWeights weights);
}
