package org.jkeras.keras.compile;

import java.util.ArrayList;
import java.util.List;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.config.ConfigNode;
import org.jkeras.runtime.training.metric.BinaryAccuracy;
import org.jkeras.runtime.training.metric.CategoricalAccuracy;
import org.jkeras.runtime.training.metric.MeanAbsoluteError;
import org.jkeras.runtime.training.metric.MeanSquaredError;
import org.jkeras.runtime.training.metric.Metric;
import org.jkeras.runtime.training.metric.Metrics;
import org.jkeras.runtime.training.metric.SparseCategoricalAccuracy;
import tools.jackson.databind.JsonNode;

/**
 * Metric configs to runtime {@link Metric}s: compile strings ({@code "accuracy"}, {@code "acc"},
 * {@code "mse"}, {@code "mae"}, ... — resolved by {@link Metrics#resolve} with the output's
 * shapes), Keras 3 serialized metric objects and Keras 2's
 * {@code {"class_name": "MeanMetricWrapper", "config": {"name", "fn"}}}.
 */
public final class MetricConfigs {
    private MetricConfigs() {
    }

    /**
     * The metric a config describes, for an output with these target and prediction shapes.
     *
     * @param node a compile string ({@code "mae"}, {@code "accuracy"}) or a serialized metric object
     * @param where names the place in errors, e.g. {@code "model.keras: compile_config"}
     * @param yTrueShape the output's target shape, which picks the accuracy for {@code "accuracy"}
     * @param yPredShape the output's prediction shape, likewise
     * @throws KerasImportException for an unsupported or invalid metric
     * @return a new metric, reported under its config's name (or the string)
     */
    public static Metric fromKeras(JsonNode node, String where, int[] yTrueShape, int[] yPredShape) {
        if (node != null && node.isString()) {
            try {
                return Metrics.resolve(node.stringValue(), yTrueShape, yPredShape);
            } catch (IllegalArgumentException e) {
                throw new KerasImportException(where + ": " + e.getMessage(), e);
            }
        }
        KerasObject o = KerasObject.read(node, where);
        ConfigNode c = o.config();
        if (c.has("dtype") && !(c.raw("dtype").isString() && c.raw("dtype").stringValue().equals("float32"))) {
            throw c.error("dtype", "is " + ConfigNode.abbreviate(c.raw("dtype")) + "; only float32 is supported");
        }
        String name = c.string("name", null);
        try {
            return switch (o.className()) {
                case "MeanSquaredError" -> new MeanSquaredError(name == null ? "mean_squared_error" : name);
                case "MeanAbsoluteError" -> new MeanAbsoluteError(name == null ? "mean_absolute_error" : name);
                case "BinaryAccuracy" -> new BinaryAccuracy(name == null ? "binary_accuracy" : name,
                        c.number("threshold", 0.5));
                case "CategoricalAccuracy" -> new CategoricalAccuracy(name == null ? "categorical_accuracy" : name);
                case "SparseCategoricalAccuracy" ->
                        new SparseCategoricalAccuracy(name == null ? "sparse_categorical_accuracy" : name);
                case "MeanMetricWrapper" -> {
                    String fn = c.string("fn");
                    Metric m = Metrics.resolve(fn, yTrueShape, yPredShape);
                    yield renamed(m, name == null ? fn : name);
                }
                default -> throw new KerasImportException(o.where() + ": metric '" + o.className() + "' is not"
                        + " supported; supported: MeanSquaredError, MeanAbsoluteError, BinaryAccuracy,"
                        + " CategoricalAccuracy, SparseCategoricalAccuracy and the strings accuracy, acc, mse, mae");
            };
        } catch (IllegalArgumentException e) {
            throw o.refuse(e);
        }
    }

    private static Metric renamed(Metric m, String name) {
        return switch (m) {
            case MeanSquaredError x -> new MeanSquaredError(name);
            case MeanAbsoluteError x -> new MeanAbsoluteError(name);
            case BinaryAccuracy x -> new BinaryAccuracy(name, x.threshold());
            case CategoricalAccuracy x -> new CategoricalAccuracy(name);
            case SparseCategoricalAccuracy x -> new SparseCategoricalAccuracy(name);
            default -> m;
        };
    }

    /**
     * The metric configs of each output, as Keras's {@code CompileMetrics} assigns them: with one
     * output every metric (nested lists flattened, as Keras 2 wrote them) applies to it; with several,
     * a list with one entry (a metric or a list) per output, or a dict by output name (outputs
     * missing from it get none).
     *
     * @param metrics the compile config's {@code metrics} or {@code weighted_metrics}; null or JSON null for none
     * @param outputNames the model's output names, in output order
     * @param where names the place in errors, e.g. {@code "model.keras: compile_config"}
     * @return per output, the metric configs (resolve each with {@link #fromKeras} and the output's shapes)
     * @throws KerasImportException when the structure does not fit the outputs
     */
    public static List<List<JsonNode>> perOutput(JsonNode metrics, List<String> outputNames, String where) {
        int n = outputNames.size();
        List<List<JsonNode>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new ArrayList<>());
        }
        if (metrics == null || metrics.isNull()) {
            return out;
        }
        if (n == 1) {
            flatten(metrics, out.get(0));
            return out;
        }
        if (metrics.isArray() && metrics.size() == n) {
            for (int i = 0; i < n; i++) {
                flatten(metrics.get(i), out.get(i));
            }
        } else if (metrics.isObject() && !metrics.has("class_name")) {
            for (String key : metrics.propertyNames()) {
                int i = outputNames.indexOf(key);
                if (i < 0) {
                    throw new KerasImportException(where + ": metrics for '" + key + "', which is not an output "
                            + outputNames);
                }
                flatten(metrics.get(key), out.get(i));
            }
        } else {
            throw new KerasImportException(where + ": metrics " + ConfigNode.abbreviate(metrics) + " for a model with "
                    + n + " outputs " + outputNames + ": expected one entry per output or a dict by output name");
        }
        return out;
    }

    private static void flatten(JsonNode node, List<JsonNode> into) {
        if (node == null || node.isNull()) {
            return;
        }
        if (node.isArray()) {
            for (JsonNode x : node.values()) {
                flatten(x, into);
            }
        } else {
            into.add(node);
        }
    }
}
