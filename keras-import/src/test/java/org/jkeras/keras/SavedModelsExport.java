package org.jkeras.keras;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jkeras.fixtures.FixtureArray;
import org.jkeras.fixtures.FixtureCase;
import org.jkeras.fixtures.Fixtures;
import org.jkeras.keras.config.Json;
import org.jkeras.keras.save.KerasOrigin;
import org.jkeras.keras.save.TrainingState;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Java step of {@code test-fixtures/check-saved.sh} (runs only with {@code -Djkeras.saved.dir=DIR}):
 * saves every fixture model (the main, the graph, the attention, the cells and the precision set) with jkeras into {@code DIR/<case id>/}
 * ({@code model.keras}, {@code model.weights.h5}, the Keras 3 {@code config.json} the weights belong to, jkeras's predictions on
 * the case's inputs as {@code java_out_<i>.npy}) and lists them in {@code DIR/saved.json} for
 * {@code generate/check_saved.py}. Training cases that the Python step made ({@code DIR/training/<name>/
 * keras_saved.keras}) are loaded with their training state and saved back as {@code jkeras_saved.keras}.
 */
@EnabledIfSystemProperty(named = "jkeras.saved.dir", matches = ".+")
class SavedModelsExport {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @Test
    void exportEveryFixtureModel() throws IOException {
        Path dir = Path.of(System.getProperty("jkeras.saved.dir")).toAbsolutePath();
        Files.createDirectories(dir);
        ArrayNode cases = JSON.arrayNode();
        List<FixtureCase> all = new ArrayList<>(Fixtures.cases());
        all.addAll(Fixtures.manifest(Fixtures.GRAPH).cases()); // several inputs, merges, masks, states, nesting
        all.addAll(Fixtures.manifest(AttentionFixtureConformanceTest.ATTENTION).cases());
        all.addAll(Fixtures.manifest("cells").cases()); // RNN over cells, StackedRNNCells, stateful Bidirectional
        all.addAll(Fixtures.manifest("precision").cases()); // the __bf16 cases save their rounded kernels
        for (FixtureCase c : all) {
            Path out = Files.createDirectories(dir.resolve(c.id()));
            Model model = KerasModels.load(c.modelPath(), c.weightsPath().orElse(null));
            if (c.hasTag("bfloat16_kernels")) {
                model = model.withBfloat16Kernels(); // Keras must load what jkeras rounded and predict the same
            }
            KerasOrigin origin = model.origin(KerasOrigin.class).orElseThrow();
            ObjectNode e = JSON.objectNode();
            e.put("id", c.id());
            e.put("format", c.format());
            e.put("source_model", c.modelPath().toString());
            e.put("atol", c.atol());
            e.put("rtol", c.rtol());
            ArrayNode inputs = JSON.arrayNode();
            List<Tensor> in = new ArrayList<>();
            for (int i = 0; i < c.inputs().size(); i++) {
                FixtureArray a = c.inputs().get(i);
                in.add(Tensor.wrap(a.data(), a.shape()));
                Path npy = out.resolve("input_" + i + ".npy");
                writeNpy(npy, a.data(), a.shape());
                inputs.add(npy.toString());
            }
            e.set("inputs", inputs);
            ArrayNode outputs = JSON.arrayNode();
            List<Tensor> y = model.predict(in);
            for (int i = 0; i < y.size(); i++) {
                Path npy = out.resolve("java_out_" + i + ".npy");
                writeNpy(npy, y.get(i).data(), y.get(i).shape());
                outputs.add(npy.toString());
            }
            e.set("java_outputs", outputs);
            try {
                KerasModels.saveWeights(model, out.resolve("model.weights.h5"));
            } catch (KerasImportException refused) { // e.g. nested models: nothing to check in Keras
                e.putNull("weights");
                e.putNull("keras");
                e.putNull("config");
                e.put("refusal", refused.getMessage());
                cases.add(e);
                continue;
            }
            e.put("weights", out.resolve("model.weights.h5").toString());
            if (origin.keras3Config() != null) {
                KerasModels.save(model, out.resolve("model.keras"));
                Files.writeString(out.resolve("config.json"), Json.write(origin.keras3Config()));
                e.put("keras", out.resolve("model.keras").toString());
                e.put("config", out.resolve("config.json").toString());
            } else {
                e.putNull("keras");
                e.putNull("config");
                e.put("refusal", origin.refusal());
            }
            cases.add(e);
        }
        ObjectNode manifest = JSON.objectNode();
        manifest.set("cases", cases);
        manifest.set("training", exportTraining(dir.resolve("training")));
        Files.writeString(dir.resolve("saved.json"), Json.write(manifest));
        System.out.println("exported " + cases.size() + " fixture models to " + dir);
    }

    /** Loads each Keras-saved training model with its training state and saves it back with the writer. */
    private static ArrayNode exportTraining(Path dir) throws IOException {
        ArrayNode out = JSON.arrayNode();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (var list = Files.list(dir)) {
            for (Path caseDir : list.sorted().toList()) {
                Path kerasSaved = caseDir.resolve("keras_saved.keras");
                if (!Files.isRegularFile(kerasSaved)) {
                    continue;
                }
                Model model = KerasModels.load(kerasSaved);
                TrainingState state = KerasModels.loadTrainingState(kerasSaved);
                Path mine = caseDir.resolve("jkeras_saved.keras");
                KerasModels.save(model, mine, state);
                KerasModels.saveWeights(model, caseDir.resolve("jkeras_saved.weights.h5"), state);
                ObjectNode e = JSON.objectNode();
                e.put("name", String.valueOf(caseDir.getFileName()));
                e.put("keras_saved", kerasSaved.toString());
                e.put("jkeras_saved", mine.toString());
                e.put("jkeras_weights", caseDir.resolve("jkeras_saved.weights.h5").toString());
                e.put("optimizer_variables", state.optimizerVariables().size());
                Path trained = fineTuned(String.valueOf(caseDir.getFileName()), caseDir);
                if (trained != null) {
                    e.put("jkeras_trained", trained.toString());
                }
                out.add(e);
            }
        }
        return out;
    }

    /**
     * For a training fixture's case: the same fine-tuning done by jkeras from the case's initial model
     * ({@code Fit} with the file's compile config, the case's data and settings), saved with its optimizer
     * state as {@code jkeras_trained.keras}, so the check can show Keras continues it like its own run; null
     * for the other training models.
     */
    private static Path fineTuned(String id, Path caseDir) {
        var found = org.jkeras.fixtures.training.TrainingFixtures.cases(c -> c.id().equals(id) && c.kind().equals("fit"));
        if (found.isEmpty()) {
            return null;
        }
        var c = found.get(0);
        var fit = org.jkeras.keras.training.FitCases.fit(c, KerasModels.load(c.modelPath()));
        Path out = caseDir.resolve("jkeras_trained.keras");
        KerasModels.save(fit.run(), out);
        return out;
    }

    /** A float32 little-endian .npy file (format 1.0). */
    static void writeNpy(Path file, float[] data, int[] shape) throws IOException {
        StringBuilder dims = new StringBuilder();
        for (int d : shape) {
            dims.append(d).append(", ");
        }
        String shapeText = shape.length == 1 ? "(" + shape[0] + ",)" : "(" + dims.substring(0, Math.max(0,
                dims.length() - 2)) + ")";
        StringBuilder header = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': " + shapeText
                + ", }");
        while ((10 + header.length() + 1) % 64 != 0) {
            header.append(' ');
        }
        header.append('\n');
        ByteBuffer buf = ByteBuffer.allocate(10 + header.length() + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        buf.putShort((short) header.length());
        buf.put(header.toString().getBytes(StandardCharsets.US_ASCII));
        for (float f : data) {
            buf.putFloat(f);
        }
        try (OutputStream os = Files.newOutputStream(file)) {
            os.write(buf.array());
        }
    }
}
