package org.jkeras.keras.translate;

import org.jkeras.keras.config.ConfigNode;
import org.jkeras.keras.format.LayerWeights;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.layers.Layer;
import org.jkeras.runtime.layers.SingleInputLayer;
import org.jkeras.runtime.layers.TimeDistributed;

/**
 * Keras {@code TimeDistributed(layer)}: the wrapped layer sees one time step, {@code [batch, ...]}.
 * Its weights are stored with the wrapper's (legacy: in the wrapper's group; Keras 3: under
 * {@code layers/time_distributed/layer/vars}), so the wrapper hands its own to the inner layer.
 */
final class TimeDistributedTranslator implements LayerTranslator {
    private final TranslatorRegistry registry;

    TimeDistributedTranslator(TranslatorRegistry registry) {
        this.registry = registry;
    }

    @Override
    public SingleInputLayer translate(LayerSpec spec, Shape input, LayerWeights weights, TranslationContext ctx) {
        ConfigNode inner = spec.config().object("layer", spec.config().where() + ": wrapped layer");
        String innerClass = inner.string("class_name");
        ConfigNode innerConfig = inner.object("config", ctx.fileName() + ": " + spec.describe() + ": wrapped layer ("
                + innerClass + ")");
        String innerName = innerConfig.string("name", spec.name() + "_inner");
        if (input.rank() < 3) {
            throw ctx.error(spec, "expects input [batch, time, ...], got " + input);
        }
        int[] dims = input.dims();
        int[] step = new int[dims.length - 1];
        step[0] = Shape.UNKNOWN;
        System.arraycopy(dims, 2, step, 1, dims.length - 2);
        LayerSpec innerSpec = new LayerSpec(innerName, innerClass, innerConfig, spec.keras3Path() + "/layer");
        Layer layer = registry.translate(innerSpec, Shape.of(step), weights, ctx);
        if (!(layer instanceof SingleInputLayer single)) {
            throw ctx.error(spec, "cannot wrap a " + innerClass + " (only single-output layers)");
        }
        return new TimeDistributed(spec.name(), single);
    }
}
