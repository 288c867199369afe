package org.jkeras.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.jkeras.fixtures.Fixtures;
import org.jkeras.runtime.tensor.InputMismatchException;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad, hostile or unsupported input fails at load with a specific message, never a crash or hang. */
class BadInputTest {
    private static final String MODEL_DIR = "models/lstm_last_dense/sequential/";

    @TempDir
    Path tmp;

    private static Path fixture(String name) {
        return Fixtures.root().resolve(MODEL_DIR + name);
    }

    private static KerasImportException loadFails(Path model, Path weights) {
        return assertThrows(KerasImportException.class, () -> KerasModels.load(model, weights));
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message should mention '" + p + "': " + e.getMessage());
        }
    }

    private Path truncated(String name) throws IOException {
        byte[] all = Files.readAllBytes(fixture(name));
        Path p = tmp.resolve("cut_" + name);
        Files.write(p, Arrays.copyOf(all, all.length / 2));
        return p;
    }

    /** The sequential lstm_last_dense tf.keras 2 JSON config, edited. */
    private Path editedJson(String from, String to) throws IOException {
        String json = Files.readString(fixture("model_tf_keras2.json"));
        assertTrue(json.contains(from), "fixture config changed: no " + from);
        Path p = tmp.resolve("edited.json");
        Files.writeString(p, json.replace(from, to));
        return p;
    }

    private static Path tfWeights() {
        return fixture("model_tf_keras2_weights.h5");
    }

    @Test
    void truncatedKerasZipIsRefusedAsUnreadableZip() throws IOException {
        KerasImportException e = loadFails(truncated("model.keras"), null);
        assertMentions(e, "cut_model.keras: ", "not a readable .keras zip", "truncated");
    }

    @Test
    void truncatedH5IsRefusedNamingTheFile() throws IOException {
        KerasImportException e = loadFails(truncated("model_tf_keras2.h5"), null);
        assertMentions(e, "cut_model_tf_keras2.h5");
        assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("corrupt"), e.getMessage());
    }

    @Test
    void hdf5FileWithoutKerasContentIsRefusedAsNotAKerasModel() {
        Path p = tmp.resolve("data.h5");
        try (WritableHdfFile w = HdfFile.write(p)) {
            w.putDataset("values", new float[] {1f, 2f, 3f});
        }
        KerasImportException e = loadFails(p, null);
        assertMentions(e, "data.h5: not a Keras model file", "model_config");
    }

    @Test
    void randomBytesAreRefusedAsNoKnownFormat() throws IOException {
        byte[] junk = new byte[4096];
        new Random(7).nextBytes(junk);
        junk[0] = 'X';
        Path p = tmp.resolve("junk.keras");
        Files.write(p, junk);
        KerasImportException e = loadFails(p, null);
        assertMentions(e, "junk.keras: not a Keras model file", "neither a .keras zip, an HDF5 file nor a JSON config");
    }

    @Test
    void emptyFileIsRefused() throws IOException {
        Path p = tmp.resolve("empty.h5");
        Files.write(p, new byte[0]);
        assertMentions(loadFails(p, null), "empty.h5: not a Keras model file", "empty file");
    }

    @Test
    void missingFileIsRefusedNamingIt() {
        assertMentions(loadFails(tmp.resolve("nope.keras"), null), "nope.keras: no such file");
    }

    @Test
    void jsonConfigWithoutWeightsIsRefused() {
        KerasImportException e = loadFails(fixture("model_tf_keras2.json"), null);
        assertMentions(e, "model_tf_keras2.json: a JSON config holds no weights", "weights file");
    }

    @Test
    void weightsOnlyFileLoadedAsModelIsExplained() {
        KerasImportException e = loadFails(tfWeights(), null);
        assertMentions(e, "model_tf_keras2_weights.h5: this HDF5 file holds only weights");
    }

    @Test
    void unknownLayerClassIsRefusedNamingFileLayerAndClass() throws IOException {
        Path p = editedJson("\"class_name\": \"Dense\"", "\"class_name\": \"FancyDense\"");
        KerasImportException e = loadFails(p, tfWeights());
        assertMentions(e, "edited.json: layer 'dense' (FancyDense): the Keras class FancyDense is an unknown layer class",
                "supported: ");
    }

    @Test
    void lambdaLayerIsRefusedAsCodeExecution() throws IOException {
        Path p = editedJson("\"class_name\": \"Dense\"", "\"class_name\": \"Lambda\"");
        KerasImportException e = loadFails(p, tfWeights());
        assertMentions(e, "layer 'dense' (Lambda)", "never runs code from a model file");
    }

    @Test
    void weightWithWrongShapeIsRefusedNamingLayerWeightAndBothShapes() throws IOException {
        Path p = editedJson("\"units\": 7,", "\"units\": 8,");
        KerasImportException e = loadFails(p, tfWeights());
        assertMentions(e, "edited.json: layer 'lstm' (LSTM): weight 'kernel'", "lstm_cell/kernel:0",
                "has shape (5, 28), expected (5, 32)");
    }

    @Test
    void absurdUnitsAreRefusedBeforeAllocating() throws IOException {
        Path p = editedJson("\"units\": 7,", "\"units\": 4000000000,");
        KerasImportException e = loadFails(p, tfWeights());
        assertMentions(e, "layer 'lstm' (LSTM): field 'units': units of one layer is 4000000000, more than"
                + " the limit max_units=1048576", "--limit max_units=");
    }

    @Test
    void nonFloat32DtypeIsRefused() throws IOException {
        Path p = editedJson("\"dtype\": \"float32\", \"return_sequences\"", "\"dtype\": \"float16\", \"return_sequences\"");
        KerasImportException e = loadFails(p, tfWeights());
        assertMentions(e, "layer 'lstm' (LSTM): field 'dtype' is \"float16\": only float32 models are supported");
    }

    @Test
    void returnStateLstmInASequentialModelIsRefused() throws IOException {
        Path p = editedJson("\"return_state\": false", "\"return_state\": true");
        assertMentions(loadFails(p, tfWeights()), "layer 'lstm' (LSTM): has 3 outputs (return_state=True",
                "a Sequential model cannot pass on");
    }

    @Test
    void unknownActivationIsRefusedNamingLayerAndValue() throws IOException {
        Path p = editedJson("\"activation\": \"softmax\"", "\"activation\": \"my_custom_act\"");
        assertMentions(loadFails(p, tfWeights()), "layer 'dense' (Dense): field 'activation': unsupported activation"
                + " \"my_custom_act\"");
    }

    @Test
    void malformedJsonIsRefusedNamingTheFile() throws IOException {
        Path p = tmp.resolve("broken.json");
        Files.writeString(p, "{\"class_name\": \"Sequential\", \"config\": [", StandardCharsets.UTF_8);
        assertMentions(loadFails(p, tfWeights()), "broken.json: not valid JSON");
    }

    @Test
    void keras3WeightsUnderTheWrongLayerAreDetected() throws IOException {
        // Swap the two Dense/LSTM classes' order in the Keras 3 config: the stored vars group names disagree.
        String json = Files.readString(fixture("model_keras3.json"));
        Path p = tmp.resolve("renamed.json");
        Files.writeString(p, json.replace("\"name\": \"lstm\"", "\"name\": \"lstm_renamed\""));
        KerasImportException e = loadFails(p, fixture("model_keras3.weights.h5"));
        assertMentions(e, "holds the weights of layer 'lstm'", "config puts layer 'lstm_renamed' there");
    }

    @Test
    void wrongInputShapeAtPredictNamesExpectedAndActualShapes() {
        Model m = KerasModels.load(fixture("model.keras"));
        InputMismatchException e = assertThrows(InputMismatchException.class,
                () -> m.predict(Tensor.zeros(2, 12, 4)));
        assertMentions(e, "(None, 12, 5)", "(2, 12, 4)");
    }

    @Test
    void metadataRecordsFormatVersionAndSource() {
        Model m = KerasModels.load(fixture("model_tf_keras2.h5"));
        assertEquals("legacy_h5", m.metadata().get("format"));
        assertEquals("2.21.0", m.metadata().get("keras_version"));
        assertEquals("tensorflow", m.metadata().get("backend"));
        assertEquals("model_tf_keras2.h5", m.metadata().get("source"));
    }
}
