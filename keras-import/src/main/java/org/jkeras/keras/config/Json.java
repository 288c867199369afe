package org.jkeras.keras.config;

import org.jkeras.keras.KerasImportException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The one JSON parser for Keras configs (which may hold NaN / Infinity, as Python writes them). */
public final class Json {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            // Python's json writes NaN and Infinity bare; quoting them would turn numbers into strings
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .build();

    private Json() {
    }

    /**
     * Parses a JSON document.
     *
     * @param what names the document in errors, e.g. {@code "model.keras: config.json"}
     * @throws KerasImportException when the text is not valid JSON or not an object
     */
    public static JsonNode parse(String text, String what) {
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JacksonException e) {
            throw new KerasImportException(what + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new KerasImportException(what + ": expected a JSON object at the top level");
        }
        return node;
    }

    /** Writes a JSON document compactly, with NaN and Infinity bare as Python writes them. */
    public static String write(JsonNode node) {
        return MAPPER.writeValueAsString(node);
    }
}
