package org.jkeras.keras.translate;

import java.util.List;
import org.jkeras.keras.format.LayerWeights;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.layers.Layer;

/**
 * Turns one Keras layer called on a list of tensors (the merge layers: {@code Concatenate}, {@code Add},
 * {@code Dot}, ...) into a runtime layer taking those inputs in order.
 */
@FunctionalInterface
public interface MultiInputTranslator {
    /**
     * Translates a layer.
     *
     * @param inputs  the declared shapes of its inputs, in call order (batch first)
     * @param weights its stored weights
     * @throws org.jkeras.keras.KerasImportException naming file, layer and field on any mismatch
     */
    Layer translate(LayerSpec spec, List<Shape> inputs, LayerWeights weights, TranslationContext ctx);

    /**
     * Translates a layer given the non-tensor keyword arguments its call records (e.g. Attention's
     * {@code use_causal_mask}); translators of layers whose calls take none keep this default.
     */
    default Layer translate(LayerSpec spec, List<Shape> inputs, CallKwargs call, LayerWeights weights,
                            TranslationContext ctx) {
        return translate(spec, inputs, weights, ctx);
    }
}
