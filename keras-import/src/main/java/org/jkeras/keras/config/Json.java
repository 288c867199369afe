package org.jkeras.keras.config;

import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.Limit;
import org.jkeras.keras.Limits;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON parser for Keras configs (which may hold NaN / Infinity, as Python writes them). A config is
 * untrusted, so parsing enforces Jackson's {@link StreamReadConstraints} from the load's {@link Limits}: nesting
 * depth ({@link Limit#MAX_JSON_DEPTH}), string and name length ({@link Limit#MAX_JSON_STRING_CHARS}), number
 * length ({@link Limit#MAX_JSON_NUMBER_CHARS}) and document length ({@link Limit#MAX_JSON_BYTES}); a document
 * past one fails with an error naming the limit.
 */
public final class Json {
    private static final Pattern FOUND = Pattern.compile("\\((\\d+)\\)");
    private static final JsonMapper MAPPER = mapper(Limits.defaults());
    private static final ConcurrentHashMap<String, JsonMapper> MAPPERS = new ConcurrentHashMap<>();

    private Json() {
    }

    private static JsonMapper mapper(Limits limits) {
        StreamReadConstraints constraints = StreamReadConstraints.builder()
                .maxNestingDepth(limits.getInt(Limit.MAX_JSON_DEPTH))
                .maxStringLength(limits.getInt(Limit.MAX_JSON_STRING_CHARS))
                .maxNameLength(limits.getInt(Limit.MAX_JSON_STRING_CHARS))
                .maxNumberLength(limits.getInt(Limit.MAX_JSON_NUMBER_CHARS))
                .maxDocumentLength(limits.get(Limit.MAX_JSON_BYTES))
                .build();
        JsonFactory factory = JsonFactory.builder().streamReadConstraints(constraints).build();
        return JsonMapper.builder(factory)
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                // Python's json writes NaN and Infinity bare; quoting them would turn numbers into strings
                .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
                .build();
    }

    private static JsonMapper mapperFor(Limits limits) {
        if (limits == Limits.defaults()) {
            return MAPPER;
        }
        String key = limits.get(Limit.MAX_JSON_DEPTH) + "/" + limits.get(Limit.MAX_JSON_STRING_CHARS) + "/"
                + limits.get(Limit.MAX_JSON_NUMBER_CHARS) + "/" + limits.get(Limit.MAX_JSON_BYTES);
        if (MAPPERS.size() > 64) {
            MAPPERS.clear(); // a cache, not a leak: callers rarely use more than a few settings
        }
        return MAPPERS.computeIfAbsent(key, k -> mapper(limits));
    }

    /** Parses a JSON document with the default limits. */
    public static JsonNode parse(String text, String what) {
        return parse(text, what, Limits.defaults());
    }

    /**
     * Parses a JSON document.
     *
     * @param what names the document in errors, e.g. {@code "model.keras: config.json"}
     * @throws KerasImportException when the text is not valid JSON or not an object
     * @throws org.jkeras.keras.LimitExceededException when it is deeper, or has longer strings or numbers, than
     *                                                 the limits allow
     */
    public static JsonNode parse(String text, String what, Limits limits) {
        limits.check(Limit.MAX_JSON_BYTES, text.length(), what);
        JsonNode node;
        try {
            node = mapperFor(limits).readTree(text);
        } catch (StreamConstraintsException e) {
            throw constraint(e, what, limits);
        } catch (JacksonException e) {
            throw new KerasImportException(what + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new KerasImportException(what + ": expected a JSON object at the top level");
        }
        return node;
    }

    private static KerasImportException constraint(StreamConstraintsException e, String what, Limits limits) {
        String m = String.valueOf(e.getOriginalMessage());
        Limit limit;
        if (m.contains("nesting depth")) {
            limit = Limit.MAX_JSON_DEPTH;
        } else if (m.contains("Number value length")) {
            limit = Limit.MAX_JSON_NUMBER_CHARS;
        } else if (m.contains("String value length") || m.contains("Name length")) {
            limit = Limit.MAX_JSON_STRING_CHARS;
        } else if (m.contains("Document length")) {
            limit = Limit.MAX_JSON_BYTES;
        } else {
            return new KerasImportException(what + ": refused by the JSON parser's limits: " + m, e);
        }
        Matcher f = FOUND.matcher(m);
        long found = f.find() ? Long.parseLong(f.group(1)) : limits.get(limit) + 1;
        KerasImportException out = limits.exceeded(limit, found, what);
        out.initCause(e);
        return out;
    }

    /** Writes a JSON document compactly, with NaN and Infinity bare as Python writes them. */
    public static String write(JsonNode node) {
        return MAPPER.writeValueAsString(node);
    }
}
