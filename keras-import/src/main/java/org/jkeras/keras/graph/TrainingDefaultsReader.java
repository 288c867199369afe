package org.jkeras.keras.graph;

import org.jkeras.keras.compile.LossConfigs;
import org.jkeras.keras.compile.MetricConfigs;
import org.jkeras.keras.compile.OptimizerConfigs;
import org.jkeras.keras.compile.RegularizerConfigs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.translate.TrainingFacts;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.TrainingDefaults;
import org.jkeras.runtime.training.loss.Loss;
import org.jkeras.runtime.training.loss.OutputLoss;
import org.jkeras.runtime.training.optimizer.Optimizer;
import org.jkeras.runtime.training.regularizer.Regularizer;
import tools.jackson.databind.JsonNode;

/**
 * Turns what a model file says about training into the runtime's {@link TrainingDefaults}: the compile
 * config (Keras 3 {@code compile_config}, or a legacy {@code .h5}'s {@code training_config} with its
 * {@code optimizer_config}) and the layer facts (frozen layers, regularizers, refusals). A compile config
 * jkeras cannot use does not stop the model from loading: the reason is kept, and a fit that names its own
 * optimizer and loss works. A regularizer it cannot read is a refusal (training without it would differ
 * from Keras).
 */
public final class TrainingDefaultsReader {
    private TrainingDefaultsReader() {
    }

    /**
     * The defaults for {@code model}.
     *
     * @param model the loaded model, whose output names and shapes resolve the losses and metrics
     * @param compileConfig the file's compile config, or null
     * @param facts         what the layer configs say
     * @param file          the file name, for messages
     * @return the optimizer, losses, metrics, frozen weights and regularizers to train with, and the reasons
     *         for what could not be used
     */
    public static TrainingDefaults read(Model model, JsonNode compileConfig, TrainingFacts facts, String file) {
        List<String> refusals = new ArrayList<>(facts.refusals());
        Map<String, Regularizer> weights = new LinkedHashMap<>();
        facts.weightRegularizers().forEach((key, node) -> regularizer(node, file + ": " + facts.ownerOf(key),
                refusals).ifPresent(r -> weights.put(key, r)));
        Map<String, Regularizer> activity = new LinkedHashMap<>();
        facts.activityRegularizers().forEach((key, node) -> regularizer(node, file + ": " + facts.ownerOf(key),
                refusals).ifPresent(r -> activity.put(key, r)));
        Optimizer optimizer = null;
        List<Loss> losses = new ArrayList<>();
        List<Float> lossWeights = new ArrayList<>();
        List<String> metrics = new ArrayList<>();
        List<String> weightedMetrics = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (compileConfig != null && compileConfig.isObject()) {
            String where = file + ": compile config";
            JsonNode opt = compileConfig.has("optimizer") ? compileConfig.get("optimizer")
                    : compileConfig.get("optimizer_config");
            if (opt != null && !opt.isNull()) {
                try {
                    optimizer = OptimizerConfigs.fromKeras(opt, where + " field 'optimizer'");
                } catch (KerasImportException | IllegalArgumentException e) {
                    problems.add(e.getMessage());
                }
            }
            List<String> outputs = outputNames(model);
            try {
                List<OutputLoss> per = LossConfigs.perOutput(compileConfig.get("loss"), compileConfig.get("loss_weights"),
                        outputs, null, null, where);
                if (!per.isEmpty() && per.size() != outputs.size()) {
                    problems.add(where + ": only " + per.size() + " of the " + outputs.size()
                            + " outputs have a loss; jkeras trains models whose every output has one");
                } else {
                    boolean weighted = per.stream().anyMatch(o -> o.weight() != null);
                    for (OutputLoss o : per) {
                        losses.add(o.loss());
                        if (weighted) {
                            lossWeights.add(o.gradScale());
                        }
                    }
                }
            } catch (KerasImportException | IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
            metricNames(compileConfig.get("metrics"), outputs, where, metrics, problems);
            metricNames(compileConfig.get("weighted_metrics"), outputs, where, weightedMetrics, problems);
        }
        return new TrainingDefaults(optimizer, losses, lossWeights, metrics, weightedMetrics, facts.frozen(), weights,
                activity, refusals, problems);
    }

    private static void metricNames(JsonNode config, List<String> outputs, String where, List<String> into,
                                    List<String> problems) {
        try {
            for (List<JsonNode> perOutput : MetricConfigs.perOutput(config, outputs, where)) {
                for (JsonNode m : perOutput) {
                    String name = metricName(m);
                    if (name != null && !into.contains(name)) {
                        into.add(name);
                    }
                }
            }
        } catch (KerasImportException | IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
    }

    private static java.util.Optional<Regularizer> regularizer(JsonNode node, String where, List<String> refusals) {
        try {
            return java.util.Optional.of(RegularizerConfigs.fromKeras(node, where));
        } catch (KerasImportException | IllegalArgumentException e) {
            refusals.add(e.getMessage());
            return java.util.Optional.empty();
        }
    }

    /** A metric's compile name: the string itself, or a serialized metric's {@code name} (else its class). */
    private static String metricName(JsonNode m) {
        if (m == null || m.isNull()) {
            return null;
        }
        if (m.isString()) {
            return m.stringValue();
        }
        JsonNode config = m.get("config");
        if (config != null && config.get("name") != null && config.get("name").isString()) {
            return config.get("name").stringValue();
        }
        return m.get("class_name") == null ? null : m.get("class_name").asString();
    }

    /** Keras's output names: the layers producing the model's outputs. */
    private static List<String> outputNames(Model model) {
        List<String> names = new ArrayList<>();
        model.graph().outputs().forEach(p -> names.add(model.graph().nodes().get(p.node()).name()));
        return names;
    }
}
