package org.jkeras.keras.translate;

import org.jkeras.keras.Echo;
import org.jkeras.keras.Limit;
import org.jkeras.keras.Limits;
import org.jkeras.keras.config.ConfigNode;
import tools.jackson.databind.JsonNode;

/**
 * Config fields Keras writes as an int or as a list of ints (Keras 3 writes {@code kernel_size: [3]} where
 * tf.keras 2 wrote {@code 3}; axes may be {@code -1} or {@code [1, 2]}), read with bounds.
 */
final class IntLists {
    /** Most entries accepted in one such list (a config is untrusted). */
    static final int MAX_LENGTH = 16;

    private IntLists() {
    }

    /**
     * The ints of {@code field}: one for a number, each entry for a list.
     *
     * @param fallback returned when the field is absent or null
     */
    static int[] of(ConfigNode c, String field, int[] fallback, int min, int max) {
        JsonNode v = c.raw(field);
        if (v == null) {
            return fallback;
        }
        if (v.isNumber()) {
            return new int[] {c.integer(field, min, max)};
        }
        if (!v.isArray() || v.size() > MAX_LENGTH) {
            throw c.error(field, "must be an integer or a list of at most " + MAX_LENGTH + " integers, got "
                    + ConfigNode.abbreviate(v));
        }
        int[] out = new int[v.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode e = v.get(i);
            if (!e.isIntegralNumber() || e.longValue() < min || e.longValue() > max) {
                throw c.error(field, "has entry " + e + ", expected an integer in [" + min + ", " + max + "]");
            }
            out[i] = e.intValue();
        }
        return out;
    }

    /**
     * The ints of {@code field}, each at most the load's {@code limit}: sizes memory is allocated from.
     *
     * @throws org.jkeras.keras.LimitExceededException when an entry is over the limit, naming it
     */
    static int[] of(ConfigNode c, String field, int[] fallback, int min, Limit limit, Limits limits) {
        JsonNode v = c.raw(field);
        if (v != null && (v.isNumber() || v.isArray())) {
            for (JsonNode e : v.isArray() ? v : java.util.List.of(v)) {
                if (e.isNumber() && e.doubleValue() > limits.get(limit)) {
                    throw limits.exceeded(limit, (long) Math.min(Long.MAX_VALUE, e.doubleValue()),
                            c.where() + ": field '" + Echo.of(field) + "'");
                }
            }
        }
        return of(c, field, fallback, min, limits.getInt(limit));
    }

    /** A field holding exactly one int (or a one-entry list), as 1-D layers take their sizes, within the limit. */
    static int single(ConfigNode c, String field, int fallback, int min, Limit limit, Limits limits) {
        int[] v = of(c, field, new int[] {fallback}, min, limit, limits);
        if (v.length != 1) {
            throw c.error(field, "must be one integer for a 1-D layer, got " + ConfigNode.abbreviate(c.raw(field)));
        }
        return v[0];
    }
}
