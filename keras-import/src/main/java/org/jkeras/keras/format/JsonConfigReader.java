package org.jkeras.keras.format;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.Limit;
import org.jkeras.keras.Limits;
import org.jkeras.keras.config.Json;
import org.jkeras.keras.KerasVersion;
import tools.jackson.databind.JsonNode;

/**
 * Reads a JSON config from {@code model.to_json()} with its separate weights file: a Keras 3
 * {@code .weights.h5} or a {@code save_weights} {@code .h5} (Keras 1/2, tf.keras). The Keras
 * version is the config's {@code keras_version} field, else the weights file's, else inferred
 * from the config's shape (Keras 3's {@code to_json} records none).
 */
public final class JsonConfigReader {
    private JsonConfigReader() {
    }

    /**
     * Opens a JSON config and its weights.
     *
     * @param path        the {@code to_json()} file
     * @param weightsPath the HDF5 weights file
     * @param limits      the bounds on sizes read from either file
     * @return the config and weights, open until the source is closed
     * @throws KerasImportException when either file is missing, malformed or over a limit
     */
    public static ModelSource read(Path path, Path weightsPath, Limits limits) {
        String name = String.valueOf(path.getFileName());
        long size;
        String text;
        try {
            size = Files.size(path);
            limits.check(Limit.MAX_JSON_BYTES, size, name);
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new KerasImportException(name + ": cannot read: " + e.getMessage(), e);
        }
        JsonNode config = Json.parse(text, name, limits);
        if (weightsPath == null) {
            throw new KerasImportException(name + ": a JSON config holds no weights; pass its weights file"
                    + " (.weights.h5 or save_weights .h5) as well");
        }
        WeightFiles.Opened w = WeightFiles.open(weightsPath, limits);
        List<AutoCloseable> resources = new ArrayList<>(List.of(w.file()));
        String recorded = config.hasNonNull("keras_version") && config.get("keras_version").isString()
                ? config.get("keras_version").stringValue() : w.kerasVersion();
        String backend = config.hasNonNull("backend") && config.get("backend").isString()
                ? config.get("backend").stringValue() : w.backend();
        KerasVersion version = KerasVersion.parse(recorded);
        if (version == null) {
            version = w.source().isKeras3Layout() ? KerasVersion.inferred(3) : KerasVersion.infer(config);
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FileFormat.JSON.id());
        if (recorded != null) {
            meta.put("keras_version", recorded);
        }
        if (backend != null) {
            meta.put("backend", backend);
        }
        meta.put("weights", String.valueOf(weightsPath.getFileName()));
        return new ModelSource(name, config, w.source(), version, meta, resources, limits);
    }
}
