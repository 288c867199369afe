package org.jkeras.keras;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jkeras.keras.custom.CustomLayerTranslator;

/**
 * How {@link KerasModels#load(java.nio.file.Path, java.nio.file.Path, LoadOptions)} reads a model file: the value
 * of each {@link Limit} and the user's implementations of custom layer classes. Immutable and thread-safe (given
 * thread-safe translators); build one with {@link #builder()}:
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
    private final Map<String, CustomLayerTranslator> customLayers;
    private final boolean verify;

    private LoadOptions(Builder b) {
        this.limits = Limits.of(b.limits);
        this.customLayers = Map.copyOf(b.customLayers);
        this.verify = b.verify;
    }

    /**
     * True when the file's verification cases must be run (and exist).
     *
     * @return true if {@link Builder#verify(boolean)} was set; false by default
     */
    public boolean verify() {
        return verify;
    }

    /**
     * Every limit at its default.
     *
     * @return shared options with every limit at its default, no custom layers and no verification
     */
    public static LoadOptions defaults() {
        return DEFAULTS;
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The limits in force.
     *
     * @return the value of every limit for this load
     */
    public Limits limits() {
        return limits;
    }

    /**
     * The user's implementations of custom Keras layer classes, by registered or class name.
     *
     * @return an unmodifiable map from the name a file uses for the class to its translator
     */
    public Map<String, CustomLayerTranslator> customLayers() {
        return customLayers;
    }

    @Override
    public String toString() {
        return "LoadOptions{" + limits + "}";
    }

    /** Builds {@link LoadOptions}; not thread-safe. */
    public static final class Builder {
        private final Map<Limit, Long> limits = new EnumMap<>(Limit.class);
        private final Map<String, CustomLayerTranslator> customLayers = new LinkedHashMap<>();
        private boolean verify;

        private Builder() {
        }

        /**
         * Sets a limit.
         *
         * @param limit the limit to set
         * @param value its new value, {@code >= 0}, in the limit's unit (bytes, elements, layers, ...)
         * @throws IllegalArgumentException when {@code value} is negative
         * @return this builder
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
         * @param key the limit's key, e.g. {@code "max_layers"}; case-insensitive, dashes count as underscores
         * @param value its new value, {@code >= 0}
         * @throws IllegalArgumentException for an unknown name or a negative value
         * @return this builder
         */
        public Builder limit(String key, long value) {
            return limit(Limit.byKey(key), value);
        }

        /**
         * Registers an implementation of a custom Keras layer class, which a model file would otherwise be refused
         * for (jkeras never runs the Python class). The translator gets the layer's config, its stored weights
         * (in the order Keras's {@code add_weight} calls created them) and its input shape, and returns a runtime
         * {@link org.jkeras.runtime.layers.Layer} of the same name; it must compute what the Python class
         * computes.
         *
         * @param name the class's registered name as Keras saved it ({@code "my_package>MyLayer"}, from
         *             {@code @keras.saving.register_keras_serializable(package="my_package")}), or its class name
         *             ({@code "MyLayer"})
         * @param translator makes the runtime layer from the Keras layer's config, weights and input shape
         * @return this builder
         * @throws IllegalArgumentException if the name is null or blank or the translator is null
         */
        public Builder customLayer(String name, CustomLayerTranslator translator) {
            if (name == null || name.isBlank() || translator == null) {
                throw new IllegalArgumentException("a custom layer needs a name and a translator");
            }
            customLayers.put(name, translator);
            return this;
        }

        /**
         * Verify on load: the {@code .keras} file must carry test cases (inputs and Keras's outputs, added by
         * {@code test-fixtures/add_verify_cases.py}); the loaded model runs them and is refused when an output
         * differs from Keras's beyond the file's tolerance. The model's metadata then holds {@code verified}.
         *
         * @param on true to require and run the file's verification cases
         * @return this builder
         */
        public Builder verify(boolean on) {
            this.verify = on;
            return this;
        }

        /**
         * The options.
         *
         * @return new immutable options; the builder can be reused
         */
        public LoadOptions build() {
            return new LoadOptions(this);
        }
    }
}
