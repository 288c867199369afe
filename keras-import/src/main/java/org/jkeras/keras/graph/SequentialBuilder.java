package org.jkeras.keras.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jkeras.keras.Echo;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.Limit;
import org.jkeras.keras.config.ConfigNode;
import org.jkeras.keras.translate.LayerSpec;
import org.jkeras.keras.translate.TranslationContext;
import org.jkeras.keras.translate.TranslatorRegistry;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.graph.Graph;
import org.jkeras.runtime.graph.Port;
import org.jkeras.runtime.layers.Layer;
import tools.jackson.databind.JsonNode;

/**
 * A Sequential model: a chain of layers, given as a bare list (Keras 1/2.0) or as
 * {@code {"name": ..., "layers": [...]}}. The input shape comes from a leading InputLayer, else
 * from the first layer's declared shape, else from {@code build_input_shape}. A layer of the chain may itself be a
 * model (nested, see {@link NestedModel}); a Sequential used as a layer applies its chain to the port it is called
 * on, its layers named {@code <model name>/<layer name>}.
 */
final class SequentialBuilder implements NestedModel {
    private final ConfigNode model; // null for a bare list
    private final List<JsonNode> layers;
    private final String file;
    private final TranslatorRegistry registry;
    private final TranslationContext ctx;
    private final BuildTrace trace;
    private final String prefix;
    private final int depth;
    private final String what; // "the Sequential model" or "nested model 'name' (Sequential)", for messages
    private final List<String> paths = new ArrayList<>(); // per layer: its Keras 3 path
    private final Map<Integer, Layer> translated = new HashMap<>();
    private final Map<Integer, NestedModel> nested = new HashMap<>();

    private SequentialBuilder(JsonNode config, String file, TranslatorRegistry registry, TranslationContext ctx,
                              BuildTrace trace, String prefix, int depth) {
        this.what = prefix.isEmpty() ? "the Sequential model"
                : "nested model '" + Echo.of(prefix.substring(0, prefix.length() - 1)) + "' (Sequential)";
        this.model = config.isObject() ? new ConfigNode(config, file + ": " + (prefix.isEmpty() ? "Sequential config"
                : this.what)) : null;
        if (config.isArray()) {
            this.layers = new ArrayList<>(config.values());
        } else if (model != null) {
            this.layers = model.array("layers");
        } else {
            throw new KerasImportException(file + ": Sequential config must be a list or an object, got "
                    + ConfigNode.abbreviate(config));
        }
        if (layers.isEmpty()) {
            throw new KerasImportException(file + ": " + what + " has no layers");
        }
        ctx.limits().check(Limit.MAX_LAYERS, layers.size(), file + ": the Sequential model");
        this.file = file;
        this.registry = registry;
        this.ctx = ctx;
        this.trace = trace;
        this.prefix = prefix;
        this.depth = depth;
        Keras3Paths keras3 = new Keras3Paths();
        for (int i = 0; i < layers.size(); i++) {
            String cls = new ConfigNode(layerObject(i), file + ": layer #" + i).string("class_name");
            paths.add(i == 0 && TranslatorRegistry.isInputLayer(cls) ? null : keras3.next(cls));
        }
    }

    /** Builds a top-level Sequential model. */
    static Graph build(JsonNode config, String file, TranslatorRegistry registry, TranslationContext ctx,
                       BuildTrace trace) {
        SequentialBuilder s = new SequentialBuilder(config, file, registry, ctx, trace, "", 0);
        ShapedGraph g = new ShapedGraph();
        ConfigNode head = s.layerConfig(0);
        Port port;
        if (s.startsWithInputLayer()) {
            port = g.input(head.string("name", "input"), InputShapes.of(head, ctx.limits()));
            trace.call(head.string("name", "input"), 0, null, List.of(g.shapeOf(port)));
        } else if (InputShapes.declares(head)) {
            port = g.input(head.string("name", "layer") + "_input", InputShapes.of(head, ctx.limits()));
        } else if (s.model != null && s.model.has("build_input_shape")) {
            port = g.input(head.string("name", "layer") + "_input",
                    InputShapes.parse(s.model, "build_input_shape", s.model.array("build_input_shape"), true,
                            ctx.limits()));
        } else {
            throw new KerasImportException(file + ": the Sequential model declares no input shape (no InputLayer,"
                    + " no batch_input_shape/batch_shape/input_shape on its first layer, no build_input_shape)");
        }
        return g.build(s.apply(g, List.of(port)));
    }

    /** A Sequential model used as a layer of another, its layers named {@code prefix + name}. */
    static SequentialBuilder nested(JsonNode config, String file, TranslatorRegistry registry, TranslationContext ctx,
                                    BuildTrace trace, String prefix, int depth) {
        return new SequentialBuilder(config, file, registry, ctx, trace, prefix, depth);
    }

    private boolean startsWithInputLayer() {
        return paths.get(0) == null;
    }

    @Override
    public List<Port> apply(ShapedGraph g, List<Port> inputs) {
        if (inputs.size() != 1) {
            throw new KerasImportException(file + ": " + what + " takes one input, called on "
                    + inputs.size());
        }
        Port port = inputs.get(0);
        int first = 0;
        Set<String> names = new HashSet<>();
        if (startsWithInputLayer()) {
            if (!prefix.isEmpty()) {
                NestedModel.requireFits(InputShapes.of(layerConfig(0), ctx.limits()), g.shapeOf(port), layerConfig(0));
            }
            first = 1;
            names.add(layerConfig(0).string("name", "input"));
        } else if (!prefix.isEmpty() && InputShapes.declares(layerConfig(0))) {
            NestedModel.requireFits(InputShapes.of(layerConfig(0), ctx.limits()), g.shapeOf(port), layerConfig(0));
        }
        for (int i = first; i < layers.size(); i++) {
            ConfigNode entry = new ConfigNode(layerObject(i), file + ": layer #" + i);
            String cls = entry.string("class_name");
            ConfigNode c = layerConfig(i);
            String simple = c.string("name", cls.toLowerCase(java.util.Locale.ROOT) + "_" + i);
            String name = prefix + simple;
            ConfigNode named = new ConfigNode(c.json(), file + ": layer '" + Echo.of(name) + "' (" + Echo.of(cls)
                    + ")");
            if (!names.add(simple)) {
                throw named.error("the name '" + Echo.of(simple) + "' is used by two layers; Keras refuses such a"
                        + " model (layer names must be unique)");
            }
            if (TranslatorRegistry.isInputLayer(cls)) {
                throw named.error("an InputLayer is only allowed as the first layer of a Sequential model");
            }
            String registered = entry.has("registered_name") && entry.raw("registered_name").isString()
                    ? entry.string("registered_name") : null;
            LayerSpec spec = new LayerSpec(name, cls, named, paths.get(i), registered);
            Shape in = g.shapeOf(port);
            List<Port> out;
            if (NestedModel.isModel(cls)) {
                int at = i;
                out = nested.computeIfAbsent(i, k -> NestedModel.of(spec, file, registry, ctx, trace.nested(),
                        depth + 1))
                        .apply(g, List.of(port));
                trace.call(c.string("name", name), 0, in, out.stream().map(g::shapeOf).toList());
                if (out.size() != 1) {
                    throw ctx.error(spec, "has " + out.size() + " outputs, which a Sequential model cannot pass on"
                            + " (layer #" + at + ")");
                }
            } else {
                Layer layer = translated.get(i);
                if (layer == null) {
                    layer = registry.translate(spec, in, ctx);
                    translated.put(i, layer);
                }
                out = apply(g, layer, port, spec, ctx);
                trace.call(name, 0, in, out.stream().map(g::shapeOf).toList());
            }
            if (out.size() != 1) {
                throw ctx.error(spec, "has " + out.size() + " outputs (return_state=True, or Bidirectional"
                        + " merge_mode=None), which a Sequential model cannot pass on; use the functional API");
            }
            port = out.get(0);
        }
        return List.of(port);
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

    private JsonNode layerObject(int index) {
        JsonNode layer = layers.get(index);
        if (layer == null || !layer.isObject()) {
            throw new KerasImportException(file + ": layer #" + index + " must be an object, got "
                    + ConfigNode.abbreviate(layer));
        }
        return layer;
    }

    private ConfigNode layerConfig(int index) {
        return new ConfigNode(layerObject(index), file + ": layer #" + index).object("config", file + ": layer #"
                + index);
    }
}
