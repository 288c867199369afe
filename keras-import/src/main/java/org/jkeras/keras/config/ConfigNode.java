package org.jkeras.keras.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jkeras.keras.Echo;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.Limit;
import org.jkeras.keras.Limits;
import tools.jackson.databind.JsonNode;

/**
 * A JSON object from a Keras config together with where it sits (file and layer), so every
 * typed getter can fail with a message naming the file, the layer and the field.
 */
public final class ConfigNode {
    private final JsonNode node;
    private final String where;

    /**
     * Wraps an object node.
     *
     * @param where prefix for errors, e.g. {@code "model.h5: layer 'lstm' (LSTM)"}
     */
    public ConfigNode(JsonNode node, String where) {
        this.node = node;
        this.where = where;
    }

    /** The wrapped node. */
    public JsonNode json() {
        return node;
    }

    /** The error prefix naming the file and layer. */
    public String where() {
        return where;
    }

    /** An error naming this node's place and the field. */
    public KerasImportException error(String field, String problem) {
        return new KerasImportException(where + ": field '" + Echo.of(field) + "' " + problem);
    }

    /** An error naming this node's place. */
    public KerasImportException error(String problem) {
        return new KerasImportException(where + ": " + problem);
    }

    /** True when the field is present and not null. */
    public boolean has(String field) {
        return node.hasNonNull(field);
    }

    /** The raw child node, or null when absent or null. */
    public JsonNode raw(String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v;
    }

    /** The first of the given fields that is present (Keras renamed several between versions). */
    public Optional<String> firstPresent(String... fields) {
        for (String f : fields) {
            if (has(f)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** A required string field. */
    public String string(String field) {
        JsonNode v = raw(field);
        if (v == null) {
            throw error(field, "is missing");
        }
        if (!v.isString()) {
            throw error(field, "must be a string, got " + abbreviate(v));
        }
        return v.stringValue();
    }

    /** An optional string field. */
    public String string(String field, String fallback) {
        return has(field) ? string(field) : fallback;
    }

    /** A required boolean field. */
    public boolean bool(String field) {
        JsonNode v = raw(field);
        if (v == null) {
            throw error(field, "is missing");
        }
        if (!v.isBoolean()) {
            throw error(field, "must be true or false, got " + abbreviate(v));
        }
        return v.booleanValue();
    }

    /** An optional boolean field. */
    public boolean bool(String field, boolean fallback) {
        return has(field) ? bool(field) : fallback;
    }

    /** A required integer field within [min, max] (bounds refuse absurd sizes before anything is allocated). */
    public int integer(String field, int min, int max) {
        JsonNode v = raw(field);
        if (v == null) {
            throw error(field, "is missing");
        }
        if (!v.isIntegralNumber() && !(v.isFloatingPointNumber() && v.doubleValue() == Math.rint(v.doubleValue()))) {
            throw error(field, "must be an integer, got " + abbreviate(v));
        }
        double d = v.doubleValue();
        if (d < min || d > max) {
            throw error(field, "is " + abbreviate(v) + ", outside the supported range [" + min + ", " + max + "]");
        }
        return (int) d;
    }

    /**
     * A required integer field of at least {@code min} and at most the load's {@code limit}: a size that memory
     * will be allocated for, such as units or a dimension.
     *
     * @throws org.jkeras.keras.LimitExceededException when it is over the limit, naming it
     */
    public int integer(String field, int min, Limit limit, Limits limits) {
        JsonNode v = raw(field);
        if (v != null && v.isNumber() && v.doubleValue() > limits.get(limit)) {
            throw limits.exceeded(limit, (long) Math.min(Long.MAX_VALUE, v.doubleValue()),
                    where + ": field '" + Echo.of(field) + "'");
        }
        return integer(field, min, limits.getInt(limit));
    }

    /** An optional number field. */
    public double number(String field, double fallback) {
        JsonNode v = raw(field);
        if (v == null) {
            return fallback;
        }
        if (!v.isNumber()) {
            throw error(field, "must be a number, got " + abbreviate(v));
        }
        return v.doubleValue();
    }

    /** A required object field, wrapped with the given error prefix. */
    public ConfigNode object(String field, String childWhere) {
        JsonNode v = raw(field);
        if (v == null) {
            throw error(field, "is missing");
        }
        if (!v.isObject()) {
            throw error(field, "must be an object, got " + abbreviate(v));
        }
        return new ConfigNode(v, childWhere);
    }

    /** A required array field's elements. */
    public List<JsonNode> array(String field) {
        JsonNode v = raw(field);
        if (v == null) {
            throw error(field, "is missing");
        }
        if (!v.isArray()) {
            throw error(field, "must be a list, got " + abbreviate(v));
        }
        return new ArrayList<>(v.values());
    }

    /** Short text of a node for error messages. */
    public static String abbreviate(JsonNode v) {
        if (v != null && v.isString()) {
            return "\"" + Echo.cut(v.stringValue(), 117) + "\"";
        }
        String s = v != null && (v.isContainer() && v.size() > 64) ? v.getNodeType() + " of " + v.size() + " items"
                : String.valueOf(v);
        return s.length() > 120 ? s.substring(0, 117) + "..." : s;
    }
}
