package org.jkeras.keras.format;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What Keras 3's legacy {@code .h5} loader does to a layer's {@code axis} before building it
 * ({@code legacy/saving/saving_utils.model_from_config}, applied to each top-level layer entry that has no
 * {@code module}): a one-entry list becomes that int, a number becomes an int, and a list of several axes is
 * DROPPED, so the layer takes its default axis. A Keras 3 {@code .h5} holding {@code Softmax(axis=[1, 2])} thus
 * loads in Keras as {@code Softmax(axis=-1)}. jkeras reads the file as Keras 3 does, so it predicts what Keras
 * predicts from the file, and records the dropped axes in the model's metadata.
 */
final class Keras3LegacyAxis {
    private Keras3LegacyAxis() {
    }

    /**
     * Applies the loader's rewrite in place to the model config's layer entries.
     *
     * @return the names of layers whose axis list was dropped
     */
    static List<String> apply(JsonNode modelConfig) {
        List<String> dropped = new ArrayList<>();
        JsonNode c = modelConfig.path("config");
        JsonNode layers = c.isArray() ? c : c.path("layers");
        if (!layers.isArray()) {
            return dropped;
        }
        for (JsonNode entry : layers) {
            if (entry.has("module") || !(entry.get("config") instanceof ObjectNode config)) {
                continue;
            }
            JsonNode axis = config.get("axis");
            if (axis == null || axis.isNull()) {
                continue;
            }
            if (axis.isArray() && axis.size() == 1 && axis.get(0).isNumber()) {
                // Keras makes it an int, which every layer reads as the one-entry list (LayerNormalization and
                // UnitNormalization even write it back as the list): kept as written, so a re-save is Keras's
                continue;
            } else if (axis.isArray()) {
                config.remove("axis");
                dropped.add(config.path("name").asString("?"));
            } else if (axis.isNumber()) {
                config.put("axis", axis.asInt());
            }
        }
        return dropped;
    }
}
