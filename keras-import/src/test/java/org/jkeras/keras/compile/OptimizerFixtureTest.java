package org.jkeras.keras.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.jkeras.keras.KerasImportException;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.training.optimizer.NamedArray;
import org.jkeras.runtime.training.optimizer.SparseRows;
import org.jkeras.runtime.training.optimizer.Optimizer;
import org.jkeras.runtime.training.optimizer.OptimizerState;
import org.jkeras.runtime.training.optimizer.VariableSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Every optimizer case of the Keras training fixtures: the optimizer is built from the config Keras
 * serialized, applies Keras's 10 recorded gradients, and after every step the variables, the
 * learning rate and every optimizer variable (in Keras's order, with Keras's names and shapes)
 * match what Keras computed. The config round-trips to Keras's JSON, and state restored from
 * Keras's variables after step 5 continues exactly as Keras did.
 */
class OptimizerFixtureTest {
    static Stream<Arguments> cases() {
        return TrainingUnits.arguments("optimizer");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyStepMatchesKeras(String id, JsonNode c) {
        JsonNode config = c.get("optimizer");
        if (config.get("config").get("use_ema").asBoolean()) {
            KerasImportException e = assertThrows(KerasImportException.class,
                    () -> OptimizerConfigs.fromKeras(config, id));
            assertTrue(e.getMessage().contains("use_ema"), e.getMessage());
            return;
        }
        Optimizer opt = OptimizerConfigs.fromKeras(config, id);
        JsonAssert.assertSameJson(config, OptimizerConfigs.toKerasConfig(opt), id + " round trip");
        double atol = c.get("tolerances").get("atol").asDouble();
        double rtol = c.get("tolerances").get("rtol").asDouble();
        int steps = c.get("steps").asInt();
        List<VariableSpec> specs = new ArrayList<>();
        List<Tensor> values = new ArrayList<>();
        List<Tensor> grads = new ArrayList<>();
        for (JsonNode v : c.get("variables")) {
            int[] shape = ints(v.get("shape"));
            specs.add(new VariableSpec(v.get("keras_path").asString(), shape));
            values.add(TrainingUnits.array(v.get("values").asString()));
            grads.add(TrainingUnits.array(v.get("grads").asString()));
        }
        Tensor lrs = TrainingUnits.array(c.get("learning_rates").asString());
        List<JsonNode> optVars = new ArrayList<>(c.get("optimizer_variables").values());
        List<Tensor> optValues = optVars.stream().map(e -> TrainingUnits.array(e.get("values").asString())).toList();

        OptimizerState state = opt.newState(specs);
        List<float[]> vars = new ArrayList<>();
        for (Tensor v : values) {
            vars.add(TrainingUnits.row(v, 0));
        }
        checkOptimizerVariables(state, optVars, optValues, 0, atol, rtol, id);
        double worst = 0;
        OptimizerState restored = null;
        List<float[]> restoredVars = null;
        for (int n = 0; n < steps; n++) {
            assertEquals(lrs.data()[n], opt.learningRate(state.iterations()), atol + rtol * Math.abs(lrs.data()[n]),
                    id + " learning rate at step " + n);
            List<float[]> g = new ArrayList<>();
            for (Tensor t : grads) {
                g.add(TrainingUnits.row(t, n));
            }
            opt.apply(state, vars, g, sparse(c, n));
            if (restored != null) {
                List<float[]> g2 = new ArrayList<>();
                for (Tensor t : grads) {
                    g2.add(TrainingUnits.row(t, n));
                }
                opt.apply(restored, restoredVars, g2, sparse(c, n));
            }
            for (int i = 0; i < vars.size(); i++) {
                worst = Math.max(worst, TrainingUnits.assertClose(TrainingUnits.row(values.get(i), n + 1), vars.get(i),
                        atol, rtol, id + " variable " + i + " after step " + (n + 1)));
                if (restored != null) {
                    TrainingUnits.assertClose(TrainingUnits.row(values.get(i), n + 1), restoredVars.get(i), atol, rtol,
                            id + " restored variable " + i + " after step " + (n + 1));
                }
            }
            worst = Math.max(worst, checkOptimizerVariables(state, optVars, optValues, n + 1, atol, rtol, id));
            if (n + 1 == steps / 2) {
                // Continue from Keras's own saved optimizer variables and weights after this step.
                List<NamedArray> saved = new ArrayList<>();
                for (int j = 0; j < optVars.size(); j++) {
                    JsonNode e = optVars.get(j);
                    saved.add(new NamedArray(e.get("name").asString(), ints(e.get("shape")),
                            TrainingUnits.row(optValues.get(j), n + 1), e.get("dtype").asString()));
                }
                restored = opt.restoreState(specs, saved);
                restoredVars = new ArrayList<>();
                for (Tensor v : values) {
                    restoredVars.add(TrainingUnits.row(v, n + 1));
                }
            }
        }
        assertEquals(steps, state.iterations(), id + " iterations");
        System.out.printf("%s: max |java - keras| over %d steps = %.3g%n", id, steps, worst);
    }

    private static double checkOptimizerVariables(OptimizerState state, List<JsonNode> optVars, List<Tensor> optValues,
                                                  int step, double atol, double rtol, String id) {
        List<NamedArray> exported = state.exportVariables();
        assertEquals(optVars.size(), exported.size(), id + ": number of optimizer variables "
                + exported.stream().map(NamedArray::name).toList());
        double worst = 0;
        for (int j = 0; j < exported.size(); j++) {
            JsonNode e = optVars.get(j);
            NamedArray a = exported.get(j);
            assertEquals(e.get("name").asString(), a.name(), id + " optimizer variable " + j + " name");
            assertTrue(Arrays.equals(ints(e.get("shape")), a.shape()), id + " optimizer variable " + j + " shape");
            assertEquals(e.get("dtype").asString(), a.dtype(), id + " optimizer variable " + j + " dtype");
            worst = Math.max(worst, TrainingUnits.assertClose(TrainingUnits.row(optValues.get(j), step), a.data(), atol,
                    rtol, id + " optimizer variable " + j + " (" + a.name() + ") after step " + step));
        }
        return worst;
    }

    /**
     * Step {@code n}'s row-sparse gradients as Keras's optimizer received them (an Embedding table's
     * {@code tf.IndexedSlices}), per variable; null when every gradient of the case is dense.
     */
    private static List<SparseRows> sparse(JsonNode c, int n) {
        List<SparseRows> out = new ArrayList<>();
        boolean any = false;
        for (JsonNode v : c.get("variables")) {
            JsonNode s = v.get("sparse_grads");
            if (s == null || s.isNull()) {
                out.add(null);
                continue;
            }
            any = true;
            float[] idx = TrainingUnits.array(s.get("indices").get(n).asString()).data();
            Tensor rows = TrainingUnits.array(s.get("values").get(n).asString());
            int[] r = new int[idx.length];
            for (int i = 0; i < r.length; i++) {
                r[i] = (int) idx[i];
            }
            int[] shape = ints(v.get("shape"));
            out.add(new SparseRows(shape.length > 1 ? shape[1] : 1, r, rows.data().clone()));
        }
        return any ? out : null;
    }

    static int[] ints(JsonNode array) {
        int[] r = new int[array.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = array.get(i).asInt();
        }
        return r;
    }
}
