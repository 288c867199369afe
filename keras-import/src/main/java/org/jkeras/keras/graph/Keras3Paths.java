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
        String s = NON_WORD.matcher(name).replaceAll("");
        s = WORD_START.matcher(s).replaceAll("$1_$2");
        s = LOWER_UPPER.matcher(s).replaceAll("$1_$2");
        return s.toLowerCase(java.util.Locale.ROOT);
    }

    private static final java.util.regex.Pattern NON_WORD = java.util.regex.Pattern.compile("\\W+");
    private static final java.util.regex.Pattern WORD_START = java.util.regex.Pattern.compile("(.)([A-Z][a-z]+)");
    private static final java.util.regex.Pattern LOWER_UPPER = java.util.regex.Pattern.compile("([a-z])([A-Z])");
}
