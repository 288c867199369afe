package org.jkeras.keras.translate;

import org.jkeras.keras.Limit;
import org.jkeras.keras.config.ConfigNode;
import org.jkeras.keras.format.LayerWeights;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.layers.Embedding;
import tools.jackson.databind.JsonNode;

/**
 * Keras {@code Embedding(input_dim, output_dim)}: one weight, {@code embeddings [input_dim, output_dim]}
 * (Keras 3 {@code layers/embedding/vars/0}, Keras 2 {@code embedding/embeddings:0}, Keras 1
 * {@code embedding_1_W}). {@code mask_zero=True} makes index 0 padding: the output carries the mask
 * {@code indices != 0}. {@code input_length} (Keras 1/2) must agree with the input shape.
 */
final class EmbeddingTranslator implements LayerTranslator {
    @Override
    public Embedding translate(LayerSpec spec, Shape input, LayerWeights weights, TranslationContext ctx) {
        ConfigNode c = spec.config();
        int inputDim = c.integer("input_dim", 1, Embedding.MAX_INPUT_DIM);
        int outputDim = c.integer("output_dim", 1, Limit.MAX_DIM, ctx.limits());
        if (input.rank() < 1) {
            throw ctx.error(spec, "expects input [batch, ...] of token indices, got " + input);
        }
        JsonNode length = c.raw("input_length");
        if (length != null && length.isIntegralNumber() && input.rank() >= 2 && input.dim(1) != Shape.UNKNOWN
                && length.asInt() != input.dim(1)) {
            throw ctx.error(spec, "field 'input_length' is " + length + " but the input is " + input);
        }
        Weights.requireCount(spec, ctx, weights, 1, "embeddings");
        Tensor table = Weights.read(spec, ctx, weights.get(0), "embeddings", inputDim, outputDim);
        return new Embedding(spec.name(), table, c.bool("mask_zero", false));
    }
}
