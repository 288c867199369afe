package org.jkeras.keras.convert;

import org.jkeras.keras.save.LayerSlot;
import org.jkeras.keras.save.KerasOrigin;
import java.util.ArrayList;
import java.util.List;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.KerasVersion;
import org.jkeras.keras.graph.BuildTrace;
import org.jkeras.runtime.layers.Layer;
import tools.jackson.databind.JsonNode;

/**
 * Records, while a model is imported, what saving it back needs ({@link KerasOrigin}). It never fails an
 * import: a config that cannot be written as Keras 3 becomes the origin's {@code refusal}, which
 * {@code save} reports.
 */
public final class OriginCapture {
    private OriginCapture() {
    }

    /**
     * The origin of a translated model.
     *
     * @param config  the source's model config ({@code {"class_name", "config"}})
     * @param format  the source format id
     * @param recorded the Keras version the file records, or null
     * @param version  the Keras version the model was translated as
     * @param trace    what the translation noted, for the Keras 3 conversion's refusals
     * @param layers  the model's runtime layers
     * @param file     names the source in messages
     * @return the origin: the Keras 3 config and weight layout, or why saving as Keras 3 is refused
     */
    public static KerasOrigin capture(JsonNode config, String format, String recorded, KerasVersion version,
                                      BuildTrace trace, List<Layer> layers, String file) {
        JsonNode keras3 = null;
        String refusal = null;
        try {
            keras3 = Keras3Form.of(config, version, trace, file);
        } catch (KerasImportException e) {
            refusal = e.getMessage();
        } catch (RuntimeException e) {
            // a config shape the converter did not foresee must not stop the model from loading
            refusal = file + ": the config cannot be converted to Keras 3 (" + e + ")";
        }
        List<LayerSlot> slots;
        try {
            slots = WeightLayout.of(layerList(keras3 != null ? keras3 : config), isSequential(config), layers, file);
        } catch (RuntimeException e) {
            slots = List.of();
            keras3 = null;
            refusal = e instanceof KerasImportException ? e.getMessage()
                    : file + ": the weight layout cannot be derived (" + e + ")";
        }
        JsonNode compile = keras3 == null ? null : keras3.get("compile_config");
        if (compile != null && (!compile.isObject() || compile.isEmpty())) {
            compile = null;
        }
        return new KerasOrigin(format, recorded, version.major(), keras3, refusal, slots, compile);
    }

    static boolean isSequential(JsonNode top) {
        return "Sequential".equals(top.path("class_name").asString(""));
    }

    /** The layer entries of a model config: a Sequential may be a bare list (Keras 2.0). */
    static List<JsonNode> layerList(JsonNode top) {
        JsonNode c = top.path("config");
        JsonNode list = c.isArray() ? c : c.path("layers");
        List<JsonNode> out = new ArrayList<>();
        if (list.isArray()) {
            list.values().forEach(out::add);
        }
        return out;
    }
}
