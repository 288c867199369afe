package org.jkeras.keras;

import tools.jackson.databind.JsonNode;

/**
 * The Keras version a file was written by, as far as it is known. It matters because Keras
 * changed meanings between versions, e.g. {@code hard_sigmoid} (Keras 1/2: clip(0.2x+0.5),
 * Keras 3: relu6(x+3)/6).
 *
 * @param text  the version string as recorded (e.g. {@code 2.2.4-tf}), or null if none was recorded
 * @param major the major version (1, 2 or 3)
 * @param minor the minor version, or 0 if unknown
 */
public record KerasVersion(String text, int major, int minor) {
    /**
     * Parses a recorded version string.
     *
     * @param text the recorded version, such as {@code 3.15.1} or {@code 2.2.4-tf}, or null
     * @return the version, or null if there is none or it is not a Keras 1, 2 or 3 version
     */
    public static KerasVersion parse(String text) {
        if (text == null) {
            return null;
        }
        String[] parts = text.trim().split("[.\\-+]");
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            if (major < 1 || major > 3) {
                return null;
            }
            return new KerasVersion(text, major, minor);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * A version known only by its major number, inferred from the config's shape.
     *
     * @param major the major version (1, 2 or 3)
     * @return the version, with no text and minor 0
     */
    public static KerasVersion inferred(int major) {
        return new KerasVersion(null, major, 0);
    }

    /**
     * Whether this is Keras 3, where {@code hard_sigmoid} is relu6(x+3)/6 and weights live under {@code layers/}.
     *
     * @return true for Keras 3
     */
    public boolean isKeras3() {
        return major >= 3;
    }

    /**
     * Whether this is Keras 1, whose configs use {@code output_dim}, {@code inner_activation}, per-gate LSTM weights.
     *
     * @return true for Keras 1
     */
    public boolean isKeras1() {
        return major == 1;
    }

    /**
     * The default of LSTM's recurrent activation: Keras 1 and 2 up to 2.2 used hard_sigmoid, later versions sigmoid.
     *
     * @return {@code "hard_sigmoid"} or {@code "sigmoid"}
     */
    public String defaultRecurrentActivation() {
        return major == 1 || (major == 2 && minor < 3) ? "hard_sigmoid" : "sigmoid";
    }

    /**
     * Guesses the major version of a config that records none: Keras 3 configs carry
     * {@code module} keys, {@code batch_shape} and DTypePolicy objects; Keras 1 layers use
     * {@code output_dim}; anything else is taken as Keras 2.
     *
     * @param modelConfig the model config ({@code {"class_name": ..., "config": ...}})
     * @return the inferred version, with no text
     */
    public static KerasVersion infer(JsonNode modelConfig) {
        if (modelConfig.has("module") || containsKey(modelConfig, "batch_shape", 0)
                || containsText(modelConfig, "DTypePolicy", 0) || containsText(modelConfig, "__keras_tensor__", 0)) {
            return inferred(3);
        }
        if (containsKey(modelConfig, "output_dim", 0) || containsKey(modelConfig, "inner_activation", 0)) {
            return inferred(1);
        }
        return inferred(2);
    }

    private static boolean containsKey(JsonNode node, String key, int depth) {
        if (depth > 64 || node == null) {
            return false;
        }
        if (node.isObject() && node.has(key)) {
            return true;
        }
        for (JsonNode child : node.values()) {
            if (child.isContainer() && containsKey(child, key, depth + 1)) {
                return true;
            }
        }
        return false;
    }

    private static boolean containsText(JsonNode node, String text, int depth) {
        if (depth > 64 || node == null) {
            return false;
        }
        if (node.isString()) {
            return text.equals(node.stringValue());
        }
        for (JsonNode child : node.values()) {
            if (containsText(child, text, depth + 1)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return text != null ? text : major + ".x (inferred)";
    }
}
