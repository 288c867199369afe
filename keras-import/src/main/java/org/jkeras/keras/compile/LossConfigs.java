package org.jkeras.keras.compile;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.config.ConfigNode;
import org.jkeras.runtime.training.loss.BinaryCrossentropy;
import org.jkeras.runtime.training.loss.CategoricalCrossentropy;
import org.jkeras.runtime.training.loss.Huber;
import org.jkeras.runtime.training.loss.LogCosh;
import org.jkeras.runtime.training.loss.Loss;
import org.jkeras.runtime.training.loss.MeanAbsoluteError;
import org.jkeras.runtime.training.loss.MeanSquaredError;
import org.jkeras.runtime.training.loss.OutputLoss;
import org.jkeras.runtime.training.loss.Reduction;
import org.jkeras.runtime.training.loss.SparseCategoricalCrossentropy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Loss configs to runtime {@link Loss}es and back.
 *
 * <p>A loss is a string — a Keras function name or alias ({@code "mse"},
 * {@code "mean_squared_error"}, {@code "binary_crossentropy"}, ...: Keras wraps the function and
 * names the loss after the string), a class name ({@code "MeanSquaredError"}: default instance)
 * or {@code "crossentropy"} / {@code "ce"}, which Keras resolves from the output's shapes — or a
 * serialized loss object (Keras 3, or Keras 2 with {@code reduction: "auto"} and an {@code fn}
 * field), or a serialized function {@code {"class_name": "function", "config": "mse"}}. A model's
 * compiled loss may be one such loss for every output, a list with one per output, or a dict by
 * output name ({@link #perOutput}).
 */
public final class LossConfigs {
    private static final String MODULE = "keras.losses";
    private static final String SUPPORTED = "mean_squared_error (mse, MSE, MeanSquaredError), mean_absolute_error"
            + " (mae, MAE, MeanAbsoluteError), huber (Huber), log_cosh (logcosh, LogCosh), binary_crossentropy (bce,"
            + " BCE, BinaryCrossentropy), categorical_crossentropy (CategoricalCrossentropy),"
            + " sparse_categorical_crossentropy (SparseCategoricalCrossentropy), crossentropy / ce";

    private LossConfigs() {
    }

    /**
     * The loss a config describes, when it does not depend on shapes.
     *
     * @param node a loss name ({@code "mse"}, {@code "binary_crossentropy"}) or a serialized loss object
     * @param where names the place in errors, e.g. {@code "model.keras: compile_config"}
     * @throws KerasImportException for an unsupported or invalid loss, or {@code "crossentropy"}
     *                              (use the overload with shapes)
     * @return a new loss
     */
    public static Loss fromKeras(JsonNode node, String where) {
        return fromKeras(node, where, null, null);
    }

    /**
     * The loss a config describes for an output whose targets and predictions have these shapes
     * (needed only to resolve {@code "crossentropy"} / {@code "ce"} as Keras's compile does:
     * binary when the prediction ends in 1, sparse when the targets have lower rank or end in 1,
     * else categorical).
     *
     * @param node a loss name or a serialized loss object
     * @param where names the place in errors, e.g. {@code "model.keras: compile_config"}
     * @param yTrueShape null when unknown
     * @param yPredShape null when unknown
     * @return a new loss
     * @throws KerasImportException for an unsupported or invalid loss, or {@code "crossentropy"} without shapes
     */
    public static Loss fromKeras(JsonNode node, String where, int[] yTrueShape, int[] yPredShape) {
        if (node == null || node.isNull()) {
            throw new KerasImportException(where + ": no loss given");
        }
        if (node.isString()) {
            return fromName(node.stringValue(), where, yTrueShape, yPredShape);
        }
        if (node.isObject() && node.path("class_name").isString() && node.get("class_name").stringValue()
                .equals("function")) {
            JsonNode fn = node.get("config");
            if (fn == null || !fn.isString()) {
                throw new KerasImportException(where + ": serialized function without a name in 'config'");
            }
            return fromName(fn.stringValue(), where, yTrueShape, yPredShape);
        }
        KerasObject o = KerasObject.read(node, where);
        ConfigNode c = o.config();
        try {
            String name = c.string("name", null);
            Reduction reduction = reduction(c);
            checkDtype(c);
            return switch (o.className()) {
                case "MeanSquaredError" -> {
                    allow(c, "mean_squared_error");
                    yield new MeanSquaredError(or(name, "mean_squared_error"), reduction);
                }
                case "MeanAbsoluteError" -> {
                    allow(c, "mean_absolute_error");
                    yield new MeanAbsoluteError(or(name, "mean_absolute_error"), reduction);
                }
                case "Huber" -> {
                    allow(c, "huber", "delta");
                    yield new Huber(c.number("delta", 1.0), or(name, "huber_loss"), reduction);
                }
                case "LogCosh" -> {
                    allow(c, "log_cosh");
                    yield new LogCosh(or(name, "log_cosh"), reduction);
                }
                case "BinaryCrossentropy" -> {
                    allow(c, "binary_crossentropy", "from_logits", "label_smoothing", "axis");
                    yield new BinaryCrossentropy(c.bool("from_logits", false), c.number("label_smoothing", 0.0),
                            axis(c), or(name, "binary_crossentropy"), reduction);
                }
                case "CategoricalCrossentropy" -> {
                    allow(c, "categorical_crossentropy", "from_logits", "label_smoothing", "axis");
                    yield new CategoricalCrossentropy(c.bool("from_logits", false), c.number("label_smoothing", 0.0),
                            axis(c), or(name, "categorical_crossentropy"), reduction);
                }
                case "SparseCategoricalCrossentropy" -> {
                    allow(c, "sparse_categorical_crossentropy", "from_logits", "ignore_class", "axis");
                    if (c.has("axis") && axis(c) != -1) {
                        throw c.error("axis", "is " + axis(c) + "; only -1 is supported");
                    }
                    Integer ignore = c.has("ignore_class") ? c.integer("ignore_class", Integer.MIN_VALUE,
                            Integer.MAX_VALUE) : null;
                    yield new SparseCategoricalCrossentropy(c.bool("from_logits", false), ignore,
                            or(name, "sparse_categorical_crossentropy"), reduction);
                }
                case "LossFunctionWrapper" -> {
                    JsonNode fn = c.raw("fn");
                    if (fn == null) {
                        throw c.error("fn", "is missing");
                    }
                    String fnName = fn.isString() ? fn.stringValue()
                            : fn.isObject() && fn.get("config") != null && fn.get("config").isString()
                            ? fn.get("config").stringValue() : null;
                    if (fnName == null) {
                        throw c.error("fn", "must name a loss function, got " + ConfigNode.abbreviate(fn));
                    }
                    ScheduleConfigs.allow(c, "name", "reduction", "dtype", "fn");
                    Loss base = fromName(fnName, o.where() + " field 'fn'", yTrueShape, yPredShape);
                    yield renamed(base, or(name, fnName), reduction);
                }
                default -> throw new KerasImportException(o.where() + ": loss '" + o.className()
                        + "' is not supported; supported: " + SUPPORTED);
            };
        } catch (IllegalArgumentException e) {
            throw o.refuse(e);
        }
    }

    private static Loss fromName(String id, String where, int[] yTrueShape, int[] yPredShape) {
        String w = where + " ('" + id + "')";
        return switch (id) {
            case "mse", "MSE", "mean_squared_error" -> new MeanSquaredError(id, Reduction.SUM_OVER_BATCH_SIZE);
            case "MeanSquaredError" -> new MeanSquaredError();
            case "mae", "MAE", "mean_absolute_error" -> new MeanAbsoluteError(id, Reduction.SUM_OVER_BATCH_SIZE);
            case "MeanAbsoluteError" -> new MeanAbsoluteError();
            case "huber", "huber_loss" -> new Huber(1.0, id, Reduction.SUM_OVER_BATCH_SIZE);
            case "Huber" -> new Huber();
            case "log_cosh", "logcosh" -> new LogCosh(id, Reduction.SUM_OVER_BATCH_SIZE);
            case "LogCosh" -> new LogCosh();
            case "binary_crossentropy", "bce", "BCE" ->
                    new BinaryCrossentropy(false, 0.0, -1, id, Reduction.SUM_OVER_BATCH_SIZE);
            case "BinaryCrossentropy" -> new BinaryCrossentropy();
            case "categorical_crossentropy" ->
                    new CategoricalCrossentropy(false, 0.0, -1, id, Reduction.SUM_OVER_BATCH_SIZE);
            case "CategoricalCrossentropy" -> new CategoricalCrossentropy();
            case "sparse_categorical_crossentropy" ->
                    new SparseCategoricalCrossentropy(false, null, id, Reduction.SUM_OVER_BATCH_SIZE);
            case "SparseCategoricalCrossentropy" -> new SparseCategoricalCrossentropy();
            default -> {
                if (id.equalsIgnoreCase("crossentropy") || id.equalsIgnoreCase("ce")) {
                    yield crossentropy(id, w, yTrueShape, yPredShape);
                }
                throw new KerasImportException(w + ": loss is not supported; supported: " + SUPPORTED);
            }
        };
    }

    /** Keras's compile_utils.get_loss for "crossentropy": chosen by the output's shapes. */
    private static Loss crossentropy(String id, String where, int[] yTrue, int[] yPred) {
        if (yTrue == null || yPred == null || yTrue.length == 0 || yPred.length == 0) {
            throw new KerasImportException(where + ": Keras picks binary, categorical or sparse cross-entropy from the"
                    + " output's shapes; resolve this loss with the target and prediction shapes");
        }
        boolean binary = yPred[yPred.length - 1] == 1;
        boolean sparse = yTrue.length < yPred.length || (yTrue[yTrue.length - 1] == 1 && yPred[yPred.length - 1] > 1);
        if (binary) {
            return new BinaryCrossentropy(false, 0.0, -1, id, Reduction.SUM_OVER_BATCH_SIZE);
        }
        if (sparse) {
            return new SparseCategoricalCrossentropy(false, null, id, Reduction.SUM_OVER_BATCH_SIZE);
        }
        return new CategoricalCrossentropy(false, 0.0, -1, id, Reduction.SUM_OVER_BATCH_SIZE);
    }

    private static Loss renamed(Loss l, String name, Reduction r) {
        return switch (l) {
            case MeanSquaredError x -> new MeanSquaredError(name, r);
            case MeanAbsoluteError x -> new MeanAbsoluteError(name, r);
            case Huber x -> new Huber(x.delta(), name, r);
            case LogCosh x -> new LogCosh(name, r);
            case BinaryCrossentropy x -> new BinaryCrossentropy(x.fromLogits(), x.labelSmoothing(), -1, name, r);
            case CategoricalCrossentropy x -> new CategoricalCrossentropy(x.fromLogits(), x.labelSmoothing(), -1, name, r);
            case SparseCategoricalCrossentropy x -> new SparseCategoricalCrossentropy(x.fromLogits(), x.ignoreClass(),
                    name, r);
            default -> l;
        };
    }

    private static Reduction reduction(ConfigNode c) {
        if (!c.json().has("reduction")) {
            return Reduction.SUM_OVER_BATCH_SIZE;
        }
        JsonNode r = c.json().get("reduction");
        if (r.isNull()) {
            return Reduction.NONE;
        }
        String s = c.string("reduction");
        if (s.equals("auto")) {
            return Reduction.SUM_OVER_BATCH_SIZE; // Keras 2's AUTO is sum_over_batch_size in fit
        }
        try {
            return Reduction.fromKeras(s);
        } catch (IllegalArgumentException e) {
            throw c.error("reduction", "is '" + s + "'; expected sum_over_batch_size, sum, mean,"
                    + " mean_with_sample_weight, none or auto (Keras 2)");
        }
    }

    private static void checkDtype(ConfigNode c) {
        if (c.has("dtype")) {
            JsonNode d = c.raw("dtype");
            String s = d.isString() ? d.stringValue() : d.isObject() && d.get("config") != null
                    && d.get("config").get("name") != null ? d.get("config").get("name").asString() : String.valueOf(d);
            if (!s.equals("float32")) {
                throw c.error("dtype", "is " + ConfigNode.abbreviate(d) + "; only float32 is supported");
            }
        }
    }

    private static int axis(ConfigNode c) {
        return c.has("axis") ? c.integer("axis", -64, 64) : -1;
    }

    private static String or(String name, String fallback) {
        return name != null ? name : fallback;
    }

    /** The fields a Keras loss config may hold: name, reduction, dtype, Keras 2's fn (this class's function) and own. */
    private static void allow(ConfigNode c, String function, String... own) {
        List<String> all = new ArrayList<>(List.of("name", "reduction", "dtype", "fn"));
        all.addAll(List.of(own));
        ScheduleConfigs.allow(c, all.toArray(String[]::new));
        JsonNode fn = c.raw("fn");
        if (fn != null && !(fn.isString() && (fn.stringValue().equals(function)))) {
            throw c.error("fn", "is " + ConfigNode.abbreviate(fn) + ", expected '" + function + "' for this class");
        }
    }

    /**
     * The Keras 3 serialized config of {@code loss} ({@code {"module": "keras.losses", "class_name",
     * "config": {"name", "reduction", ...}}}), as Keras writes a Loss object. Keras's Huber omits
     * its {@code delta} (so a saved Huber(delta=2) reloads as delta 1); this writes {@code delta}
     * when it is not 1, which Keras reads back correctly.
     *
     * @param loss the loss to write
     * @return a new JSON object in Keras's {@code serialize_keras_object} form
     */
    public static ObjectNode toKerasConfig(Loss loss) {
        ObjectNode c = KerasObject.JSON.objectNode();
        c.put("name", loss.name());
        if (loss.reduction() == Reduction.NONE) {
            c.put("reduction", "none");
        } else {
            c.put("reduction", loss.reduction().keras());
        }
        switch (loss) {
            case Huber h -> {
                if (h.delta() != 1.0) {
                    c.put("delta", h.delta());
                }
            }
            case BinaryCrossentropy b -> {
                c.put("from_logits", b.fromLogits());
                c.put("label_smoothing", b.labelSmoothing());
                c.put("axis", b.axis());
            }
            case CategoricalCrossentropy b -> {
                c.put("from_logits", b.fromLogits());
                c.put("label_smoothing", b.labelSmoothing());
                c.put("axis", b.axis());
            }
            case SparseCategoricalCrossentropy s -> {
                c.put("from_logits", s.fromLogits());
                if (s.ignoreClass() == null) {
                    c.putNull("ignore_class");
                } else {
                    c.put("ignore_class", (int) s.ignoreClass());
                }
            }
            default -> {
            }
        }
        return KerasObject.serialized(MODULE, loss.kind(), c);
    }

    /**
     * A compiled model's losses, one entry per output that has a loss, as Keras's
     * {@code CompileLoss} pairs them: a single loss applies to every output; a list gives one per
     * output (null for none); a dict maps output names. {@code loss_weights} may be absent, a number
     * (one output), a list or a dict.
     *
     * @param loss the compile config's {@code loss}: a name, an object, a list or a dict; null for none
     * @param lossWeights the compile config's {@code loss_weights}, or null
     * @param outputNames the model's output names, in output order
     * @param yTrueShapes per output, for resolving {@code "crossentropy"}; may be null
     * @param yPredShapes per output, likewise
     * @param where names the place in errors, e.g. {@code "model.keras: compile_config"}
     * @return the losses with their output names and weights, in output order; empty when there is no loss
     * @throws KerasImportException when the structure does not fit the outputs or a loss is invalid
     */
    public static List<OutputLoss> perOutput(JsonNode loss, JsonNode lossWeights, List<String> outputNames,
                                             List<int[]> yTrueShapes, List<int[]> yPredShapes, String where) {
        int n = outputNames.size();
        List<JsonNode> perOut = new ArrayList<>();
        if (loss == null || loss.isNull()) {
            return List.of();
        }
        if (loss.isArray()) {
            if (loss.size() != n) {
                throw new KerasImportException(where + ": 'loss' lists " + loss.size() + " losses for a model with " + n
                        + " outputs " + outputNames);
            }
            loss.values().forEach(perOut::add);
        } else if (loss.isObject() && !loss.has("class_name")) {
            perOut.addAll(byName(loss, outputNames, where + " 'loss'"));
        } else {
            for (int i = 0; i < n; i++) {
                perOut.add(loss);
            }
        }
        List<Double> weights = weights(lossWeights, outputNames, where);
        List<OutputLoss> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            JsonNode l = perOut.get(i);
            if (l == null || l.isNull()) {
                continue;
            }
            String w = where + " loss of output '" + outputNames.get(i) + "'";
            Loss resolved = fromKeras(l, w, yTrueShapes == null ? null : yTrueShapes.get(i),
                    yPredShapes == null ? null : yPredShapes.get(i));
            out.add(new OutputLoss(n == 1 ? null : outputNames.get(i), resolved, weights.get(i)));
        }
        return out;
    }

    private static List<Double> weights(JsonNode w, List<String> outputNames, String where) {
        int n = outputNames.size();
        List<Double> out = new ArrayList<>();
        if (w == null || w.isNull()) {
            for (int i = 0; i < n; i++) {
                out.add(null);
            }
            return out;
        }
        List<JsonNode> nodes = new ArrayList<>();
        if (w.isNumber()) {
            if (n != 1) {
                throw new KerasImportException(where + ": 'loss_weights' is one number for a model with " + n
                        + " outputs; expected a list or dict");
            }
            nodes.add(w);
        } else if (w.isArray()) {
            if (w.size() != n) {
                throw new KerasImportException(where + ": `loss_weights` must match the number of losses, got " + n
                        + " outputs and " + w.size() + " weights");
            }
            w.values().forEach(nodes::add);
        } else if (w.isObject()) {
            nodes.addAll(byName(w, outputNames, where + " 'loss_weights'"));
        } else {
            throw new KerasImportException(where + ": 'loss_weights' must be a number, list or dict, got "
                    + ConfigNode.abbreviate(w));
        }
        for (JsonNode x : nodes) {
            if (x == null || x.isNull()) {
                out.add(null);
            } else if (x.isNumber()) {
                out.add(x.doubleValue());
            } else {
                throw new KerasImportException(where + ": loss weight must be a number, got " + ConfigNode.abbreviate(x));
            }
        }
        return out;
    }

    /** A dict keyed by output names, in output order (Keras requires exactly the model's names). */
    static List<JsonNode> byName(JsonNode dict, List<String> outputNames, String where) {
        Set<String> keys = new HashSet<>(dict.propertyNames());
        if (!keys.equals(new HashSet<>(outputNames))) {
            throw new KerasImportException(where + ": expected keys " + outputNames + " (the model's outputs), found "
                    + dict.propertyNames());
        }
        List<JsonNode> out = new ArrayList<>();
        for (String name : outputNames) {
            out.add(dict.get(name));
        }
        return out;
    }
}
