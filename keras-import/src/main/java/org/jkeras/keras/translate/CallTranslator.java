package org.jkeras.keras.translate;

import java.util.List;
import org.jkeras.keras.format.LayerWeights;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.layers.Layer;

/**
 * A {@link MultiInputTranslator} for a layer whose calls record non-tensor keyword arguments (the attention
 * layers' {@code use_causal_mask}): it implements only the form with {@link CallKwargs}; a call without any is one
 * with {@link CallKwargs#NONE}.
 */
@FunctionalInterface
interface CallTranslator extends MultiInputTranslator {
    @Override
    Layer translate(LayerSpec spec, List<Shape> inputs, CallKwargs call, LayerWeights weights, TranslationContext ctx);

    @Override
    default Layer translate(LayerSpec spec, List<Shape> inputs, LayerWeights weights, TranslationContext ctx) {
        return translate(spec, inputs, CallKwargs.NONE, weights, ctx);
    }
}
