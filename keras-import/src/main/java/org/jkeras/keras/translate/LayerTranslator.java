package org.jkeras.keras.translate;

import org.jkeras.keras.format.LayerWeights;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.layers.Layer;

/** Turns one Keras layer (config + stored weights) into a runtime layer. */
@FunctionalInterface
public interface LayerTranslator {
    /**
     * Translates a layer.
     *
     * @param input   the declared shape of its input (batch first)
     * @param weights its stored weights (a wrapper passes its own to the wrapped layer)
     * @return the runtime layer; single-input, and single-output except Bidirectional with merge_mode None
     * @throws org.jkeras.keras.KerasImportException naming file, layer, field or weight on any mismatch
     */
    Layer translate(LayerSpec spec, Shape input, LayerWeights weights, TranslationContext ctx);
}
