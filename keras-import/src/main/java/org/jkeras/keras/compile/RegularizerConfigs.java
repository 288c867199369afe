package org.jkeras.keras.compile;

import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.config.ConfigNode;
import org.jkeras.runtime.training.regularizer.L1;
import org.jkeras.runtime.training.regularizer.L1L2;
import org.jkeras.runtime.training.regularizer.L2;
import org.jkeras.runtime.training.regularizer.Regularizer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Regularizer configs (a layer's {@code kernel_regularizer} etc.) to runtime {@link Regularizer}s
 * and back: Keras 3 / tf.keras {@code {"class_name": "L2", "config": {"l2": 0.01}}} and
 * {@code L1}, {@code L1L2}; Keras 2's {@code L1L2} with both factors; Keras 1's
 * {@code {"name": "WeightRegularizer", "l1": ..., "l2": ...}}; and the strings Keras 3 accepts
 * ({@code "l1"}, {@code "l2"}: factor 0.01; {@code "l1l2"}, {@code "L1L2"}: both 0).
 */
public final class RegularizerConfigs {
    private static final String MODULE = "keras.regularizers";

    private RegularizerConfigs() {
    }

    /**
     * The regularizer a config describes, or null for a null / absent config (no regularizer).
     *
     * @param node a serialized regularizer ({@code L1}, {@code L2}, {@code L1L2}), or null
     * @param where names the place in errors, e.g. the layer and its {@code kernel_regularizer} field
     * @throws KerasImportException for an unsupported class or an invalid factor
     * @return a new regularizer, or null
     */
    public static Regularizer fromKeras(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            if (node.isString()) {
                return switch (node.stringValue()) {
                    case "l1", "L1" -> new L1(0.01);
                    case "l2", "L2" -> new L2(0.01);
                    case "l1l2", "L1L2", "l1_l2" -> new L1L2(0.0, 0.0);
                    default -> throw new KerasImportException(where + ": regularizer '" + node.stringValue()
                            + "' is not supported; supported: l1, l2, l1l2 (L1, L2, L1L2)");
                };
            }
            if (node.isObject() && !node.has("class_name") && node.has("name")) {
                // Keras 1: {"name": "WeightRegularizer", "l1": 0.0, "l2": 0.01}
                ConfigNode c = new ConfigNode(node, where);
                String name = c.string("name");
                if (!name.equals("WeightRegularizer") && !name.equals("L1L2Regularizer")) {
                    throw c.error("name", "is '" + name + "'; supported Keras 1 regularizers: WeightRegularizer,"
                            + " L1L2Regularizer");
                }
                return new L1L2(c.number("l1", 0.0), c.number("l2", 0.0));
            }
            KerasObject o = KerasObject.read(node, where);
            ConfigNode c = o.config();
            try {
                return switch (o.className()) {
                    case "L1", "l1" -> {
                        ScheduleConfigs.allow(c, "l1");
                        yield new L1(c.has("l1") ? c.number("l1", 0.01) : 0.01);
                    }
                    case "L2", "l2" -> {
                        ScheduleConfigs.allow(c, "l2");
                        yield new L2(c.has("l2") ? c.number("l2", 0.01) : 0.01);
                    }
                    case "L1L2", "l1l2", "L1L2Regularizer" -> {
                        ScheduleConfigs.allow(c, "l1", "l2");
                        yield new L1L2(c.number("l1", 0.0), c.number("l2", 0.0));
                    }
                    default -> throw new KerasImportException(o.where() + ": regularizer '" + o.className()
                            + "' is not supported; supported: L1, L2, L1L2");
                };
            } catch (IllegalArgumentException e) {
                throw o.refuse(e);
            }
        } catch (IllegalArgumentException e) {
            throw new KerasImportException(where + ": " + e.getMessage(), e);
        }
    }

    /**
     * The Keras 3 serialized config. Keras stores L1's factor as a float32 tensor and writes it back
     * rounded ({@code L1(0.01)} serializes {@code l1: 0.009999999776482582}); this does the same.
     *
     * @param r the regularizer to write
     * @return a new JSON object in Keras's {@code serialize_keras_object} form
     */
    public static ObjectNode toKerasConfig(Regularizer r) {
        ObjectNode c = KerasObject.JSON.objectNode();
        switch (r) {
            case L1 l -> c.put("l1", (double) (float) l.l1());
            case L2 l -> c.put("l2", l.l2());
            case L1L2 l -> {
                c.put("l1", l.l1());
                c.put("l2", l.l2());
            }
            default -> throw new IllegalArgumentException("no Keras config for regularizer " + r.kind());
        }
        return KerasObject.serialized(MODULE, r.kind(), c);
    }
}
