package org.jkeras.keras.graph;

import java.util.List;
import org.jkeras.keras.Echo;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.Limit;
import org.jkeras.keras.config.ConfigNode;
import org.jkeras.keras.translate.LayerSpec;
import org.jkeras.keras.translate.TranslationContext;
import org.jkeras.keras.translate.TranslatorRegistry;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.graph.Port;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A model's layers that can be applied to ports of a graph under construction: how a nested model (a Sequential
 * or Functional used as a layer, to any depth) is inlined. Applying it twice (a shared nested model) applies the
 * same runtime layers twice, sharing their weights, as Keras does.
 */
interface NestedModel {
    /**
     * Applies the model's layers to {@code inputs} (one port per model input) and returns its output ports.
     *
     * @throws KerasImportException naming the file and layer when the inputs or a layer do not fit
     */
    List<Port> apply(ShapedGraph g, List<Port> inputs);

    /** True for the Keras classes of models, which appear as layers of nested models. */
    static boolean isModel(String cls) {
        return "Sequential".equals(cls) || "Functional".equals(cls) || "Model".equals(cls);
    }

    /**
     * The node index Keras 1/2 configs give a layer's first call: 1 for a model built on its own Input before it
     * was called (tf.keras's {@code _should_skip_first_node}: every Functional model, a Sequential whose first layer
     * is an InputLayer), whose own first node the config leaves out; 0 for every other layer. Keras 3 starts at 0.
     */
    static int firstNodeIndex(String cls, ConfigNode config) {
        if ("Functional".equals(cls) || "Model".equals(cls)) {
            return 1;
        }
        if ("Sequential".equals(cls)) {
            JsonNode layers = config.json().isArray() ? config.json() : config.json().get("layers");
            JsonNode first = layers == null || layers.isEmpty() ? null : layers.get(0);
            return first != null && TranslatorRegistry.isInputLayer(first.path("class_name").asString("")) ? 1 : 0;
        }
        return 0;
    }

    /**
     * The nested model of layer {@code spec}, whose layers find their weights where the file's format nests them
     * ({@link NestedWeights}) and are named {@code <spec name>/<layer name>}. A nested model saved with
     * {@code trainable=False} freezes all its layers, as in Keras.
     */
    static NestedModel of(LayerSpec spec, String file, TranslatorRegistry registry, TranslationContext ctx,
                          BuildTrace trace, int depth) {
        ctx.limits().check(Limit.MAX_NESTING_DEPTH, depth, ctx.fileName() + ": " + spec.describe()
                + ": models nested");
        // inlined, its layers would train as Keras trains them, but no Keras fit case proves it yet
        ctx.training().refuse(spec.describe() + ": training a model with a nested model is not supported yet");
        String prefix = spec.name() + "/";
        TranslationContext inner = ctx.withWeights(NestedWeights.of(ctx.weightSource(), spec.name(),
                spec.keras3Path(), prefix));
        JsonNode config = spec.config().json();
        if (!spec.config().bool("trainable", true)) {
            config = frozen(config);
        }
        ConfigNode c = new ConfigNode(config, file + ": nested model '" + Echo.of(spec.name()) + "' ("
                + Echo.of(spec.className()) + ")");
        if ("Sequential".equals(spec.className())) {
            return SequentialBuilder.nested(config, file, registry, inner, trace, prefix, depth);
        }
        if (!config.isObject()) {
            throw ctx.error(spec, "the config of a nested " + spec.className() + " must be an object");
        }
        return FunctionalBuilder.nested(c, file, registry, inner, trace, prefix, depth);
    }

    /** A copy of a model config whose layers all say {@code trainable: false}. */
    private static JsonNode frozen(JsonNode config) {
        JsonNode copy = config.deepCopy();
        JsonNode layers = copy.isArray() ? copy : copy.get("layers");
        if (layers != null && layers.isArray()) {
            for (JsonNode l : layers) {
                if (l.get("config") instanceof ObjectNode c) {
                    c.put("trainable", false);
                }
            }
        }
        return copy;
    }

    /** Throws unless a port of shape {@code actual} fits an input the nested model declares as {@code declared}. */
    static void requireFits(Shape declared, Shape actual, ConfigNode where) {
        boolean ok = declared.rank() == actual.rank();
        for (int d = 1; ok && d < declared.rank(); d++) {
            ok = declared.dim(d) == Shape.UNKNOWN || actual.dim(d) == Shape.UNKNOWN || declared.dim(d) == actual.dim(d);
        }
        if (!ok) {
            throw new KerasImportException(where.where() + ": declares input " + declared + " but is called on "
                    + actual);
        }
    }
}
