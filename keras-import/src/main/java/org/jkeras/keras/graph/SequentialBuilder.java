package org.jkeras.keras.graph;

import java.util.ArrayList;
import java.util.List;
import org.jkeras.keras.Echo;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.Limit;
import org.jkeras.keras.config.ConfigNode;
import org.jkeras.keras.translate.LayerSpec;
import org.jkeras.keras.translate.TranslationContext;
import org.jkeras.keras.translate.TranslatorRegistry;
import org.jkeras.runtime.Shape;
import org.jkeras.runtime.graph.Graph;
import org.jkeras.runtime.graph.Port;
import org.jkeras.runtime.layers.Layer;
import tools.jackson.databind.JsonNode;

/**
 * A Sequential model: a chain of layers, given as a bare list (Keras 1/2.0) or as
 * {@code {"name": ..., "layers": [...]}}. The input shape comes from a leading InputLayer, else
 * from the first layer's declared shape, else from {@code build_input_shape}.
 */
final class SequentialBuilder {
    private SequentialBuilder() {
    }

    static Graph build(JsonNode config, String file, TranslatorRegistry registry, TranslationContext ctx,
                       BuildTrace trace) {
        ConfigNode model = config.isObject() ? new ConfigNode(config, file + ": Sequential config") : null;
        List<JsonNode> layers;
        if (config.isArray()) {
            layers = new ArrayList<>(config.values());
        } else if (model != null) {
            layers = model.array("layers");
        } else {
            throw new KerasImportException(file + ": Sequential config must be a list or an object, got "
                    + ConfigNode.abbreviate(config));
        }
        if (layers.isEmpty()) {
            throw new KerasImportException(file + ": the Sequential model has no layers");
        }
        ctx.limits().check(Limit.MAX_LAYERS, layers.size(), file + ": the Sequential model");
        ShapedGraph g = new ShapedGraph();
        Keras3Paths paths = new Keras3Paths();
        int first = 0;
        Port port;
        ConfigNode head = layerConfig(layers.get(0), 0, file);
        String headClass = new ConfigNode(layers.get(0), file + ": layer #0").string("class_name");
        if (TranslatorRegistry.isInputLayer(headClass)) {
            port = g.input(head.string("name", "input"), InputShapes.of(head, ctx.limits()));
            trace.call(head.string("name", "input"), 0, null, List.of(g.shapeOf(port)));
            first = 1;
        } else if (InputShapes.declares(head)) {
            port = g.input(head.string("name", "layer") + "_input", InputShapes.of(head, ctx.limits()));
        } else if (model != null && model.has("build_input_shape")) {
            port = g.input(head.string("name", "layer") + "_input",
                    InputShapes.parse(model, "build_input_shape", model.array("build_input_shape"), true,
                            ctx.limits()));
        } else {
            throw new KerasImportException(file + ": the Sequential model declares no input shape (no InputLayer,"
                    + " no batch_input_shape/batch_shape/input_shape on its first layer, no build_input_shape)");
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        if (first == 1) {
            names.add(head.string("name", "input"));
        }
        for (int i = first; i < layers.size(); i++) {
            ConfigNode entry = new ConfigNode(layers.get(i), file + ": layer #" + i);
            String cls = entry.string("class_name");
            ConfigNode c = layerConfig(layers.get(i), i, file);
            String name = c.string("name", cls.toLowerCase(java.util.Locale.ROOT) + "_" + i);
            ConfigNode named = new ConfigNode(c.json(), file + ": layer '" + Echo.of(name) + "' (" + Echo.of(cls) + ")");
            if (!names.add(name)) {
                throw named.error("the name '" + Echo.of(name) + "' is used by two layers; Keras refuses such a model"
                        + " (layer names must be unique)");
            }
            if (TranslatorRegistry.isInputLayer(cls)) {
                throw named.error("an InputLayer is only allowed as the first layer of a Sequential model");
            }
            String registered = entry.has("registered_name") && entry.raw("registered_name").isString()
                    ? entry.string("registered_name") : null;
            LayerSpec spec = new LayerSpec(name, cls, named, paths.next(cls), registered);
            Shape in = g.shapeOf(port);
            Layer layer = registry.translate(spec, in, ctx);
            List<Port> out = apply(g, layer, port, spec, ctx);
            trace.call(name, 0, in, out.stream().map(g::shapeOf).toList());
            if (out.size() != 1) {
                throw ctx.error(spec, "has " + out.size() + " outputs (return_state=True, or Bidirectional"
                        + " merge_mode=None), which a Sequential model cannot pass on; use the functional API");
            }
            port = out.get(0);
        }
        return g.build(List.of(port));
    }

    static List<Port> apply(ShapedGraph g, Layer layer, Port input, LayerSpec spec, TranslationContext ctx) {
        return apply(g, layer, List.of(input), spec, ctx);
    }

    /** Applies a layer to its inputs, failing with the file and layer named when they do not fit it. */
    static List<Port> apply(ShapedGraph g, Layer layer, List<Port> inputs, LayerSpec spec, TranslationContext ctx) {
        try {
            return g.apply(layer, inputs);
        } catch (IllegalArgumentException e) {
            String shapes = inputs.size() == 1 ? g.shapeOf(inputs.get(0)).toString()
                    : inputs.stream().map(g::shapeOf).toList().toString();
            throw ctx.error(spec, "does not fit its input " + shapes + ": " + e.getMessage());
        }
    }

    private static ConfigNode layerConfig(JsonNode layer, int index, String file) {
        if (layer == null || !layer.isObject()) {
            throw new KerasImportException(file + ": layer #" + index + " must be an object, got "
                    + ConfigNode.abbreviate(layer));
        }
        return new ConfigNode(layer, file + ": layer #" + index).object("config", file + ": layer #" + index);
    }
}
