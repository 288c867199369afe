package org.jkeras.keras.graph;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jkeras.keras.Echo;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.config.ConfigNode;
import org.jkeras.keras.custom.CustomLayerTranslator;
import org.jkeras.keras.format.ModelSource;
import org.jkeras.keras.save.KerasOrigin;
import org.jkeras.keras.convert.OriginCapture;
import org.jkeras.keras.translate.CustomLayers;
import org.jkeras.keras.translate.KerasObjects;
import org.jkeras.keras.translate.TranslationContext;
import org.jkeras.keras.translate.TranslatorRegistry;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.graph.Graph;
import tools.jackson.databind.JsonNode;

/**
 * Builds a runtime {@link Model} from an opened model source, dispatching on the top-level class. The
 * model's origin is a {@link KerasOrigin}, so it can be saved back as Keras 3.
 */
public final class ModelBuilder {
    private static final TranslatorRegistry REGISTRY = new TranslatorRegistry();

    private ModelBuilder() {
    }

    /**
     * Translates the model.
     *
     * @param sourceName the {@code source} metadata value (the file name)
     */
    public static Model build(ModelSource source, String sourceName) {
        return build(source, sourceName, java.util.Map.of());
    }

    /**
     * Translates the model, with the user's implementations of custom Keras layer classes.
     *
     * @param customLayers translators keyed by registered name or class name
     */
    public static Model build(ModelSource source, String sourceName,
                              Map<String, CustomLayerTranslator> customLayers) {
        String file = source.fileName();
        ConfigNode top = new ConfigNode(source.config(), file + ": model config");
        String cls = top.string("class_name");
        TranslationContext ctx = new TranslationContext(file, source.version(), source.weights(), source.limits());
        KerasObjects.refuseCustom(source.config(), file, customLayers.keySet());
        TranslatorRegistry registry = customLayers.isEmpty() ? REGISTRY : new TranslatorRegistry(CustomLayers.adaptAll(customLayers));
        JsonNode config = top.raw("config");
        if (config == null) {
            throw top.error("config", "is missing");
        }
        BuildTrace trace = new BuildTrace();
        Graph graph = switch (cls) {
            case "Sequential" -> SequentialBuilder.build(config, file, registry, ctx, trace);
            case "Functional", "Model" -> {
                if (!config.isObject()) {
                    throw top.error("config", "must be an object for a " + cls + " model");
                }
                yield FunctionalBuilder.build(new ConfigNode(config, file + ": model config"), file, registry, ctx,
                        trace);
            }
            default -> throw new KerasImportException(file + ": the top-level class " + Echo.of(cls)
                    + " is not a model jkeras can import (expected Sequential, Functional or Model)");
        };
        Map<String, String> meta = new LinkedHashMap<>(source.metadata());
        if (!meta.containsKey("keras_version")) {
            meta.put("keras_version_inferred", source.version().toString());
        }
        meta.putAll(ctx.notes());
        meta.put("source", sourceName);
        KerasOrigin origin = OriginCapture.capture(source.config(), meta.get("format"), meta.get("keras_version"),
                source.version(), trace, new Model(graph, meta).layers(), file);
        var limits = source.limits();
        Model model = new Model(graph, meta, origin).withInputLimits(new org.jkeras.runtime.tensor.InputLimits(
                limits.get(org.jkeras.keras.Limit.MAX_INPUT_BATCH), limits.get(org.jkeras.keras.Limit.MAX_INPUT_TIMESTEPS),
                limits.get(org.jkeras.keras.Limit.MAX_TENSOR_ELEMENTS)));
        return model.withTrainingDefaults(TrainingDefaultsReader.read(model, source.compileConfig(), ctx.training(),
                file));
    }
}
