package org.jkeras.keras.convert;

import static org.jkeras.keras.convert.Keras3Form.JSON;

import java.util.ArrayList;
import java.util.List;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.KerasVersion;
import org.jkeras.keras.graph.BuildTrace;
import org.jkeras.runtime.tensor.Shape;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Converts a Keras 2 / tf.keras model config into the config Keras 3 writes for the same model.
 * Keras 3's own legacy loader does not do this (it fails on e.g. {@code time_major}), so the model
 * level is rebuilt here the way Keras 3 serializes it: a Sequential gets an explicit InputLayer
 * carrying the declared batch shape; a Functional's inbound nodes become {@code args}/{@code kwargs}
 * with {@code __keras_tensor__} entries; every layer entry gets {@code module}, {@code registered_name}
 * and (for layers with a build) {@code build_config}. Layers are converted by {@link Keras2Layers}.
 */
final class Keras2Converter {
    private final String file;
    private final BuildTrace trace;
    private final Keras2Layers layers;
    private JsonNode batch;

    Keras2Converter(String file, KerasVersion version, BuildTrace trace) {
        this.file = file;
        this.trace = trace;
        this.layers = new Keras2Layers(file, version);
    }

    ObjectNode convert(ObjectNode top) {
        String cls = top.path("class_name").asString("");
        JsonNode config = top.get("config");
        if ("Sequential".equals(cls)) {
            return sequential(config);
        }
        if ("Functional".equals(cls) || "Model".equals(cls)) {
            if (config == null || !config.isObject()) {
                throw new KerasImportException(file + ": the " + cls + " config must be an object");
            }
            return functional((ObjectNode) config);
        }
        throw new KerasImportException(file + ": a " + cls + " model cannot be converted to Keras 3");
    }

    private ObjectNode sequential(JsonNode config) {
        List<JsonNode> entries = new ArrayList<>();
        String name = "sequential";
        if (config != null && config.isArray()) {
            config.values().forEach(entries::add);
        } else if (config != null && config.isObject() && config.path("layers").isArray()) {
            config.get("layers").values().forEach(entries::add);
            name = config.path("name").asString(name);
        } else {
            throw new KerasImportException(file + ": the Sequential config has no layer list");
        }
        if (entries.isEmpty()) {
            throw new KerasImportException(file + ": the Sequential model has no layers");
        }
        ArrayNode out = JSON.arrayNode();
        JsonNode head = entries.get(0);
        JsonNode headConfig = head.path("config");
        int first = 0;
        ObjectNode input;
        if ("InputLayer".equals(head.path("class_name").asString(""))) {
            input = layers.inputLayer(headConfig);
            first = 1;
        } else {
            // Keras 2 put the input shape on the first layer; Keras 3 wants an InputLayer in front.
            JsonNode shape = headConfig.get("batch_input_shape");
            if (shape == null && config.isObject()) {
                shape = config.get("build_input_shape");
            }
            if (shape == null || !shape.isArray()) {
                throw new KerasImportException(file + ": the Sequential model declares no batch_input_shape on its"
                        + " first layer, so no Keras 3 InputLayer can be written");
            }
            ObjectNode c = JSON.objectNode();
            c.set("batch_input_shape", shape);
            c.put("dtype", "float32");
            c.put("sparse", false);
            c.put("ragged", false);
            c.put("name", headConfig.path("name").asString("layer") + "_input");
            input = layers.inputLayer(c);
        }
        batch = input.path("batch_shape").path(0);
        batch = batch.isNull() || batch.isMissingNode() ? null : batch;
        out.add(entry("InputLayer", input, null));
        for (int i = first; i < entries.size(); i++) {
            JsonNode e = entries.get(i);
            String cls = e.path("class_name").asString("");
            out.add(entry(Keras2Layers.keras3Class(cls), layers.convert(e), null));
        }
        ObjectNode c = JSON.objectNode();
        c.put("name", name);
        c.put("trainable", config.isObject() ? config.path("trainable").asBoolean(true) : true);
        c.set("layers", out);
        c.set("build_input_shape", input.get("batch_shape").deepCopy());
        ObjectNode top = JSON.objectNode();
        top.put("module", "keras");
        top.put("class_name", "Sequential");
        top.set("config", c);
        top.putNull("registered_name");
        top.set("build_config", Keras3Form.modelBuildConfig(true, c));
        top.set("compile_config", JSON.objectNode());
        return top;
    }

    private ObjectNode functional(ObjectNode config) {
        JsonNode entries = config.path("layers");
        if (!entries.isArray()) {
            throw new KerasImportException(file + ": the Functional config has no 'layers' list");
        }
        batch = Keras3Form.declaredBatch(entries);
        ArrayNode out = JSON.arrayNode();
        for (JsonNode e : entries) {
            String cls = e.path("class_name").asString("");
            ObjectNode converted = "InputLayer".equals(cls) ? layers.inputLayer(e.path("config")) : layers.convert(e);
            String name = e.hasNonNull("name") ? e.get("name").asString() : converted.path("name").asString();
            ObjectNode entry = entry(Keras2Layers.keras3Class(cls), converted, name);
            entry.put("name", name);
            boolean recurrent = org.jkeras.keras.translate.TranslatorRegistry.takesInitialState(cls);
            entry.set("inbound_nodes", inbound(e.path("inbound_nodes"), name, recurrent));
            if (recurrent && entry.path("inbound_nodes").path(0).path("kwargs").has("initial_state")) {
                entry.set("build_config", statesBuildConfig(entry.path("inbound_nodes").path(0)));
            }
            out.add(entry);
        }
        ObjectNode c = JSON.objectNode();
        c.put("name", config.path("name").asString("model"));
        c.put("trainable", config.path("trainable").asBoolean(true));
        c.set("layers", out);
        c.set("input_layers", endpoints(config.get("input_layers"), "input_layers"));
        c.set("output_layers", endpoints(config.get("output_layers"), "output_layers"));
        ObjectNode top = JSON.objectNode();
        top.put("module", "keras.src.models.functional");
        top.put("class_name", "Functional");
        top.set("config", c);
        top.put("registered_name", "Functional");
        top.set("build_config", Keras3Form.modelBuildConfig(false, c));
        top.set("compile_config", JSON.objectNode());
        return top;
    }

    /** {@code {"module", "class_name", "config", "registered_name", "build_config"}} in Keras's key order. */
    private ObjectNode entry(String cls, ObjectNode config, String functionalName) {
        ObjectNode e = JSON.objectNode();
        e.put("module", "keras.layers");
        e.put("class_name", cls);
        e.set("config", config);
        e.putNull("registered_name");
        String name = functionalName != null ? functionalName : config.path("name").asString("");
        ObjectNode built = Keras3Form.buildConfigFor(cls, name, trace, batch);
        if (built != null) {
            e.set("build_config", built);
            if (!Keras3Form.LIST_INPUT.contains(cls)) { // wrappers: their inner layers' build_config too
                layers.addNestedBuildConfigs(cls, config, trace.inputShape(name), batch);
            }
        }
        return e;
    }

    /**
     * Keras 3's build config of a recurrent layer called with initial states:
     * {@code {"shapes_dict": {"sequences_shape": ..., "initial_state_shape": [...]}}}.
     */
    private static ObjectNode statesBuildConfig(JsonNode node) {
        ObjectNode shapes = JSON.objectNode();
        shapes.set("sequences_shape", node.path("args").path(0).path("config").path("shape").deepCopy());
        ArrayNode states = JSON.arrayNode();
        for (JsonNode t : node.path("kwargs").path("initial_state")) {
            states.add(t.path("config").path("shape").deepCopy());
        }
        shapes.set("initial_state_shape", states);
        ObjectNode bc = JSON.objectNode();
        bc.set("shapes_dict", shapes);
        return bc;
    }

    /**
     * Keras 2 nodes {@code [[name, node, tensor, kwargs], ...]} as Keras 3 {@code args}/{@code kwargs}; for a
     * recurrent layer the tensors after the sequence are its {@code initial_state}.
     */
    private ArrayNode inbound(JsonNode nodes, String layer, boolean recurrent) {
        ArrayNode out = JSON.arrayNode();
        if (!nodes.isArray()) {
            return out;
        }
        for (JsonNode node : nodes) {
            if (!node.isArray() || node.isEmpty()) {
                throw new KerasImportException(file + ": layer '" + layer + "': inbound node " + node
                        + " is not a list of [layer, node, tensor, kwargs]");
            }
            ArrayNode tensors = JSON.arrayNode();
            JsonNode kwargs = JSON.objectNode();
            for (JsonNode ref : node) {
                tensors.add(kerasTensor(ref, layer));
                if (ref.size() > 3 && ref.get(3).isObject()) {
                    kwargs = ref.get(3).deepCopy();
                }
            }
            if (kwargs.isObject() && kwargs.has("constants")) {
                // tf.keras 2's Bidirectional records constants=None; Keras 3's RNN layers take no constants
                if (!kwargs.get("constants").isNull()) {
                    throw new KerasImportException(file + ": layer '" + layer + "': inbound node passes 'constants',"
                            + " which Keras 3 recurrent layers do not accept; the model cannot be written as Keras 3");
                }
                ((ObjectNode) kwargs).remove("constants");
            }
            ObjectNode n = JSON.objectNode();
            ArrayNode args = JSON.arrayNode();
            if (recurrent && tensors.size() > 1) {
                ArrayNode states = JSON.arrayNode();
                for (int i = 1; i < tensors.size(); i++) {
                    states.add(tensors.get(i));
                }
                ObjectNode kw = kwargs.isObject() ? (ObjectNode) kwargs : JSON.objectNode();
                kw.set("initial_state", states);
                kwargs = kw;
                tensors = JSON.arrayNode().add(tensors.get(0));
            }
            args.add(tensors.size() == 1 ? tensors.get(0) : tensors);
            n.set("args", args);
            n.set("kwargs", kwargs);
            out.add(n);
        }
        return out;
    }

    private ObjectNode kerasTensor(JsonNode ref, String layer) {
        if (!ref.isArray() || ref.size() < 3 || !ref.get(0).isString() || !ref.get(1).isIntegralNumber()
                || !ref.get(2).isIntegralNumber()) {
            throw new KerasImportException(file + ": layer '" + layer + "': inbound tensor " + ref
                    + " is not [layer, node, tensor, ...]");
        }
        String from = ref.get(0).asString();
        List<Shape> shapes = trace.outputShapes(from, ref.get(1).asInt());
        int t = ref.get(2).asInt();
        if (shapes == null || t < 0 || t >= shapes.size()) {
            throw new KerasImportException(file + ": layer '" + layer + "': no shape is known for its input " + ref);
        }
        ObjectNode c = JSON.objectNode();
        c.set("shape", Keras3Form.shape(shapes.get(t), batch));
        c.put("dtype", "float32");
        ArrayNode history = JSON.arrayNode();
        history.add(from);
        history.add(ref.get(1).asInt());
        history.add(t);
        c.set("keras_history", history);
        ObjectNode kt = JSON.objectNode();
        kt.put("class_name", "__keras_tensor__");
        kt.set("config", c);
        return kt;
    }

    /** Keras 3 writes one endpoint as {@code [name, node, tensor]} and several as a list of them. */
    private JsonNode endpoints(JsonNode v, String field) {
        if (v == null || !v.isArray() || v.isEmpty()) {
            throw new KerasImportException(file + ": the Functional config's '" + field + "' is missing or empty");
        }
        if (v.get(0).isArray()) {
            ArrayNode list = JSON.arrayNode();
            for (JsonNode ref : v) {
                list.add(triple(ref, field));
            }
            return list.size() == 1 ? list.get(0) : list;
        }
        return triple(v, field);
    }

    private JsonNode triple(JsonNode ref, String field) {
        if (ref.size() < 3) {
            throw new KerasImportException(file + ": the Functional config's '" + field + "' entry " + ref
                    + " is not [layer, node, tensor]");
        }
        ArrayNode a = JSON.arrayNode();
        a.add(ref.get(0));
        a.add(ref.get(1));
        a.add(ref.get(2));
        return a;
    }
}
