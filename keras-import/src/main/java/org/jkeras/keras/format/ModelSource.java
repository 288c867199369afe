package org.jkeras.keras.format;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jkeras.keras.Limits;
import org.jkeras.keras.KerasVersion;
import tools.jackson.databind.JsonNode;

/**
 * An opened model: its config, where its weights are, which Keras wrote it and facts for the
 * model's metadata. Holds open files until closed; translate the model before closing.
 *
 * @param fileName the model file's name, for error messages
 * @param config   the model config ({@code {"class_name": ..., "config": ...}})
 * @param weights  where the weights are
 * @param version  the Keras version that wrote it (recorded or inferred)
 * @param metadata      {@code format}, {@code keras_version}, {@code backend}, {@code source}, ...
 * @param compileConfig what the file says the model was compiled with (Keras 3 {@code compile_config}, or a
 *                      legacy {@code .h5}'s {@code training_config}), or null when it says nothing
 * @param limits        the limits of this load
 * @param resources     the open files behind {@code weights}, closed by {@link #close()}
 */
public record ModelSource(String fileName, JsonNode config, WeightSource weights, KerasVersion version,
                          Map<String, String> metadata, List<AutoCloseable> resources, JsonNode compileConfig,
                          Limits limits)
        implements AutoCloseable {
    /** Copies. */
    public ModelSource {
        metadata = new LinkedHashMap<>(metadata);
        resources = new ArrayList<>(resources);
    }

    /**
     * A source without a compile config.
     *
     * @param fileName  the model file's name, for error messages
     * @param config    the model config
     * @param weights   where the weights are
     * @param version   the Keras version that wrote it
     * @param metadata  {@code format}, {@code keras_version}, {@code backend}, {@code source}, ...
     * @param resources the open files behind {@code weights}, closed by {@link #close()}
     * @param limits    the limits of this load
     */
    public ModelSource(String fileName, JsonNode config, WeightSource weights, KerasVersion version,
                       Map<String, String> metadata, List<AutoCloseable> resources, Limits limits) {
        this(fileName, config, weights, version, metadata, resources, null, limits);
    }

    @Override
    public void close() {
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception ignored) {
                // closing a read-only file cannot lose data
            }
        }
    }
}
