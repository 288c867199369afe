package org.jkeras.keras.save;

import java.util.ArrayList;
import java.util.List;
import org.jkeras.keras.compile.LossConfigs;
import org.jkeras.keras.compile.OptimizerConfigs;
import org.jkeras.runtime.training.FitResult;
import org.jkeras.runtime.training.loss.Loss;
import org.jkeras.runtime.training.optimizer.NamedArray;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@link TrainingState} of a finished {@link FitResult}: the compile config Keras would record for the
 * same {@code model.compile(...)} (the trained optimizer with its hyper-parameters serialized as Keras does,
 * the losses, loss weights and metrics) and the optimizer's variables in Keras's order, so a model saved with
 * it continues training in Keras exactly where jkeras stopped.
 */
public final class FitStates {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private FitStates() {
    }

    /**
     * The training state to save beside {@code result.model()}.
     *
     * @param result a finished fit
     * @return its optimizer as a Keras {@code compile_config} and its optimizer variables
     */
    public static TrainingState of(FitResult result) {
        ObjectNode compile = JSON.createObjectNode();
        compile.set("optimizer", OptimizerConfigs.toKerasConfig(result.optimizer()));
        List<Loss> losses = result.losses();
        if (losses.size() == 1) {
            compile.set("loss", LossConfigs.toKerasConfig(losses.get(0)));
        } else {
            ArrayNode list = compile.putArray("loss");
            losses.forEach(l -> list.add(LossConfigs.toKerasConfig(l)));
        }
        if (result.lossWeights().isEmpty()) {
            compile.putNull("loss_weights");
        } else {
            ArrayNode w = compile.putArray("loss_weights");
            result.lossWeights().forEach(v -> w.add((double) v));
        }
        if (result.metrics().isEmpty()) {
            compile.putNull("metrics");
        } else {
            ArrayNode m = compile.putArray("metrics");
            result.metrics().forEach(m::add);
        }
        if (result.weightedMetrics().isEmpty()) {
            compile.putNull("weighted_metrics");
        } else {
            ArrayNode m = compile.putArray("weighted_metrics");
            result.weightedMetrics().forEach(m::add);
        }
        compile.put("run_eagerly", false);
        compile.put("steps_per_execution", 1);
        compile.put("jit_compile", false);
        return new TrainingState((JsonNode) compile, writerVariables(result.optimizerState()));
    }

    /**
     * The runtime optimizers' variables as the writer saves them ({@code int64} ones as integers).
     *
     * @param state the variables of a runtime optimizer, in its order
     * @return the same variables, typed as Keras stores them
     */
    public static List<OptimizerVariable> writerVariables(List<NamedArray> state) {
        List<OptimizerVariable> vars = new ArrayList<>(state.size());
        for (NamedArray a : state) {
            if ("int64".equals(a.dtype())) {
                float[] f = a.data();
                long[] longs = new long[f.length];
                for (int i = 0; i < f.length; i++) {
                    longs[i] = (long) f[i];
                }
                vars.add(OptimizerVariable.int64(a.name(), longs, a.shape()));
            } else {
                vars.add(OptimizerVariable.float32(a.name(), a.data(), a.shape()));
            }
        }
        return vars;
    }

    /**
     * The optimizer variables of a saved training state as the runtime's optimizers take them
     * ({@link org.jkeras.runtime.training.Fit#optimizerState}): to continue in jkeras a fit Keras (or jkeras) saved.
     *
     * @param state a training state read from a file
     * @param file  names the source in errors
     * @return its optimizer variables, in stored order, as float32
     * @throws org.jkeras.keras.KerasImportException when a counter is beyond 2^24 (not exact in the float32 the
     *                                              runtime keeps it in)
     */
    public static List<NamedArray> optimizerVariables(TrainingState state, String file) {
        List<NamedArray> out = new ArrayList<>();
        for (OptimizerVariable v : state.optimizerVariables()) {
            if ("int64".equals(v.dtype())) {
                long[] longs = v.longs();
                float[] f = new float[longs.length];
                for (int i = 0; i < longs.length; i++) {
                    if (Math.abs(longs[i]) > (1L << 24)) {
                        throw new org.jkeras.keras.KerasImportException(file + ": optimizer variable '" + v.name()
                                + "' holds " + longs[i] + ", beyond the 2^24 steps jkeras continues from exactly");
                    }
                    f[i] = longs[i];
                }
                out.add(new NamedArray(v.name(), v.shape(), f, "int64"));
            } else {
                out.add(new NamedArray(v.name(), v.shape(), v.floats()));
            }
        }
        return out;
    }
}
