package org.jkeras.keras.compile;

import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.config.ConfigNode;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A serialized Keras object: {@code {"module", "class_name", "config", "registered_name"}} (Keras 3)
 * or {@code {"class_name", "config"}} (Keras 1/2, tf.keras, whose custom-registered built-ins read
 * {@code "Custom>Adam"}).
 *
 * @param className the class name without a {@code Custom>} prefix
 * @param config    the object's config (empty when absent)
 * @param where     where the object sits, for errors
 */
record KerasObject(String className, ConfigNode config, String where) {
    static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /**
     * Reads {@code node} as a serialized object.
     *
     * @throws KerasImportException when it is not an object with a string {@code class_name}
     */
    static KerasObject read(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new KerasImportException(where + ": expected a serialized Keras object {\"class_name\": ..., "
                    + "\"config\": ...}, got " + ConfigNode.abbreviate(node));
        }
        ConfigNode outer = new ConfigNode(node, where);
        String cls = outer.string("class_name");
        if (cls.startsWith("Custom>")) {
            cls = cls.substring("Custom>".length());
        }
        JsonNode cfg = outer.raw("config");
        if (cfg != null && !cfg.isObject()) {
            throw outer.error("config", "must be an object, got " + ConfigNode.abbreviate(cfg));
        }
        String inner = where + " (" + cls + ")";
        return new KerasObject(cls, new ConfigNode(cfg == null ? JSON.objectNode() : cfg, inner), inner);
    }

    /** The Keras 3 serialized form {@code {"module", "class_name", "config", "registered_name": null}}. */
    static ObjectNode serialized(String module, String className, JsonNode config) {
        ObjectNode o = JSON.objectNode();
        o.put("module", module);
        o.put("class_name", className);
        o.set("config", config);
        o.putNull("registered_name");
        return o;
    }

    /** An optional number field: null when absent or null. */
    static Double optionalNumber(ConfigNode c, String field) {
        return c.has(field) ? c.number(field, 0) : null;
    }

    /** Puts a Double or null. */
    static void putNullable(ObjectNode o, String field, Double v) {
        if (v == null) {
            o.putNull(field);
        } else {
            o.put(field, v);
        }
    }

    /** Puts an integral value as an integer (Keras writes its step counts as Python ints), else as a number. */
    static void putStep(ObjectNode o, String field, double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            o.put(field, (long) v);
        } else {
            o.put(field, v);
        }
    }

    /** Rethrows a runtime validation error with this object's place. */
    KerasImportException refuse(IllegalArgumentException e) {
        return new KerasImportException(where + ": " + e.getMessage(), e);
    }
}
