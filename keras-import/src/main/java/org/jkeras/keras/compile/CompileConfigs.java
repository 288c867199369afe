package org.jkeras.keras.compile;

import java.util.List;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.config.ConfigNode;
import org.jkeras.runtime.training.loss.OutputLoss;
import org.jkeras.runtime.training.optimizer.Optimizer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A model's compile settings: Keras 3's {@code compile_config} (in a {@code .keras} file's
 * {@code config.json}) and the legacy {@code training_config} attribute of an {@code .h5} file
 * (Keras 1/2, tf.keras and Keras 3 write it; the optimizer sits under {@code optimizer_config}).
 * The reverse, {@link #toKerasConfig}, writes a Keras 3 {@code compile_config} with the
 * optimizer a model was trained with.
 */
public final class CompileConfigs {
    private CompileConfigs() {
    }

    /**
     * Reads a Keras 3 {@code compile_config}.
     *
     * @param compileConfig the {@code compile_config} object from {@code config.json}
     * @param outputNames the model's output names in order
     * @param yTrueShapes per output target shapes, used only to resolve {@code "crossentropy"}; may be null
     * @param yPredShapes per output prediction shapes, likewise
     * @param where       names the place in errors, e.g. {@code "model.keras: compile_config"}
     * @throws KerasImportException for anything unsupported or invalid, naming the field
     * @return the optimizer (null when none is given), the losses per output and the metric configs
     */
    public static CompileConfig fromKeras3(JsonNode compileConfig, List<String> outputNames, List<int[]> yTrueShapes,
                                           List<int[]> yPredShapes, String where) {
        return read(compileConfig, "optimizer", outputNames, yTrueShapes, yPredShapes, where);
    }

    /**
     * Reads a legacy {@code .h5} {@code training_config}; see {@link #fromKeras3} for the parameters.
     *
     * @param trainingConfig the parsed {@code training_config} attribute
     * @param outputNames the model's output names in order
     * @param yTrueShapes per output target shapes, used only to resolve {@code "crossentropy"}; may be null
     * @param yPredShapes per output prediction shapes, likewise
     * @param where names the place in errors, e.g. {@code "model.h5: training_config"}
     * @return the optimizer (from {@code optimizer_config}; null when none), the losses and the metric configs
     * @throws KerasImportException for anything unsupported or invalid, naming the field
     */
    public static CompileConfig fromTrainingConfig(JsonNode trainingConfig, List<String> outputNames,
                                                   List<int[]> yTrueShapes, List<int[]> yPredShapes, String where) {
        return read(trainingConfig, "optimizer_config", outputNames, yTrueShapes, yPredShapes, where);
    }

    private static CompileConfig read(JsonNode node, String optimizerField, List<String> outputNames,
                                      List<int[]> yTrueShapes, List<int[]> yPredShapes, String where) {
        if (node == null || !node.isObject()) {
            throw new KerasImportException(where + ": expected an object, got " + ConfigNode.abbreviate(node));
        }
        ConfigNode c = new ConfigNode(node, where);
        Optimizer optimizer = c.has(optimizerField)
                ? OptimizerConfigs.fromKeras(c.raw(optimizerField), where + "." + optimizerField) : null;
        List<OutputLoss> losses = LossConfigs.perOutput(c.raw("loss"), c.raw("loss_weights"), outputNames, yTrueShapes,
                yPredShapes, where);
        return new CompileConfig(optimizer, losses,
                MetricConfigs.perOutput(c.raw("metrics"), outputNames, where + ".metrics"),
                MetricConfigs.perOutput(c.raw("weighted_metrics"), outputNames, where + ".weighted_metrics"), node);
    }

    /**
     * A Keras 3 {@code compile_config} for saving a trained model: {@code optimizer} serialized as
     * Keras does, and the loss, loss weights and metrics exactly as {@code compiled} read them
     * (Keras writes back what {@code compile} was given, strings stay strings).
     *
     * @param compiled the compile settings read from the source file
     * @param optimizer the optimizer to write (e.g. with the trained state's hyper-parameters), or null
     * @return a new JSON object for {@code config.json}'s {@code compile_config}
     */
    public static ObjectNode toKerasConfig(CompileConfig compiled, Optimizer optimizer) {
        ObjectNode out = KerasObject.JSON.objectNode();
        JsonNode src = compiled.source();
        out.set("optimizer", optimizer == null ? KerasObject.JSON.nullNode() : OptimizerConfigs.toKerasConfig(optimizer));
        for (String f : List.of("loss", "loss_weights", "metrics", "weighted_metrics")) {
            JsonNode v = src.get(f);
            out.set(f, v == null ? KerasObject.JSON.nullNode() : v.deepCopy());
        }
        out.put("run_eagerly", src.path("run_eagerly").asBoolean(false));
        JsonNode spe = src.get("steps_per_execution");
        out.put("steps_per_execution", spe != null && spe.isIntegralNumber() ? spe.intValue() : 1);
        out.put("jit_compile", src.path("jit_compile").asBoolean(false));
        return out;
    }
}
