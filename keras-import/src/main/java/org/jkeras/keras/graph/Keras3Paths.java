package org.jkeras.keras.graph;

import java.util.HashMap;
import java.util.Map;

/**
 * Keras 3 stores a model's layers at {@code layers/<snake_case class name>}, numbered per class in
 * the order of {@code model.layers}: {@code layers/lstm}, {@code layers/lstm_1}, ...
 * (Sequential excludes its InputLayer from {@code model.layers}; Functional includes them, as
 * {@code input_layer}). This mirrors {@code keras.src.saving.saving_lib._save_container_state}.
 */
public final class Keras3Paths {
    private final Map<String, Integer> used = new HashMap<>();

    /** A fresh counter, for one model's list of layers. */
    public Keras3Paths() {
    }

    /** The path of the next layer of class {@code className}. */
    public String next(String className) {
        String base = snakeCase(className);
        Integer n = used.get(base);
        used.put(base, n == null ? 0 : n + 1);
        return "layers/" + (n == null ? base : base + "_" + (n + 1));
    }

    /** Keras's {@code naming.to_snake_case}. */
    public static String snakeCase(String name) {
        String s = name.replaceAll("\\W+", "");
        s = s.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
        s = s.replaceAll("([a-z])([A-Z])", "$1_$2");
        return s.toLowerCase(java.util.Locale.ROOT);
    }
}
