package org.jkeras.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jkeras.fixtures.Fixtures;
import org.jkeras.keras.config.Json;
import org.jkeras.keras.save.KerasOrigin;
import org.jkeras.keras.save.OptimizerVariable;
import org.jkeras.keras.save.TrainingState;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.graph.Graph;
import org.jkeras.runtime.graph.Port;
import org.jkeras.runtime.layers.Dense;
import org.jkeras.runtime.layers.Layer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Saving derived models, training state, and the refusals: each error names the file and what is wrong. */
class SaveBehaviourTest {
    private static final String LSTM_DENSE = "lstm_last_dense__sequential__keras_zip";

    @TempDir
    Path dir;

    private static Model load(String id) {
        var c = Fixtures.byId(id);
        return KerasModels.load(c.modelPath(), c.weightsPath().orElse(null));
    }

    /** The loaded model with its Dense kernel doubled, built as a fine-tuning step would build it. */
    private static Model doubledDense(Model model, float factor, int extraUnits) {
        Layer lstm = model.layers().get(0);
        Dense dense = (Dense) model.layers().get(1);
        Tensor k = dense.weights().get(0).value();
        Tensor b = dense.weights().get(1).value();
        float[] kd = new float[k.shape()[0] * (k.shape()[1] + extraUnits)];
        for (int i = 0; i < k.size(); i++) {
            kd[i] = k.data()[i] * factor;
        }
        float[] bd = java.util.Arrays.copyOf(b.data(), b.size() + extraUnits);
        Dense changed = new Dense(dense.name(), Tensor.wrap(kd, k.shape()[0], k.shape()[1] + extraUnits),
                Tensor.wrap(bd, bd.length), dense.activation());
        Graph.Builder g = Graph.builder();
        Port in = g.input(model.inputNames().get(0), model.inputShapes().get(0));
        Port h = g.apply(lstm, in);
        Graph graph = g.build(List.of(g.apply(changed, h)));
        return new Model(graph, model.metadata(), model.origin(KerasOrigin.class).orElseThrow());
    }

    @Test
    void aDerivedModelSavesItsNewWeightsUnderTheOriginalConfig() throws Exception {
        Model model = load(LSTM_DENSE);
        Model tuned = doubledDense(model, 2f, 0);
        Path file = dir.resolve("tuned.keras");
        KerasModels.save(tuned, file);
        Model back = KerasModels.load(file);
        assertArrayEquals(tuned.layers().get(1).weights().get(0).value().data(),
                back.layers().get(1).weights().get(0).value().data());
        JsonNode original = Json.parse(new String(TestFiles.zipEntry(Fixtures.byId(LSTM_DENSE).modelPath(),
                "config.json"), java.nio.charset.StandardCharsets.UTF_8), "original");
        JsonNode saved = Json.parse(new String(TestFiles.zipEntry(file, "config.json"),
                java.nio.charset.StandardCharsets.UTF_8), "saved");
        assertEquals(original, saved, "a round trip changes only the weights");
    }

    @Test
    void aDerivedModelWithOtherWeightShapesIsRefused() throws Exception {
        Model changed = doubledDense(load(LSTM_DENSE), 1f, 1);
        KerasImportException e = assertThrows(KerasImportException.class,
                () -> KerasModels.save(changed, dir.resolve("x.keras")));
        assertTrue(e.getMessage().startsWith("x.keras: model.weights.h5: layer 'dense' weight 'kernel' has shape"),
                e.getMessage());
        assertTrue(e.getMessage().contains("expected (7, 3)"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("x.keras")));
        try (var s = Files.list(dir)) {
            assertEquals(0, s.count(), "no temporary file is left behind");
        }
    }

    @Test
    void aModelWithoutKerasOriginIsRefused() {
        Model model = load(LSTM_DENSE);
        Model bare = new Model(model.graph(), Map.of());
        KerasImportException e = assertThrows(KerasImportException.class,
                () -> KerasModels.save(bare, dir.resolve("m.keras")));
        assertEquals("m.keras: the model was not loaded from a Keras file (it has no Keras origin), so jkeras has no"
                + " Keras config to save", e.getMessage());
    }

    @Test
    void wrongFileNamesAndUnwritablePathsAreRefused() {
        Model model = load(LSTM_DENSE);
        KerasImportException name = assertThrows(KerasImportException.class,
                () -> KerasModels.save(model, dir.resolve("m.h5")));
        assertEquals("m.h5: the file name must end in .keras (Keras loads only such files)", name.getMessage());
        KerasImportException weights = assertThrows(KerasImportException.class,
                () -> KerasModels.saveWeights(model, dir.resolve("m.h5")));
        assertEquals("m.h5: the file name must end in .weights.h5 (Keras loads only such files)", weights.getMessage());
        Path missing = dir.resolve("no/such/dir/m.keras");
        KerasImportException io = assertThrows(KerasImportException.class, () -> KerasModels.save(model, missing));
        assertEquals("m.keras: cannot write: directory " + missing.getParent() + " does not exist", io.getMessage());
        Path isDir = dir.resolve("d.keras");
        assertTrue(isDir.toFile().mkdir());
        KerasImportException d = assertThrows(KerasImportException.class, () -> KerasModels.save(model, isDir));
        assertEquals("d.keras: cannot write: " + isDir + " is a directory", d.getMessage());
    }

    @Test
    void aKeras2HardSigmoidModelIsRefusedNamingLayerAndField() {
        Model model = load("lstm_relu_hard_sigmoid__sequential__tf_keras2_h5");
        KerasImportException e = assertThrows(KerasImportException.class,
                () -> KerasModels.save(model, dir.resolve("m.keras")));
        assertTrue(e.getMessage().startsWith("m.keras: cannot save as .keras: model_tf_keras2.h5: layer 'lstm' (LSTM):"
                + " field 'recurrent_activation' is \"hard_sigmoid\""), e.getMessage());
    }

    @Test
    void trainingStateIsWrittenAndReadBack() {
        Model model = load(LSTM_DENSE);
        JsonNode compile = Json.parse("{\"optimizer\": {\"module\": \"keras.optimizers\", \"class_name\": \"SGD\","
                + " \"config\": {\"name\": \"SGD\", \"learning_rate\": 0.01}, \"registered_name\": null},"
                + " \"loss\": \"mse\", \"loss_weights\": null, \"metrics\": null, \"weighted_metrics\": null,"
                + " \"run_eagerly\": false, \"steps_per_execution\": 1, \"jit_compile\": false}", "compile");
        List<OptimizerVariable> vars = List.of(OptimizerVariable.int64("iteration", new long[] {12}),
                OptimizerVariable.float32("learning_rate", new float[] {0.01f}),
                OptimizerVariable.float32("m", new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        Path file = dir.resolve("t.keras");
        KerasModels.save(model, file, new TrainingState(compile, vars));
        TrainingState back = KerasModels.loadTrainingState(file);
        assertEquals(compile, back.compileConfig());
        assertEquals(3, back.optimizerVariables().size());
        for (int i = 0; i < 3; i++) {
            OptimizerVariable a = vars.get(i);
            OptimizerVariable b = back.optimizerVariables().get(i);
            assertEquals("optimizer/vars/" + i, b.name());
            assertEquals(a.dtype(), b.dtype());
            assertArrayEquals(a.shape(), b.shape());
            assertArrayEquals(a.floats(), b.floats());
            assertArrayEquals(a.longs(), b.longs());
        }
        Path weights = dir.resolve("t.weights.h5");
        KerasModels.saveWeights(model, weights, new TrainingState(null, vars));
        TrainingState w = KerasModels.loadTrainingState(weights);
        assertNull(w.compileConfig());
        assertEquals(3, w.optimizerVariables().size());
        assertArrayEquals(new long[] {12}, w.optimizerVariables().get(0).longs());
    }

    @Test
    void optimizerVariablesWithoutCompileConfigAreRefused() {
        Model model = load(LSTM_DENSE);
        var state = new TrainingState(null, List.of(OptimizerVariable.int64("iteration", new long[] {1})));
        KerasImportException e = assertThrows(KerasImportException.class,
                () -> KerasModels.save(model, dir.resolve("m.keras"), state));
        assertEquals("m.keras: optimizer variables need a compile config with an optimizer (Keras drops the"
                + " optimizer state of a model it does not compile)", e.getMessage());
    }

    @Test
    void aFileWithoutTrainingStateReadsAsEmpty() {
        TrainingState s = KerasModels.loadTrainingState(Fixtures.byId(LSTM_DENSE).modelPath());
        assertNull(s.compileConfig());
        assertTrue(s.optimizerVariables().isEmpty());
    }
}
