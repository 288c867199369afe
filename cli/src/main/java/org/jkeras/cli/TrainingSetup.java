package org.jkeras.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.compile.CompileConfig;
import org.jkeras.keras.compile.CompileConfigs;
import org.jkeras.keras.compile.LossConfigs;
import org.jkeras.keras.compile.MetricConfigs;
import org.jkeras.keras.compile.OptimizerConfigs;
import org.jkeras.keras.save.KerasOrigin;
import org.jkeras.keras.save.FitStates;
import org.jkeras.keras.save.OptimizerVariable;
import org.jkeras.keras.save.TrainingState;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.TrainingDefaults;
import org.jkeras.runtime.training.loss.Loss;
import org.jkeras.runtime.training.optimizer.NamedArray;
import org.jkeras.runtime.training.optimizer.Optimizer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What {@code finetune} trains with: the model file's compile settings ({@link Model#trainingDefaults()}),
 * overridden by {@code --optimizer}, {@code --lr}, {@code --loss} and {@code --metrics}. Every name is
 * resolved by keras-import's compile translators, exactly as they read a Keras compile config, so the
 * command line accepts what Keras's {@code compile} accepts and nothing the library does not implement.
 * It also writes the compile config saved with the tuned model, in the form Keras's
 * {@code get_compile_config()} gives.
 */
final class TrainingSetup {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** The optimizer names the command line documents (any Keras spelling of them is accepted). */
    static final String OPTIMIZERS = "adam, sgd, rmsprop, adagrad, adamw, nadam";

    private TrainingSetup() {
    }

    /**
     * The optimizer: {@code --optimizer} with Keras's defaults, else the file's compiled one; {@code --lr}
     * replaces the learning rate (a constant, also of a file optimizer that had a schedule).
     *
     * @throws CliException 2 for an unknown name or bad rate, or when the file has no optimizer and none is
     *                      named; 3 when the file's compiled optimizer is one jkeras cannot use
     */
    static Optimizer optimizer(String name, Double learningRate, Model model, Path file) {
        Optimizer o;
        if (name != null) {
            try {
                o = OptimizerConfigs.fromKeras(JSON.stringNode(name), "--optimizer");
            } catch (KerasImportException e) {
                throw new CliException(ExitCode.USAGE, e.getMessage(), e);
            }
        } else {
            o = model.trainingDefaults().optimizer();
            if (o == null) {
                throw missing(model.trainingDefaults(), file, "optimizer", "--optimizer NAME (" + OPTIMIZERS + ")");
            }
        }
        if (learningRate == null) {
            return o;
        }
        ObjectNode config = OptimizerConfigs.toKerasConfig(o);
        ((ObjectNode) config.get("config")).put("learning_rate", (double) learningRate);
        try {
            return OptimizerConfigs.fromKeras(config, "--lr " + learningRate);
        } catch (KerasImportException e) {
            throw new CliException(ExitCode.USAGE, e.getMessage(), e);
        }
    }

    /**
     * The loss of every output: {@code --loss} (Keras's names; {@code crossentropy} is resolved from the shapes
     * of the targets and outputs, as Keras's compile does), or null for the file's.
     *
     * @param y the targets, one per output (fewer or more are reported by the fit)
     * @throws CliException 2 for an unknown name, or when the file has no loss and none is named; 3 when the
     *                      file's loss is one jkeras cannot use
     */
    static List<Loss> losses(String name, Model model, List<Tensor> y, Path file) {
        if (name == null) {
            if (model.trainingDefaults().losses().isEmpty()) {
                throw missing(model.trainingDefaults(), file, "loss", "--loss NAME (mse, mae, huber,"
                        + " binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy, ...)");
            }
            return null;
        }
        List<Loss> losses = new ArrayList<>();
        int n = Math.min(model.outputShapes().size(), y.size());
        for (int k = 0; k < n; k++) {
            try {
                losses.add(LossConfigs.fromKeras(JSON.stringNode(name), "--loss", y.get(k).shape(),
                        predictionShape(model, k, y.get(k))));
            } catch (KerasImportException e) {
                throw new CliException(ExitCode.USAGE, e.getMessage(), e);
            }
        }
        return losses;
    }

    /**
     * Checks each {@code --metrics} name against every output as Keras's compile would resolve it.
     *
     * @throws CliException 2 for a name jkeras does not implement
     */
    static void checkMetrics(List<String> names, Model model, List<Tensor> y) {
        int n = Math.min(model.outputShapes().size(), y.size());
        for (String name : names) {
            for (int k = 0; k < n; k++) {
                try {
                    MetricConfigs.fromKeras(JSON.stringNode(name), "--metrics", y.get(k).shape(),
                            predictionShape(model, k, y.get(k)));
                } catch (KerasImportException e) {
                    throw new CliException(ExitCode.USAGE, e.getMessage(), e);
                }
            }
        }
    }

    /** A prediction's shape for output {@code k}: the declared one, unknown sizes taken from the targets. */
    static int[] predictionShape(Model model, int k, Tensor target) {
        int[] dims = model.outputShapes().get(k).dims();
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == Shape.UNKNOWN) {
                dims[i] = i < target.rank() ? target.dim(i) : 1;
            }
        }
        return dims;
    }

    private static CliException missing(TrainingDefaults d, Path file, String what, String flag) {
        if (!d.compileProblems().isEmpty()) {
            return new CliException(ExitCode.BAD_MODEL, file + ": the compiled " + what + " cannot be used ("
                    + String.join("; ", d.compileProblems()) + "); name one with " + flag);
        }
        return new CliException(ExitCode.USAGE, file + " has no compiled " + what + "; name one with " + flag);
    }

    /**
     * The compile config to save with the tuned model, as Keras's {@code get_compile_config()} gives it:
     * the trained {@code optimizer} serialized as Keras does, and the loss, loss weights and metrics as the
     * file compiled them, {@code --loss} and {@code --metrics} replacing theirs. A file whose compile config
     * is not in Keras 3 form (a Keras 1/2 {@code training_config}) gets its losses serialized as Keras 3
     * loss objects. Read back by keras-import, as a check that jkeras and Keras will read what is written.
     *
     * @param lossName    {@code --loss}, or null
     * @param metricNames {@code --metrics}, or null
     * @param y           one target per output
     * @throws KerasImportException when the result cannot be read back (a bug, not a user error)
     */
    static ObjectNode compileConfig(Model model, Optimizer optimizer, String lossName, List<String> metricNames,
                                    List<Tensor> y, Path out) {
        TrainingDefaults d = model.trainingDefaults();
        JsonNode recorded = model.origin(KerasOrigin.class).map(KerasOrigin::compileConfig).orElse(null);
        ObjectNode src = recorded != null && recorded.isObject() ? (ObjectNode) recorded.deepCopy() : JSON.objectNode();
        src.remove("optimizer"); // replaced by the trained one; the file's may be one jkeras cannot read
        List<String> outputs = outputNames(model);
        if (lossName != null) {
            src.put("loss", lossName);
        } else if (!present(src, "loss")) {
            if (d.losses().size() == 1) {
                src.set("loss", LossConfigs.toKerasConfig(d.losses().get(0)));
            } else {
                ArrayNode per = src.putArray("loss");
                d.losses().forEach(l -> per.add(LossConfigs.toKerasConfig(l)));
            }
            if (!present(src, "loss_weights") && !d.lossWeights().isEmpty()) {
                ArrayNode w = src.putArray("loss_weights");
                d.lossWeights().forEach(v -> w.add((double) v));
            }
        }
        List<String> metrics = metricNames != null ? metricNames
                : present(src, "metrics") ? null : d.metrics().isEmpty() ? null : d.metrics();
        if (metrics != null) {
            ArrayNode m = src.putArray("metrics");
            if (outputs.size() == 1) {
                metrics.forEach(m::add);
            } else {
                for (int k = 0; k < outputs.size(); k++) {
                    ArrayNode perOutput = m.addArray();
                    metrics.forEach(perOutput::add);
                }
            }
        }
        List<int[]> yTrue = new ArrayList<>();
        List<int[]> yPred = new ArrayList<>();
        for (int k = 0; k < outputs.size(); k++) {
            yTrue.add(y.get(k).shape());
            yPred.add(predictionShape(model, k, y.get(k)));
        }
        CompileConfig compiled = CompileConfigs.fromKeras3(src, outputs, yTrue, yPred, out + ": compile config");
        return CompileConfigs.toKerasConfig(compiled, optimizer);
    }

    private static boolean present(JsonNode o, String field) {
        return o.get(field) != null && !o.get(field).isNull();
    }

    /** Keras's output names: the layers producing the model's outputs. */
    static List<String> outputNames(Model model) {
        List<String> names = new ArrayList<>();
        model.graph().outputs().forEach(p -> names.add(model.graph().nodes().get(p.node()).name()));
        return names;
    }

    /** Keras's saved optimizer variables as the trainer takes them ({@code iteration} exact up to 2^24). */
    static List<NamedArray> toTrainer(List<OptimizerVariable> vars, Path file) {
        try {
            return FitStates.optimizerVariables(new TrainingState(null, vars), String.valueOf(file));
        } catch (org.jkeras.keras.KerasImportException e) {
            throw new CliException(ExitCode.BAD_MODEL, e.getMessage());
        }
    }

    /** The trainer's optimizer variables as the writer saves them ({@code int64} ones as integers). */
    static List<OptimizerVariable> toWriter(List<NamedArray> vars) {
        return FitStates.writerVariables(vars);
    }
}
