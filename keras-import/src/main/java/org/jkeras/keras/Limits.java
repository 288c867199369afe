package org.jkeras.keras;

import java.util.EnumMap;
import java.util.Map;

/**
 * The value of every {@link Limit} for one load: the defaults, some raised (or lowered) through
 * {@link LoadOptions.Builder#limit(Limit, long)}. Immutable.
 */
public final class Limits {
    private static final Limits DEFAULTS = new Limits(new EnumMap<>(Limit.class));

    private final long[] values;

    private Limits(Map<Limit, Long> overrides) {
        values = new long[Limit.values().length];
        for (Limit l : Limit.values()) {
            values[l.ordinal()] = overrides.getOrDefault(l, l.defaultValue());
        }
    }

    /**
     * Every limit at its default.
     *
     * @return shared limits, each at {@link Limit#defaultValue()}
     */
    public static Limits defaults() {
        return DEFAULTS;
    }

    static Limits of(Map<Limit, Long> overrides) {
        return overrides.isEmpty() ? DEFAULTS : new Limits(overrides);
    }

    /**
     * The value of a limit.
     *
     * @param limit the limit
     * @return its value for this load
     */
    public long get(Limit limit) {
        return values[limit.ordinal()];
    }

    /**
     * The value of a limit, capped to what an int holds (for sizes of Java arrays and collections).
     *
     * @param limit the limit
     * @return its value, at most {@link Integer#MAX_VALUE}
     */
    public int getInt(Limit limit) {
        return (int) Math.min(Integer.MAX_VALUE, get(limit));
    }

    /**
     * Fails when {@code found} is over the limit.
     *
     * @param limit the limit to check against
     * @param found the size the file asks for, in the limit's unit
     * @param what the file and place, e.g. {@code "model.keras: config.json"}
     * @throws LimitExceededException naming the limit, the value found and how to raise it
     */
    public void check(Limit limit, long found, String what) {
        if (found > get(limit)) {
            throw new LimitExceededException(what, limit, found, get(limit));
        }
    }

    /**
     * The error for {@code found} over the limit, for callers that have already compared (e.g. a shape product
     * that overflowed before it could be compared).
     *
     * @param limit the limit that was exceeded
     * @param found the value found (or the first value over the limit when it is not known exactly)
     * @param what the file and place, e.g. {@code "model.keras: config.json"}
     * @return the exception for the caller to throw; this method does not check or throw
     */
    public LimitExceededException exceeded(Limit limit, long found, String what) {
        return new LimitExceededException(what, limit, found, get(limit));
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Limits{");
        for (Limit l : Limit.values()) {
            b.append(l.ordinal() == 0 ? "" : ", ").append(l.key()).append('=').append(get(l));
        }
        return b.append('}').toString();
    }
}
