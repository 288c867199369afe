package org.jkeras.keras.convert;

import java.util.List;
import java.util.Set;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.KerasVersion;
import org.jkeras.keras.graph.BuildTrace;
import org.jkeras.runtime.tensor.Shape;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Brings a source model config into the form Keras 3 writes to {@code config.json}. A config with a
 * top-level {@code module} is already in that form ({@code .keras}, Keras 3 {@code to_json()}) and is
 * kept as it is. A Keras 3 legacy {@code .h5} config differs only in what the legacy serializer leaves
 * out, which is added back: {@code module} and {@code registered_name} on the model and each layer
 * entry, {@code build_config} (the input shape of layers that have a {@code build}), and the
 * model's {@code build_config} and {@code compile_config}. Keras 2 configs are converted by
 * {@link Keras2Converter}; Keras 1 configs are refused.
 */
final class Keras3Form {
    /** Layer classes whose Keras 3 config records a {@code build_config} (those with their own build()). */
    static final Set<String> BUILT = Set.of("LSTM", "GRU", "SimpleRNN", "RNN", "Dense", "Embedding", "TimeDistributed",
            "Bidirectional", "Flatten", "RepeatVector", "PReLU", "Add", "Subtract", "Multiply", "Average", "Maximum",
            "Minimum", "Concatenate", "Dot", "Conv1D", "BatchNormalization", "LayerNormalization", "RMSNormalization",
            "Cropping1D", "ZeroPadding1D", "UpSampling1D", "Permute");
    /** Classes called on a list of tensors: their {@code build_config} lists one shape per input. */
    static final Set<String> LIST_INPUT = Set.of("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum",
            "Concatenate", "Dot");
    static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private Keras3Form() {
    }

    /**
     * The Keras 3 config of a model.
     *
     * @throws KerasImportException naming the layer and field when the config cannot be written as Keras 3
     */
    static ObjectNode of(JsonNode top, KerasVersion version, BuildTrace trace, String file) {
        if (!top.isObject()) {
            throw new KerasImportException(file + ": the model config is not an object");
        }
        if (version.isKeras3()) {
            if (top.has("module")) {
                return (ObjectNode) top.deepCopy();
            }
            return completeLegacy((ObjectNode) top, trace, file);
        }
        if (version.isKeras1()) {
            throw new KerasImportException(file + ": Keras 1 configs are not converted to Keras 3 (their layers"
                    + " use other fields and hard_sigmoid gates by default); re-save the model with Keras 2 or 3");
        }
        if (trace.keras3Refusal() != null) {
            throw new KerasImportException(file + ": " + trace.keras3Refusal());
        }
        return new Keras2Converter(file, version, trace).convert((ObjectNode) top);
    }

    /** Adds to a Keras 3 legacy (.h5) config what {@code .keras} configs also hold. */
    private static ObjectNode completeLegacy(ObjectNode top, BuildTrace trace, String file) {
        String cls = top.path("class_name").asString("");
        boolean sequential = "Sequential".equals(cls);
        if (!sequential && !"Functional".equals(cls)) {
            throw new KerasImportException(file + ": a Keras 3 " + cls + " model cannot be written as .keras"
                    + " (expected Sequential or Functional)");
        }
        JsonNode config = top.get("config");
        if (config == null || !config.isObject() || !config.path("layers").isArray()) {
            throw new KerasImportException(file + ": model config has no 'layers' list");
        }
        ObjectNode newConfig = (ObjectNode) config.deepCopy();
        ArrayNode layers = JSON.arrayNode();
        JsonNode batch = declaredBatch(config.get("layers"));
        for (JsonNode entry : config.get("layers")) {
            layers.add(entry(entry, trace, batch));
        }
        newConfig.set("layers", layers);
        ObjectNode out = JSON.objectNode();
        out.put("module", sequential ? "keras" : "keras.src.models.functional");
        out.put("class_name", cls);
        out.set("config", newConfig);
        if (sequential) {
            out.putNull("registered_name");
        } else {
            out.put("registered_name", "Functional");
        }
        out.set("build_config", modelBuildConfig(sequential, newConfig));
        out.set("compile_config", JSON.objectNode());
        return out;
    }

    private static ObjectNode entry(JsonNode entry, BuildTrace trace, JsonNode batch) {
        ObjectNode out = JSON.objectNode();
        out.set("module", entry.has("module") ? entry.get("module") : JSON.stringNode("keras.layers"));
        out.set("class_name", entry.get("class_name"));
        out.set("config", entry.get("config").deepCopy());
        out.set("registered_name", entry.has("registered_name") ? entry.get("registered_name") : JSON.nullNode());
        String cls = entry.path("class_name").asString("");
        String name = entry.hasNonNull("name") ? entry.get("name").asString()
                : entry.path("config").path("name").asString("");
        JsonNode built = entry.has("build_config") ? entry.get("build_config")
                : buildConfigFor(cls, name, trace, batch);
        if (built != null) {
            out.set("build_config", built);
        }
        for (String key : List.of("name", "inbound_nodes")) {
            if (entry.has(key)) {
                out.set(key, entry.get(key).deepCopy());
            }
        }
        return out;
    }

    /** A Sequential's {@code build_config} is its input's batch shape; a Functional's input_shape is null. */
    static ObjectNode modelBuildConfig(boolean sequential, JsonNode modelConfig) {
        ObjectNode bc = JSON.objectNode();
        JsonNode shape = JSON.nullNode();
        if (sequential) {
            if (modelConfig.has("build_input_shape")) {
                shape = modelConfig.get("build_input_shape").deepCopy();
            } else {
                JsonNode first = modelConfig.path("layers").path(0).path("config");
                if (first.has("batch_shape")) {
                    shape = first.get("batch_shape").deepCopy();
                }
            }
        }
        bc.set("input_shape", shape);
        return bc;
    }

    /**
     * The {@code build_config} Keras 3 records for layer {@code name} of class {@code cls}, from the shapes it was
     * built on (one per input for the merge layers, which Keras builds on a list); null when it records none.
     */
    static ObjectNode buildConfigFor(String cls, String name, BuildTrace trace, JsonNode batch) {
        if (trace.inputShape(name) == null) {
            return null;
        }
        if (LIST_INPUT.contains(cls)) {
            return buildConfig(trace.inputShapes(name), batch);
        }
        return BUILT.contains(cls) ? buildConfig(trace.inputShape(name), batch) : null;
    }

    /** {@code {"input_shape": [batch, ...]}}. */
    static ObjectNode buildConfig(Shape input, JsonNode batch) {
        ObjectNode bc = JSON.objectNode();
        bc.set("input_shape", shape(input, batch));
        return bc;
    }

    /** {@code {"input_shape": [shape, ...]}}: the build config of a layer called on a list of tensors. */
    static ObjectNode buildConfig(List<Shape> inputs, JsonNode batch) {
        ObjectNode bc = JSON.objectNode();
        ArrayNode list = JSON.arrayNode();
        for (Shape s : inputs) {
            list.add(shape(s, batch));
        }
        bc.set("input_shape", list);
        return bc;
    }

    /** A shape as Keras writes it: a list with None for unknown sizes, the batch as the config declares it. */
    static ArrayNode shape(Shape s, JsonNode batch) {
        ArrayNode a = JSON.arrayNode();
        a.add(batch == null ? JSON.nullNode() : batch.deepCopy());
        for (int i = 1; i < s.rank(); i++) {
            if (s.dim(i) == Shape.UNKNOWN) {
                a.addNull();
            } else {
                a.add(s.dim(i));
            }
        }
        return a;
    }

    /**
     * The batch size the model's input declares (a stateful model's is fixed; the runtime's shapes leave it
     * free, but Keras 3 writes it into every shape), or null.
     */
    static JsonNode declaredBatch(JsonNode layers) {
        for (JsonNode entry : layers) {
            JsonNode c = entry.path("config");
            for (String field : List.of("batch_shape", "batch_input_shape")) {
                JsonNode s = c.get(field);
                if (s != null && s.isArray() && !s.isEmpty()) {
                    return s.get(0).isNull() ? null : s.get(0);
                }
            }
            if ("InputLayer".equals(entry.path("class_name").asString(""))) {
                return null;
            }
        }
        return null;
    }
}
