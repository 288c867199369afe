package org.jkeras.runtime;

import java.util.ArrayList;
import java.util.List;
import org.jkeras.runtime.kernels.Bfloat16;
import org.jkeras.runtime.layers.Differentiable;
import org.jkeras.runtime.layers.Layer;
import org.jkeras.runtime.layers.Weight;
import org.jkeras.runtime.tensor.Tensor;

/** {@link Model#withBfloat16Kernels()}: one layer at a time, its kernels rounded, everything else kept. */
final class Bfloat16Kernels {
    private Bfloat16Kernels() {
    }

    /** The layer rebuilt with its kernels rounded to bfloat16; itself when it holds no kernel. */
    static Layer round(Layer layer) {
        if (layer.weightSpecs().stream().noneMatch(w -> isKernel(w.name(), w.shape().length))) {
            return layer; // no weight is unpacked for a layer that keeps its values
        }
        List<Weight> weights = layer.weights();
        List<Tensor> values = new ArrayList<>(weights.size());
        for (Weight w : weights) {
            values.add(isKernel(w.name(), w.value().rank())
                    ? Tensor.wrap(Bfloat16.round(w.value().data()), w.value().shape()) : w.value());
        }
        Differentiable rebuildable = layer.differentiable().orElseThrow(() -> refusal(layer, null));
        try {
            return rebuildable.withWeights(values);
        } catch (IllegalStateException e) {
            throw refusal(layer, e);
        }
    }

    /**
     * A matrix the layer multiplies its inputs or states by: {@code kernel}, {@code recurrent_kernel} and the like,
     * also inside a wrapper ({@code forward/kernel}). Biases, normalisation statistics and embedding tables are not
     * kernels: they are added or looked up, not streamed through a product per step.
     */
    private static boolean isKernel(String name, int rank) {
        String leaf = name.substring(name.lastIndexOf('/') + 1);
        return (leaf.equals("kernel") || leaf.endsWith("_kernel")) && rank >= 2;
    }

    private static IllegalArgumentException refusal(Layer layer, RuntimeException cause) {
        return new IllegalArgumentException("bfloat16 kernels: layer '" + layer.name() + "' (" + layer.kind()
                + ") holds a kernel that jkeras cannot rebuild with other values"
                + (cause == null ? "" : " (" + cause.getMessage() + ")")
                + "; run this model with float32 kernels (without withBfloat16Kernels / --bf16-kernels)", cause);
    }
}
