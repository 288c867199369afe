package org.jkeras.keras.convert;

import static org.jkeras.keras.convert.Keras3Form.JSON;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.config.ConfigNode;
import org.jkeras.keras.KerasVersion;
import org.jkeras.keras.translate.ActivationNames;
import org.jkeras.keras.translate.LayerSpec;
import org.jkeras.keras.translate.TranslationContext;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Activation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Converts one Keras 2 layer config to Keras 3. Every field keeps its meaning or the layer is refused:
 * fields Keras 3 has are kept (activations rewritten to the Keras 3 name of the same function, nested
 * initializers, regularizers and constraints given their Keras 3 {@code module}); fields that only
 * chose how Keras 2 computed (RNN {@code implementation}) or that must be off (RNN {@code time_major}) are
 * dropped; input shapes move to the InputLayer; any other field is refused, naming it. Defaults that
 * changed between Keras 2 and 3 are written explicitly (GRU {@code reset_after} was False before it was
 * recorded; {@code recurrent_activation} defaulted to hard_sigmoid before Keras 2.3). {@code hard_sigmoid}
 * in Keras 2 is {@code clip(0.2x+0.5)}, which no Keras 3 activation computes: such layers are refused.
 */
final class Keras2Layers {
    private static final Set<String> COMMON = Set.of("name", "trainable", "dtype");
    private static final Set<String> INPUT_FIELDS = Set.of("batch_input_shape", "input_shape", "batch_size",
            "input_dim");
    private static final Set<String> RNN = Set.of("units", "activation", "use_bias", "kernel_initializer",
            "recurrent_initializer", "bias_initializer", "kernel_regularizer", "recurrent_regularizer",
            "bias_regularizer", "activity_regularizer", "kernel_constraint", "recurrent_constraint", "bias_constraint",
            "dropout", "recurrent_dropout", "seed", "return_sequences", "return_state", "go_backwards", "stateful",
            "unroll", "zero_output_for_mask");
    private static final Map<String, Set<String>> FIELDS = Map.ofEntries(
            Map.entry("LSTM", union(RNN, Set.of("recurrent_activation", "unit_forget_bias"))),
            Map.entry("GRU", union(RNN, Set.of("recurrent_activation", "reset_after"))),
            Map.entry("SimpleRNN", RNN),
            Map.entry("RNN", Set.of("cell", "return_sequences", "return_state", "go_backwards", "stateful", "unroll",
                    "zero_output_for_mask")),
            Map.entry("CuDNNLSTM", union(RNN, Set.of("unit_forget_bias"))),
            Map.entry("CuDNNGRU", RNN),
            Map.entry("Dense", Set.of("units", "activation", "use_bias", "kernel_initializer", "bias_initializer",
                    "kernel_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint",
                    "bias_constraint")),
            Map.entry("Embedding", Set.of("input_dim", "output_dim", "embeddings_initializer",
                    "embeddings_regularizer", "activity_regularizer", "embeddings_constraint", "mask_zero")),
            Map.entry("Dropout", Set.of("rate", "noise_shape", "seed")),
            Map.entry("SpatialDropout1D", Set.of("rate", "seed")),
            Map.entry("GaussianNoise", Set.of("stddev", "seed")),
            Map.entry("GaussianDropout", Set.of("rate", "seed")),
            Map.entry("AlphaDropout", Set.of("rate", "noise_shape", "seed")),
            Map.entry("Activation", Set.of("activation")),
            Map.entry("Flatten", Set.of("data_format")),
            Map.entry("RepeatVector", Set.of("n")),
            Map.entry("TimeDistributed", Set.of("layer")),
            Map.entry("Bidirectional", Set.of("layer", "merge_mode", "backward_layer")),
            Map.entry("ReLU", Set.of("max_value", "negative_slope", "threshold")),
            Map.entry("LeakyReLU", Set.of("alpha")),
            Map.entry("ThresholdedReLU", Set.of("theta")),
            Map.entry("ELU", Set.of("alpha")),
            Map.entry("Softmax", Set.of("axis")),
            Map.entry("PReLU", Set.of("alpha_initializer", "alpha_regularizer", "alpha_constraint", "shared_axes")),
            Map.entry("Conv1D", Set.of("filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate",
                    "groups", "activation", "use_bias", "kernel_initializer", "bias_initializer", "kernel_regularizer",
                    "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint")),
            Map.entry("MaxPooling1D", Set.of("pool_size", "strides", "padding", "data_format")),
            Map.entry("AveragePooling1D", Set.of("pool_size", "strides", "padding", "data_format")),
            Map.entry("GlobalMaxPooling1D", Set.of("data_format", "keepdims")),
            Map.entry("GlobalAveragePooling1D", Set.of("data_format", "keepdims")),
            Map.entry("Cropping1D", Set.of("cropping")),
            Map.entry("ZeroPadding1D", Set.of("padding")),
            Map.entry("UpSampling1D", Set.of("size")),
            Map.entry("Reshape", Set.of("target_shape")),
            Map.entry("Permute", Set.of("dims")),
            Map.entry("BatchNormalization", Set.of("axis", "momentum", "epsilon", "center", "scale",
                    "beta_initializer", "gamma_initializer", "moving_mean_initializer", "moving_variance_initializer",
                    "beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint")),
            Map.entry("LayerNormalization", Set.of("axis", "epsilon", "center", "scale", "beta_initializer",
                    "gamma_initializer", "beta_regularizer", "gamma_regularizer", "beta_constraint",
                    "gamma_constraint")),
            Map.entry("UnitNormalization", Set.of("axis")),
            Map.entry("Masking", Set.of("mask_value")),
            Map.entry("Add", Set.of()),
            Map.entry("Subtract", Set.of()),
            Map.entry("Multiply", Set.of()),
            Map.entry("Average", Set.of()),
            Map.entry("Maximum", Set.of()),
            Map.entry("Minimum", Set.of()),
            Map.entry("Concatenate", Set.of("axis")),
            Map.entry("Dot", Set.of("axes", "normalize")),
            // tf_keras 2.21 writes no 'causal' (older tf.keras did): such a config is refused by that field
            Map.entry("Attention", Set.of("use_scale", "score_mode", "dropout", "seed")),
            Map.entry("AdditiveAttention", Set.of("use_scale", "dropout", "seed")));
    /**
     * Keras 2 classes Keras 3 has under another name, computing the same function: tf.keras 2's ThresholdedReLU
     * {@code x * (x > theta)} is Keras 3's {@code ReLU(threshold=theta)}; CuDNNLSTM / CuDNNGRU are the LSTM and the
     * {@code reset_after=True} GRU with tanh and sigmoid (jkeras holds their weights converted to that layout).
     */
    private static final Map<String, String> KERAS3_CLASS = Map.of("ThresholdedReLU", "ReLU", "CuDNNLSTM", "LSTM",
            "CuDNNGRU", "GRU");
    /** Built-in Keras 3 classes of nested objects, by the module Keras 3 files them under. */
    private static final Map<String, Set<String>> OBJECTS = Map.of(
            "keras.initializers", Set.of("Constant", "Identity", "Ones", "Zeros", "GlorotNormal", "GlorotUniform",
                    "HeNormal", "HeUniform", "LecunNormal", "LecunUniform", "Orthogonal", "RandomNormal",
                    "RandomUniform", "TruncatedNormal", "VarianceScaling"),
            "keras.regularizers", Set.of("L1", "L2", "L1L2", "OrthogonalRegularizer"),
            "keras.constraints", Set.of("MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm"));
    /** The Keras 3 names of the activations, the first name of each being the one Keras 3 writes. */
    private static final List<String> KERAS3_ACTIVATIONS = List.of("linear", "relu", "relu6", "leaky_relu", "tanh",
            "sigmoid", "hard_sigmoid", "hard_silu", "hard_tanh", "elu", "selu", "celu", "softplus", "softsign",
            "exponential", "silu", "gelu", "mish", "log_sigmoid", "tanh_shrink", "squareplus", "sparse_plus",
            "hard_shrink", "soft_shrink", "sparse_sigmoid", "softmax", "log_softmax", "sparsemax", "glu");
    private static final Map<Activation, String> KERAS3_NAME = new EnumMap<>(Activation.class);

    static {
        KerasVersion k3 = KerasVersion.inferred(3);
        for (String n : KERAS3_ACTIVATIONS) {
            Activation a = ActivationNames.byName(n, k3);
            if (a != null) {
                KERAS3_NAME.putIfAbsent(a, n);
            }
        }
    }

    private final String file;
    private final TranslationContext ctx;

    Keras2Layers(String file, KerasVersion version) {
        this.file = file;
        this.ctx = new TranslationContext(file, version, null);
    }

    /** The Keras 3 class of a Keras 2 layer class (the same unless Keras 3 renamed it). */
    static String keras3Class(String cls) {
        return KERAS3_CLASS.getOrDefault(cls, cls);
    }

    /** A Keras 3 InputLayer config from a Keras 2 one. */
    ObjectNode inputLayer(JsonNode c) {
        ObjectNode out = JSON.objectNode();
        JsonNode shape = c.has("batch_input_shape") ? c.get("batch_input_shape") : c.get("batch_shape");
        if (shape == null || !shape.isArray()) {
            throw new KerasImportException(file + ": InputLayer '" + c.path("name").asString("") + "' has no"
                    + " batch_input_shape");
        }
        out.set("batch_shape", shape.deepCopy());
        out.put("dtype", c.path("dtype").isString() ? c.get("dtype").asString() : "float32");
        out.put("sparse", c.path("sparse").asBoolean(false));
        out.put("ragged", c.path("ragged").asBoolean(false));
        out.put("name", c.path("name").asString("input"));
        out.put("optional", c.path("optional").asBoolean(false));
        for (String f : c.propertyNames()) {
            if (!Set.of("batch_input_shape", "batch_shape", "dtype", "sparse", "ragged", "name", "optional")
                    .contains(f)) {
                throw refuse(c, "InputLayer", f, "has no Keras 3 equivalent");
            }
        }
        if (out.get("sparse").asBoolean() || out.get("ragged").asBoolean()) {
            throw refuse(c, "InputLayer", out.get("sparse").asBoolean() ? "sparse" : "ragged", "is true");
        }
        return out;
    }

    /** The Keras 3 config of a layer entry {@code {"class_name", "config"}}. */
    ObjectNode convert(JsonNode entry) {
        String cls = entry.path("class_name").asString("");
        JsonNode c = entry.path("config");
        Set<String> fields = FIELDS.get(cls);
        if (fields == null || !c.isObject()) {
            throw new KerasImportException(file + ": layer '" + c.path("name").asString("?") + "' (" + cls
                    + ") cannot be converted to Keras 3");
        }
        ObjectNode out = JSON.objectNode();
        out.put("name", c.path("name").asString());
        if (!"SpatialDropout1D".equals(cls)) {
            // Keras 3's SpatialDropout1D takes no trainable argument (it has no weights either)
            out.put("trainable", c.path("trainable").asBoolean(true));
        }
        out.set("dtype", "SpatialDropout1D".equals(cls) ? JSON.stringNode("float32") : dtypePolicy());
        for (String f : c.propertyNames()) {
            JsonNode v = c.get(f);
            if (COMMON.contains(f) || (INPUT_FIELDS.contains(f) && !"Embedding".equals(cls))
                    || ("Embedding".equals(cls) && Set.of("batch_input_shape", "input_shape", "input_length",
                    "batch_size").contains(f))) {
                continue; // the InputLayer carries the input shape; the importer checked input_length against it
            }
            if ("implementation".equals(f) && Set.of("LSTM", "GRU", "SimpleRNN").contains(cls)) {
                continue; // Keras 2's choice between equivalent gate computations
            }
            if ("activation".equals(f) || "recurrent_activation".equals(f)) {
                if (!fields.contains(f)) {
                    throw refuse(c, cls, f, "has no Keras 3 equivalent");
                }
                continue; // rewritten below to the Keras 3 name of the same function
            }
            if ("time_major".equals(f) && !v.asBoolean(false)) {
                continue;
            }
            if ("noise_shape".equals(f) && "SpatialDropout1D".equals(cls) && v.isNull()) {
                continue; // SpatialDropout1D derives its noise shape; Keras 3 takes none
            }
            if (!fields.contains(f)) {
                throw refuse(c, cls, f, "has no Keras 3 equivalent");
            }
            if ("RNN".equals(cls) && "cell".equals(f)) {
                out.set("cell", cell(c, v));
                continue;
            }
            out.set(renamed(cls, f), value(c, cls, f, v));
        }
        switch (cls) {
            case "LSTM", "GRU", "SimpleRNN" -> {
                out.put("activation", activation(c, cls, "activation", "tanh"));
                if (!"SimpleRNN".equals(cls)) {
                    out.put("recurrent_activation", activation(c, cls, "recurrent_activation",
                            ctx.version().defaultRecurrentActivation()));
                }
                if ("GRU".equals(cls) && !c.has("reset_after")) {
                    out.put("reset_after", false); // Keras 2 before reset_after was recorded: the old GRU
                }
            }
            case "CuDNNLSTM", "CuDNNGRU" -> {
                out.put("activation", "tanh");
                out.put("recurrent_activation", "sigmoid");
                out.put("use_bias", true);
                if ("CuDNNGRU".equals(cls)) {
                    out.put("reset_after", true);
                }
            }
            case "Dense", "Conv1D" -> out.put("activation", activation(c, cls, "activation", "linear"));
            case "Activation" -> out.put("activation", activation(c, cls, "activation", null));
            case "LeakyReLU" -> {
                if (!out.has("negative_slope")) {
                    out.put("negative_slope", 0.3); // Keras 2's default alpha, written since Keras 3's is 0.3 too
                }
            }
            case "BatchNormalization" -> {
                // Keras 3 takes one int axis; tf.keras 2 may write a one-entry list
                JsonNode axis = out.get("axis");
                if (axis != null && axis.isArray() && axis.size() == 1) {
                    out.put("axis", axis.get(0).asInt());
                }
            }
            case "ThresholdedReLU" -> {
                double theta = out.has("threshold") ? out.get("threshold").asDouble() : 1.0;
                out.remove("threshold");
                out.putNull("max_value");
                out.put("negative_slope", 0.0);
                out.put("threshold", theta);
            }
            case "TimeDistributed" -> out.set("layer", nested(c.get("layer"), cls, "layer"));
            case "Bidirectional" -> bidirectional(c, out);
            default -> {
            }
        }
        return out;
    }

    /** Adds the {@code build_config} Keras 3 writes on layers inside wrappers. */
    void addNestedBuildConfigs(String cls, ObjectNode config, Shape input, JsonNode batch) {
        if ("TimeDistributed".equals(cls) && config.get("layer") instanceof ObjectNode inner) {
            int[] d = input.dims();
            int[] step = new int[d.length - 1];
            step[0] = Shape.UNKNOWN;
            System.arraycopy(d, 2, step, 1, d.length - 2);
            if (Keras3Form.BUILT.contains(inner.path("class_name").asString(""))) {
                inner.set("build_config", Keras3Form.buildConfig(Shape.of(step), batch));
            }
        } else if ("Bidirectional".equals(cls)) {
            for (String half : List.of("layer", "backward_layer")) {
                if (config.get(half) instanceof ObjectNode inner) {
                    inner.set("build_config", Keras3Form.buildConfig(input, batch));
                }
            }
        }
    }

    private void bidirectional(JsonNode c, ObjectNode out) {
        ObjectNode forward = nested(c.get("layer"), "Bidirectional", "layer");
        ObjectNode fc = (ObjectNode) forward.get("config");
        String inner = fc.path("name").asString("");
        // What Keras 3's Bidirectional does on construction, so the config reads as Keras 3 would write it.
        fc.put("name", "forward_" + removePrefix(inner, "forward_"));
        boolean sequences = fc.path("return_sequences").asBoolean(false);
        fc.put("zero_output_for_mask", sequences);
        ObjectNode backward;
        if (c.hasNonNull("backward_layer")) {
            backward = nested(c.get("backward_layer"), "Bidirectional", "backward_layer");
        } else {
            backward = forward.deepCopy();
            ObjectNode bc = (ObjectNode) backward.get("config");
            bc.put("go_backwards", !fc.path("go_backwards").asBoolean(false));
            bc.put("name", "backward_" + removePrefix(inner, "backward_"));
        }
        ((ObjectNode) backward.get("config")).put("zero_output_for_mask", sequences);
        out.set("merge_mode", c.has("merge_mode") ? c.get("merge_mode").deepCopy() : JSON.stringNode("concat"));
        out.set("layer", forward);
        out.set("backward_layer", backward);
    }

    /** The cell classes an RNN may hold, and the layer whose fields each cell has. */
    private static final Map<String, String> CELL_LAYER = Map.of("LSTMCell", "LSTM", "GRUCell", "GRU",
            "SimpleRNNCell", "SimpleRNN");

    /**
     * An RNN's cell in Keras 3 form: LSTMCell, GRUCell and SimpleRNNCell convert as their layers' fields do;
     * StackedRNNCells lists its cells (tf.keras 2's {@code reverse_state_order=True} is refused).
     */
    private ObjectNode cell(JsonNode rnn, JsonNode entry) {
        String cls = entry.path("class_name").asString("");
        JsonNode c = entry.path("config");
        ObjectNode e = JSON.objectNode();
        e.put("module", "keras.layers");
        e.put("class_name", cls);
        if ("StackedRNNCells".equals(cls) && c.isObject()) {
            ObjectNode out = JSON.objectNode();
            out.put("name", c.path("name").asString());
            out.put("trainable", c.path("trainable").asBoolean(true));
            out.set("dtype", dtypePolicy());
            for (String f : c.propertyNames()) {
                boolean reversed = "reverse_state_order".equals(f) && c.get(f).asBoolean(false);
                if (reversed || !Set.of("name", "trainable", "dtype", "cells", "reverse_state_order").contains(f)) {
                    throw refuse(rnn, "RNN", "cell", "is a StackedRNNCells with field '" + f + "' "
                            + ConfigNode.abbreviate(c.get(f)) + ", which Keras 3 does not have");
                }
            }
            tools.jackson.databind.node.ArrayNode cells = JSON.arrayNode();
            for (JsonNode inner : c.path("cells")) {
                cells.add(cell(rnn, inner));
            }
            out.set("cells", cells);
            e.set("config", out);
        } else if (CELL_LAYER.containsKey(cls) && c.isObject()) {
            ObjectNode asLayer = JSON.objectNode();
            asLayer.put("class_name", CELL_LAYER.get(cls));
            asLayer.set("config", c);
            e.set("config", convert(asLayer));
        } else {
            throw refuse(rnn, "RNN", "cell", "is a " + cls + ", not an LSTMCell, GRUCell, SimpleRNNCell or"
                    + " StackedRNNCells");
        }
        e.putNull("registered_name");
        return e;
    }

    /** A Keras 2 field under its Keras 3 name: LeakyReLU's alpha is negative_slope, ThresholdedReLU's theta is threshold. */
    private static String renamed(String cls, String field) {
        if ("LeakyReLU".equals(cls) && "alpha".equals(field)) {
            return "negative_slope";
        }
        if ("ThresholdedReLU".equals(cls) && "theta".equals(field)) {
            return "threshold";
        }
        return field;
    }

    private ObjectNode nested(JsonNode entry, String wrapper, String field) {
        if (entry == null || !entry.isObject()) {
            throw new KerasImportException(file + ": a " + wrapper + "'s '" + field + "' must be a layer object");
        }
        ObjectNode e = JSON.objectNode();
        e.put("module", "keras.layers");
        e.put("class_name", keras3Class(entry.path("class_name").asString("")));
        e.set("config", convert(entry));
        e.putNull("registered_name");
        return e;
    }

    private JsonNode value(JsonNode c, String cls, String field, JsonNode v) {
        if (v.isObject() && (field.endsWith("_initializer") || field.endsWith("_regularizer")
                || field.endsWith("_constraint"))) {
            String module = field.endsWith("_initializer") ? "keras.initializers"
                    : field.endsWith("_regularizer") ? "keras.regularizers" : "keras.constraints";
            String className = v.path("class_name").asString("");
            if (!OBJECTS.get(module).contains(className)) {
                throw refuse(c, cls, field, "is a " + className + ", not a built-in Keras 3 class of "
                        + module + " " + OBJECTS.get(module));
            }
            ObjectNode o = JSON.objectNode();
            o.put("module", module);
            o.put("class_name", className);
            ObjectNode oc = v.get("config") instanceof ObjectNode given ? given.deepCopy() : JSON.objectNode();
            if ("keras.initializers".equals(module) && oc.has("dtype")) {
                // Keras 2.0-2.2 initializers took a dtype; Keras 3's use the variable's (float32 here)
                if (!"float32".equals(oc.path("dtype").asString("float32"))) {
                    throw refuse(c, cls, field, "has dtype " + oc.get("dtype") + "; only float32 models are saved");
                }
                oc.remove("dtype");
            }
            o.set("config", oc);
            o.putNull("registered_name");
            return o;
        }
        if (v.isObject() && !"layer".equals(field) && !"backward_layer".equals(field)) {
            throw refuse(c, cls, field, "holds an object " + ConfigNode.abbreviate(v) + " jkeras cannot convert");
        }
        return v.deepCopy();
    }

    /** The Keras 3 name of the function the Keras 2 activation computes. */
    private String activation(JsonNode c, String cls, String field, String fallback) {
        LayerSpec spec = new LayerSpec(c.path("name").asString(""), cls, new ConfigNode(c, file + ": layer '"
                + c.path("name").asString("") + "' (" + cls + ")"), "");
        Activation a = ActivationNames.resolveAny(spec, field, fallback, ctx);
        String name = KERAS3_NAME.get(a);
        if (name == null) {
            throw refuse(c, cls, field, "is " + (c.has(field) ? c.get(field) : fallback + " (the default)")
                    + ", which Keras " + ctx.version().major() + " computes as " + a + "; no Keras 3 activation"
                    + " computes that (Keras 3's hard_sigmoid is relu6(x+3)/6, Keras 2's clip(0.2x+0.5, 0, 1))");
        }
        return name;
    }

    private KerasImportException refuse(JsonNode c, String cls, String field, String problem) {
        return new KerasImportException(file + ": layer '" + c.path("name").asString("?") + "' (" + cls
                + "): field '" + field + "' " + problem + "; the model cannot be saved as Keras 3");
    }

    private static ObjectNode dtypePolicy() {
        ObjectNode p = JSON.objectNode();
        p.put("module", "keras");
        p.put("class_name", "DTypePolicy");
        ObjectNode c = JSON.objectNode();
        c.put("name", "float32");
        p.set("config", c);
        p.putNull("registered_name");
        return p;
    }

    private static String removePrefix(String s, String prefix) {
        return s.startsWith(prefix) ? s.substring(prefix.length()) : s;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        java.util.HashSet<String> s = new java.util.HashSet<>(a);
        s.addAll(b);
        return Set.copyOf(s);
    }
}
