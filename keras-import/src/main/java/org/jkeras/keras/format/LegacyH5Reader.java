package org.jkeras.keras.format;

import io.jhdf.HdfFile;
import io.jhdf.api.Group;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.Limits;
import org.jkeras.keras.config.Json;
import org.jkeras.keras.KerasVersion;
import tools.jackson.databind.JsonNode;

/**
 * Reads a legacy single-file HDF5 model (Keras 1/2, tf.keras, Keras 3 {@code model.save("x.h5")}):
 * root attributes {@code model_config} (the JSON config), {@code keras_version} and
 * {@code backend}; weights under the {@code model_weights} group.
 */
public final class LegacyH5Reader {
    private LegacyH5Reader() {
    }

    /**
     * Opens a legacy HDF5 model.
     *
     * @param path            the {@code .h5} model file
     * @param weightsOverride a separate weights file to use instead of {@code model_weights}, or null
     * @param limits          the bounds on the config and the weights
     * @return the config and weights, open until the source is closed
     * @throws KerasImportException when the file is missing, malformed or over a limit
     */
    public static ModelSource read(Path path, Path weightsOverride, Limits limits) {
        String name = String.valueOf(path.getFileName());
        HdfFile file = Hdf5.open(path);
        Hdf5Tree tree = new Hdf5Tree(file, name, limits);
        List<AutoCloseable> resources = new ArrayList<>();
        resources.add(file);
        try {
            String configText;
            String recorded;
            String backend;
            try {
                configText = Hdf5.stringAttribute(file, "model_config", name, limits);
                recorded = Hdf5.stringAttribute(file, "keras_version", name, limits);
                backend = Hdf5.stringAttribute(file, "backend", name, limits);
                if (configText == null) {
                    throw notAModel(tree, name);
                }
            } catch (KerasImportException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new KerasImportException(name + ": cannot read the HDF5 structure (truncated or corrupt?): "
                        + e.getMessage(), e);
            }
            JsonNode config = Json.parse(configText, name + ": model_config", limits);
            WeightSource weights;
            if (weightsOverride != null) {
                WeightFiles.Opened w = WeightFiles.open(weightsOverride, limits);
                resources.add(w.file());
                weights = w.source();
            } else if (tree.childGroup(file, "model_weights", name) instanceof Group mw) {
                weights = new LegacyWeightSource(tree, mw, name + ": /model_weights", name);
            } else {
                throw new KerasImportException(name + ": has a model_config but no model_weights group"
                        + " (saved without weights?)");
            }
            KerasVersion version = KerasVersion.parse(recorded);
            if (version == null) {
                version = KerasVersion.infer(config);
            }
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("format", FileFormat.LEGACY_H5.id());
            if (recorded != null) {
                meta.put("keras_version", recorded);
            }
            if (backend != null) {
                meta.put("backend", backend);
            }
            if (version.isKeras3()) {
                List<String> dropped = Keras3LegacyAxis.apply(config);
                if (!dropped.isEmpty()) {
                    meta.put("keras3_h5_axis_dropped", String.join(", ", dropped)
                            + " (Keras 3's .h5 loader drops a list of several axes: the default axis applies)");
                }
            }
            return new ModelSource(name, config, weights, version, meta, resources,
                    trainingConfig(file, name, meta, limits), limits);
        } catch (RuntimeException e) {
            resources.forEach(r -> {
                try {
                    r.close();
                } catch (Exception ignored) {
                    // read-only
                }
            });
            throw e;
        }
    }

    /**
     * The {@code training_config} attribute (what the model was compiled with), or null. It matters only for
     * training, so an unreadable one is noted in the metadata rather than failing the load.
     */
    private static JsonNode trainingConfig(HdfFile file, String name, Map<String, String> meta, Limits limits) {
        try {
            String text = Hdf5.stringAttribute(file, "training_config", name, limits);
            return text == null ? null : Json.parse(text, name + ": training_config", limits);
        } catch (RuntimeException e) {
            meta.put("training_config", "unreadable (" + e.getMessage() + "): the compiled optimizer and loss are"
                    + " unknown");
            return null;
        }
    }

    private static KerasImportException notAModel(Hdf5Tree tree, String name) {
        HdfFile file = tree.file();
        if (tree.childGroup(file, "layers", name) != null || file.getAttribute("layer_names") != null) {
            return new KerasImportException(name + ": this HDF5 file holds only weights, no model config;"
                    + " load the model's JSON config (or .keras / full .h5) and pass this file as its weights");
        }
        return new KerasImportException(name + ": not a Keras model file: the HDF5 file has no 'model_config'"
                + " attribute (root entries: " + org.jkeras.keras.Echo.of(file.getChildren().keySet()) + ")");
    }
}
