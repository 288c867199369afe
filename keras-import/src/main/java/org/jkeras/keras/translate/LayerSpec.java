package org.jkeras.keras.translate;

import org.jkeras.keras.config.ConfigNode;

/**
 * One layer as the config describes it.
 *
 * @param name       the layer's name
 * @param className  its Keras class, e.g. {@code LSTM}
 * @param config     its {@code config} object (errors name file and layer)
 * @param keras3Path where Keras 3 stores its weights, e.g. {@code layers/lstm_1}
 * @param registeredName the {@code registered_name} Keras 3 saved for the class (e.g. {@code my_pkg>MyLayer}
 *                       for a custom layer), or null
 */
public record LayerSpec(String name, String className, ConfigNode config, String keras3Path, String registeredName) {
    /** A layer of a built-in class (no registered name). */
    public LayerSpec(String name, String className, ConfigNode config, String keras3Path) {
        this(name, className, config, keras3Path, null);
    }

    /** {@code layer 'lstm' (LSTM)}, for messages. */
    public String describe() {
        return "layer '" + org.jkeras.keras.Echo.of(name) + "' (" + org.jkeras.keras.Echo.of(className) + ")";
    }
}
