package org.jkeras.keras.save;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * What the importer records about a model's source so that {@link org.jkeras.keras.KerasModels#save}
 * can write it back as Keras 3: left as the {@link org.jkeras.runtime.Model#origin(Class) origin} of
 * every imported model, and kept by models derived from it (a fine-tuned snapshot with the same layer
 * names and weight shapes).
 *
 * @param format        the source format ({@code keras_zip}, {@code legacy_h5}, {@code json})
 * @param kerasVersion  the Keras version the file records, or null
 * @param kerasMajor    the major version that wrote it (recorded or inferred)
 * @param keras3Config  the model config in Keras 3 form, as {@code config.json} holds it; for a Keras 3
 *                      source the original (Keras 3 legacy {@code .h5} configs completed with what
 *                      {@code .keras} adds: {@code module}, {@code registered_name}, {@code build_config});
 *                      for Keras 2 a conversion; null when the model cannot be written faithfully
 * @param refusal       why {@code keras3Config} is null, naming the layer and field; null otherwise
 * @param layers        every layer with weights: its Keras 3 path and groups, in model order
 * @param compileConfig the compile config the file records in Keras 3 form, or null
 */
public record KerasOrigin(String format, String kerasVersion, int kerasMajor, JsonNode keras3Config,
                          String refusal, List<LayerSlot> layers, JsonNode compileConfig) {
    /** Copies. */
    public KerasOrigin {
        keras3Config = keras3Config == null ? null : keras3Config.deepCopy();
        compileConfig = compileConfig == null ? null : compileConfig.deepCopy();
        layers = List.copyOf(layers);
        if ((keras3Config == null) == (refusal == null)) {
            throw new IllegalArgumentException("exactly one of a Keras 3 config and a refusal is needed");
        }
    }

    /**
     * The Keras 3 config (a copy), or null when saving it is refused.
     *
     * @return the model's config as Keras 3 writes it, or null
     */
    @Override
    public JsonNode keras3Config() {
        return keras3Config == null ? null : keras3Config.deepCopy();
    }

    /**
     * The compile config (a copy), or null.
     *
     * @return the Keras 3 {@code compile_config} the source file carried, or null
     */
    @Override
    public JsonNode compileConfig() {
        return compileConfig == null ? null : compileConfig.deepCopy();
    }
}
