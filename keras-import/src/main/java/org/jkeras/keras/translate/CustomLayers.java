package org.jkeras.keras.translate;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.custom.CustomLayerSpec;
import org.jkeras.keras.custom.CustomLayerTranslator;
import org.jkeras.keras.custom.CustomLayerWeights;
import org.jkeras.keras.format.LayerWeights;
import org.jkeras.runtime.tensor.Tensor;
import tools.jackson.databind.JsonNode;

/**
 * Runs a user's {@link CustomLayerTranslator} as an internal {@link LayerTranslator}: the user sees the layer
 * through the exported {@link CustomLayerSpec} and {@link CustomLayerWeights} only, never the importer's types.
 */
public final class CustomLayers {
    private CustomLayers() {
    }

    /**
     * The internal form of a user's translator.
     *
     * @param custom the user's translator
     * @return a translator the registry runs
     */
    public static LayerTranslator adapt(CustomLayerTranslator custom) {
        return (spec, input, weights, ctx) -> custom.translate(new Spec(spec), input, new Weights(weights));
    }

    /**
     * The internal form of every registered translator, keyed as the user registered them.
     *
     * @param custom the user's translators by registered or class name
     * @return the translators the registry runs, in the same order
     */
    public static Map<String, LayerTranslator> adaptAll(Map<String, CustomLayerTranslator> custom) {
        Map<String, LayerTranslator> out = new LinkedHashMap<>();
        custom.forEach((name, t) -> out.put(name, adapt(t)));
        return out;
    }

    private record Spec(LayerSpec spec) implements CustomLayerSpec {
        @Override
        public String name() {
            return spec.name();
        }

        @Override
        public String className() {
            return spec.className();
        }

        @Override
        public JsonNode config() {
            return spec.config().json();
        }

        @Override
        public int integer(String field, int min, int max) {
            return spec.config().integer(field, min, max);
        }

        @Override
        public double number(String field, double fallback) {
            return spec.config().number(field, fallback);
        }

        @Override
        public String string(String field, String fallback) {
            return spec.config().string(field, fallback);
        }

        @Override
        public boolean bool(String field, boolean fallback) {
            return spec.config().bool(field, fallback);
        }

        @Override
        public KerasImportException error(String problem) {
            return spec.config().error(problem);
        }
    }

    private record Weights(LayerWeights weights) implements CustomLayerWeights {
        @Override
        public int size() {
            return weights.size();
        }

        @Override
        public void requireCount(int count, String roles) {
            weights.requireCount(count, roles);
        }

        @Override
        public Tensor read(int index, String role, int... expectedShape) {
            return weights.read(index, role, expectedShape);
        }
    }
}
