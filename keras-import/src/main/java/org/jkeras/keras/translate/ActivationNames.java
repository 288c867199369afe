package org.jkeras.keras.translate;

import java.util.Map;
import org.jkeras.keras.KerasVersion;
import org.jkeras.runtime.tensor.Activation;
import tools.jackson.databind.JsonNode;

/**
 * Maps the activation a Keras config names to a runtime {@link Activation}. Configs hold a name
 * ({@code "tanh"}), null (linear), or in Keras 3 / tf.keras an object: a serialized function
 * {@code {"class_name": "function", "config": "relu", ...}} or an activation layer object
 * {@code {"class_name": "ReLU", "config": {...}}}. {@code hard_sigmoid} depends on the
 * version: Keras 1/2 clip(0.2x+0.5, 0, 1), Keras 3 relu6(x+3)/6.
 */
public final class ActivationNames {
    private static final Map<String, Activation> NAMES = Map.ofEntries(
            Map.entry("linear", Activation.LINEAR),
            Map.entry("relu", Activation.RELU),
            Map.entry("relu6", Activation.RELU6),
            Map.entry("leaky_relu", Activation.LEAKY_RELU),
            Map.entry("tanh", Activation.TANH),
            Map.entry("sigmoid", Activation.SIGMOID),
            Map.entry("hard_silu", Activation.HARD_SILU),
            Map.entry("hard_swish", Activation.HARD_SILU),
            Map.entry("hard_tanh", Activation.HARD_TANH),
            Map.entry("elu", Activation.ELU),
            Map.entry("selu", Activation.SELU),
            Map.entry("celu", Activation.CELU),
            Map.entry("softplus", Activation.SOFTPLUS),
            Map.entry("softsign", Activation.SOFTSIGN),
            Map.entry("exponential", Activation.EXPONENTIAL),
            Map.entry("silu", Activation.SILU),
            Map.entry("swish", Activation.SILU),
            Map.entry("gelu", Activation.GELU),
            Map.entry("mish", Activation.MISH),
            Map.entry("log_sigmoid", Activation.LOG_SIGMOID),
            Map.entry("tanh_shrink", Activation.TANH_SHRINK),
            Map.entry("squareplus", Activation.SQUAREPLUS),
            Map.entry("sparse_plus", Activation.SPARSE_PLUS),
            Map.entry("hard_shrink", Activation.HARD_SHRINK),
            Map.entry("soft_shrink", Activation.SOFT_SHRINK),
            Map.entry("sparse_sigmoid", Activation.SPARSE_SIGMOID),
            Map.entry("softmax", Activation.SOFTMAX),
            Map.entry("log_softmax", Activation.LOG_SOFTMAX),
            Map.entry("sparsemax", Activation.SPARSEMAX),
            Map.entry("glu", Activation.GLU));

    private ActivationNames() {
    }

    /**
     * The activation named by {@code field} of the layer's config, for a layer whose output width is its own
     * (Dense, the recurrent layers): {@code glu}, which halves the last axis, is refused there.
     *
     * @param fallback used when the field is absent (null means the field is required)
     */
    public static Activation resolve(LayerSpec spec, String field, String fallback, TranslationContext ctx) {
        Activation a = resolveAny(spec, field, fallback, ctx);
        if (a == Activation.GLU) {
            throw ctx.error(spec, "field '" + field + "': glu halves the last axis, which Keras's "
                    + spec.className() + " does not account for in its output shape; only an Activation layer"
                    + " applies it in jkeras");
        }
        return a;
    }

    /** Like {@link #resolve}, also accepting {@code glu} (for the Activation layer, whose output shape follows it). */
    public static Activation resolveAny(LayerSpec spec, String field, String fallback, TranslationContext ctx) {
        JsonNode v = spec.config().json().get(field);
        if (v == null) {
            if (fallback == null) {
                throw ctx.error(spec, "field '" + field + "' is missing");
            }
            return byName(fallback, ctx.version());
        }
        if (v.isNull()) {
            return Activation.LINEAR;
        }
        Activation a = fromNode(v, ctx.version());
        if (a == null && "threshold".equals(name(v))) {
            throw ctx.error(spec, "field '" + field + "': keras.activations.threshold needs its threshold and"
                    + " default_value arguments, which a config cannot give it (Keras itself fails calling it)");
        }
        if (a == null) {
            throw ctx.error(spec, "field '" + field + "': unsupported activation " + abbreviate(v)
                    + " (supported: " + String.join(", ", new java.util.TreeSet<>(NAMES.keySet())) + ", hard_sigmoid)");
        }
        return a;
    }

    /** The activation for a plain name, or null when unknown. */
    public static Activation byName(String name, KerasVersion version) {
        String n = name.trim().toLowerCase(java.util.Locale.ROOT);
        if (n.equals("hard_sigmoid")) {
            return version.isKeras3() ? Activation.HARD_SIGMOID : Activation.HARD_SIGMOID_LEGACY;
        }
        if (n.isEmpty() || n.equals("none")) {
            return Activation.LINEAR;
        }
        return NAMES.get(n);
    }

    private static Activation fromNode(JsonNode v, KerasVersion version) {
        if (v.isString()) {
            return byName(v.stringValue(), version);
        }
        if (!v.isObject()) {
            return null;
        }
        JsonNode module = v.get("module");
        if (module != null && module.isString() && !isKerasModule(module.stringValue())) {
            return null; // a custom function: never looked up, never run
        }
        String className = text(v.get("class_name"));
        JsonNode config = v.get("config");
        if ("function".equals(className) || (config != null && config.isString())) {
            return config != null && config.isString() ? byName(config.stringValue(), version) : null;
        }
        if (className == null) {
            return null;
        }
        // activation layer objects, accepted only with their default parameters
        return switch (className) {
            case "ReLU" -> isDefaultRelu(config) ? Activation.RELU : null;
            case "LeakyReLU" -> slope(config) == 0.2 ? Activation.LEAKY_RELU : null;
            case "Softmax" -> axis(config) == -1 ? Activation.SOFTMAX : null;
            case "ELU" -> number(config, "alpha", 1.0) == 1.0 ? Activation.ELU : null;
            case "Activation" -> config != null && config.get("activation") != null
                    ? fromNode(config.get("activation"), version) : null;
            default -> null;
        };
    }

    /** The plain name of a string or serialized-function activation, else null. */
    private static String name(JsonNode v) {
        if (v.isString()) {
            return v.stringValue().trim().toLowerCase(java.util.Locale.ROOT);
        }
        JsonNode config = v.get("config");
        return config != null && config.isString() ? config.stringValue() : null;
    }

    private static boolean isKerasModule(String module) {
        return module.equals("keras") || module.startsWith("keras.") || module.startsWith("tf_keras")
                || module.startsWith("tensorflow");
    }

    private static boolean isDefaultRelu(JsonNode c) {
        return c == null || ((c.get("max_value") == null || c.get("max_value").isNull())
                && number(c, "negative_slope", 0) == 0 && number(c, "threshold", 0) == 0);
    }

    private static double slope(JsonNode c) {
        return c == null ? 0.3 : number(c, "negative_slope", number(c, "alpha", 0.3));
    }

    private static int axis(JsonNode c) {
        return c == null || c.get("axis") == null ? -1 : c.get("axis").asInt(0);
    }

    private static double number(JsonNode c, String field, double fallback) {
        JsonNode v = c == null ? null : c.get(field);
        return v != null && v.isNumber() ? v.doubleValue() : fallback;
    }

    private static String text(JsonNode v) {
        return v != null && v.isString() ? v.stringValue() : null;
    }

    private static String abbreviate(JsonNode v) {
        String s = String.valueOf(v);
        return s.length() > 120 ? s.substring(0, 117) + "..." : s;
    }
}
