package org.jkeras.keras.translate;

import java.util.Set;
import java.util.TreeSet;
import org.jkeras.keras.Echo;
import org.jkeras.keras.config.ConfigNode;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The keyword arguments a Functional model's node records for one call of a layer that are not tensors (Keras 3:
 * the node's {@code kwargs}; Keras 2: the dict after each inbound tensor), e.g. Attention's
 * {@code use_causal_mask}. The translators of layers whose call arguments change what they compute read them here.
 *
 * @param values the arguments by name (an object node)
 * @param where  where they were found, for messages
 */
public record CallKwargs(JsonNode values, String where) {
    /** No keyword arguments. */
    public static final CallKwargs NONE = new CallKwargs(JsonNodeFactory.instance.objectNode(), "the call");

    /** An empty set to add to. */
    public static ObjectNode emptyObject() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** The argument's boolean value, {@code fallback} when it is absent or null. */
    public boolean bool(LayerSpec spec, TranslationContext ctx, String name, boolean fallback) {
        JsonNode v = values.get(name);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw ctx.error(spec, "call argument '" + name + "' in " + where + " is " + ConfigNode.abbreviate(v)
                    + ", expected true or false");
        }
        return v.booleanValue();
    }

    /** Refuses any argument (set to something other than null) outside {@code known}. */
    public void requireOnly(LayerSpec spec, TranslationContext ctx, Set<String> known) {
        Set<String> unknown = new TreeSet<>();
        for (var e : values.properties()) {
            if (!known.contains(e.getKey()) && !e.getValue().isNull()) {
                unknown.add(e.getKey());
            }
        }
        if (!unknown.isEmpty()) {
            throw ctx.error(spec, "is called with argument(s) " + Echo.of(String.join(", ", unknown)) + " in " + where
                    + ", which jkeras does not support (supported: " + String.join(", ", new TreeSet<>(known)) + ")");
        }
    }
}
