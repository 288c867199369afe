package org.jkeras.keras;

import java.util.EnumMap;
import java.util.Map;

/**
 * How {@link KerasModels#load(java.nio.file.Path, java.nio.file.Path, LoadOptions)} reads a model file: the value
 * of each {@link Limit}. Immutable and thread-safe; build one with {@link #builder()}:
 *
 * <pre>{@code
 * LoadOptions options = LoadOptions.builder()
 *         .limit(Limit.MAX_LAYERS, 50_000)          // or .limit("max_layers", 50_000)
 *         .build();
 * Model model = KerasModels.load(path, null, options);
 * }</pre>
 */
public final class LoadOptions {
    private static final LoadOptions DEFAULTS = builder().build();

    private final Limits limits;

    private LoadOptions(Builder b) {
        this.limits = Limits.of(b.limits);
    }

    /** Every limit at its default. */
    public static LoadOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The limits in force. */
    public Limits limits() {
        return limits;
    }

    @Override
    public String toString() {
        return "LoadOptions{" + limits + "}";
    }

    /** Builds {@link LoadOptions}; not thread-safe. */
    public static final class Builder {
        private final Map<Limit, Long> limits = new EnumMap<>(Limit.class);

        private Builder() {
        }

        /**
         * Sets a limit.
         *
         * @throws IllegalArgumentException when {@code value} is negative
         */
        public Builder limit(Limit limit, long value) {
            if (value < 0) {
                throw new IllegalArgumentException("limit " + limit.key() + " must be >= 0, got " + value);
            }
            limits.put(limit, value);
            return this;
        }

        /**
         * Sets a limit by its {@link Limit#key()}, e.g. {@code "max_layers"}.
         *
         * @throws IllegalArgumentException for an unknown name or a negative value
         */
        public Builder limit(String key, long value) {
            return limit(Limit.byKey(key), value);
        }

        /** The options. */
        public LoadOptions build() {
            return new LoadOptions(this);
        }
    }
}
