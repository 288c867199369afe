package org.jkeras.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.jkeras.fixtures.FixtureArray;
import org.jkeras.fixtures.FixtureCase;
import org.jkeras.fixtures.Fixtures;
import org.jkeras.fixtures.Tolerance;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.layers.Gru;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GRU and SimpleRNN import beyond the fixture cases: refusals with specific messages for
 * configs or weights that do not fit, and Keras 1's per-gate GRU weights.
 */
class RecurrentTranslatorsTest {
    @TempDir
    Path tmp;

    /** The tf.keras 2 JSON config of a fixture family (sequential), edited. */
    private Path editedJson(String family, String from, String to) throws IOException {
        String json = Files.readString(model(family, "model_tf_keras2.json"));
        assertTrue(json.contains(from), "fixture config changed: no " + from);
        Path p = tmp.resolve(family + "_edited.json");
        Files.writeString(p, json.replaceFirst(Pattern.quote(from), to));
        return p;
    }

    private static Path model(String family, String file) {
        return Fixtures.root().resolve("models/" + family + "/sequential/" + file);
    }

    private static KerasImportException loadFails(Path json, String family) {
        return assertThrows(KerasImportException.class,
                () -> KerasModels.load(json, model(family, "model_tf_keras2_weights.h5")));
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message should mention '" + p + "': " + e.getMessage());
        }
    }

    @Test
    void gruBiasOfTheOtherResetVariantIsRefusedNamingTheExpectedShape() throws IOException {
        // reset_after=True file (bias [2, 21]) declared reset_after=False
        KerasImportException before = loadFails(
                editedJson("gru_last_dense", "\"reset_after\": true", "\"reset_after\": false"), "gru_last_dense");
        assertMentions(before, "layer 'gru' (GRU)", "weight 'bias'", "has shape (2, 21), expected (21,)",
                "reset_after=False");
        // reset_after=False file (bias [18]) declared reset_after=True
        KerasImportException after = loadFails(
                editedJson("gru_reset_before", "\"reset_after\": false", "\"reset_after\": true"), "gru_reset_before");
        assertMentions(after, "layer 'gru' (GRU)", "has shape (18,), expected (2, 18)", "reset_after=True");
    }

    @Test
    void unknownGruAndSimpleRnnActivationsAreRefusedNamingTheField() throws IOException {
        KerasImportException gru = loadFails(editedJson("gru_last_dense",
                "\"recurrent_activation\": \"sigmoid\"", "\"recurrent_activation\": \"swoosh\""), "gru_last_dense");
        assertMentions(gru, "layer 'gru' (GRU)",
                "field 'recurrent_activation'", "unsupported activation \"swoosh\"");
        KerasImportException rnn = loadFails(editedJson("simple_rnn_last_dense",
                "\"activation\": \"tanh\"", "\"activation\": \"swoosh\""), "simple_rnn_last_dense");
        assertMentions(rnn, "layer 'simple_rnn' (SimpleRNN)", "field 'activation'", "unsupported activation \"swoosh\"");
        KerasImportException softmax = loadFails(editedJson("gru_last_dense",
                "\"activation\": \"tanh\"", "\"activation\": \"softmax\""), "gru_last_dense");
        assertMentions(softmax, "layer 'gru' (GRU)", "softmax", "not supported");
    }

    @Test
    void returnStateInASequentialModelIsRefusedLikeForLstm() throws IOException {
        assertMentions(loadFails(editedJson("gru_last_dense", "\"return_state\": false", "\"return_state\": true"),
                "gru_last_dense"), "layer 'gru' (GRU)", "has 2 outputs (return_state=True", "Sequential");
        assertMentions(loadFails(editedJson("simple_rnn_last_dense", "\"return_state\": false", "\"return_state\": true"),
                "simple_rnn_last_dense"), "layer 'simple_rnn' (SimpleRNN)", "has 2 outputs (return_state=True",
                "Sequential");
    }

    @Test
    void simpleRnnWithoutItsBiasIsRefusedNamingTheCount() throws IOException {
        // use_bias=False expects 2 arrays; the file stores 3
        KerasImportException e = loadFails(editedJson("simple_rnn_last_dense",
                "\"use_bias\": true", "\"use_bias\": false"), "simple_rnn_last_dense");
        assertMentions(e, "layer 'simple_rnn' (SimpleRNN)", "has 3 stored weight arrays: expected 2");
    }

    @Test
    void gruFlagsReachTheRuntimeLayer() {
        Model m = KerasModels.load(model("gru_hard_sigmoid_relu", "model.keras"), null);
        Gru first = (Gru) m.layers().get(0);
        Gru second = (Gru) m.layers().get(1);
        assertTrue(first.resetAfter() && first.returnSequences());
        assertEquals("RELU/HARD_SIGMOID", first.activation() + "/" + first.recurrentActivation());
        assertTrue(!second.resetAfter() && !second.returnSequences());
        assertEquals("SOFTSIGN/HARD_SIGMOID", second.activation() + "/" + second.recurrentActivation());
    }

    /**
     * Keras 1 stored a GRU per gate ({@code gru_1_W_z}, {@code gru_1_U_r}, {@code gru_1_b_h}, ...)
     * and had only the reset_after=False form. The tf.keras 2 gru_reset_before weights, cut into
     * Keras 1's per-gate arrays under a Keras 1 config, must give tf.keras's outputs for that case.
     */
    @Test
    void keras1PerGateGruWeightsGiveKerasOutputs() throws IOException {
        FixtureCase c = Fixtures.byId("gru_reset_before__sequential__tf_keras2_json_h5weights");
        Path tfWeights = c.weightsPath().orElseThrow();
        Tensor kernel = TestFiles.h5Array(tfWeights, "gru/gru/gru_cell/kernel:0");              // [5, 18]
        Tensor recurrent = TestFiles.h5Array(tfWeights, "gru/gru/gru_cell/recurrent_kernel:0"); // [6, 18]
        Tensor bias = TestFiles.h5Array(tfWeights, "gru/gru/gru_cell/bias:0");                  // [18]
        Tensor denseKernel = TestFiles.h5Array(tfWeights, "dense/dense/kernel:0");
        Tensor denseBias = TestFiles.h5Array(tfWeights, "dense/dense/bias:0");
        int units = 6;
        Path weights = tmp.resolve("keras1_gru_weights.h5");
        try (WritableHdfFile w = HdfFile.write(weights)) {
            w.putAttribute("layer_names", new String[] {"gru_1", "dense_1"});
            w.putAttribute("keras_version", "1.2.2");
            WritableGroup g = w.putGroup("gru_1");
            List<String> names = new ArrayList<>();
            String gates = "zrh";
            for (int k = 0; k < 3; k++) {
                String gate = String.valueOf(gates.charAt(k));
                // stored in Keras 1's order W_z, U_z, b_z, W_r, ...
                g.putDataset("gru_1_W_" + gate, columns(kernel, k * units, units));
                g.putDataset("gru_1_U_" + gate, columns(recurrent, k * units, units));
                g.putDataset("gru_1_b_" + gate, Arrays.copyOfRange(bias.data(), k * units, (k + 1) * units));
                names.addAll(List.of("gru_1_W_" + gate, "gru_1_U_" + gate, "gru_1_b_" + gate));
            }
            g.putAttribute("weight_names", names.toArray(new String[0]));
            WritableGroup d = w.putGroup("dense_1");
            d.putDataset("dense_1_W", columns(denseKernel, 0, denseKernel.dim(1)));
            d.putDataset("dense_1_b", denseBias.data());
            d.putAttribute("weight_names", new String[] {"dense_1_W", "dense_1_b"});
        }
        Path json = tmp.resolve("keras1_gru.json");
        Files.writeString(json, """
                {"class_name": "Sequential", "keras_version": "1.2.2", "config": [
                  {"class_name": "GRU", "config": {"name": "gru_1", "output_dim": 6, "activation": "tanh",
                    "inner_activation": "sigmoid", "return_sequences": false, "go_backwards": false,
                    "stateful": false, "batch_input_shape": [null, 12, 5], "input_dtype": "float32",
                    "input_dim": 5, "consume_less": "gpu", "dropout_W": 0.0, "dropout_U": 0.0}},
                  {"class_name": "Dense", "config": {"name": "dense_1", "output_dim": 2, "activation": "linear",
                    "bias": true}}]}
                """);
        Model m = KerasModels.load(json, weights);
        Gru gru = (Gru) m.layers().get(0);
        assertTrue(!gru.resetAfter(), "Keras 1 GRUs are reset_after=False");
        FixtureArray x = c.inputs().get(0);
        Tensor y = m.predict(Tensor.wrap(x.data(), x.shape()));
        assertArrayEquals(c.outputs().get(0).shape(), y.shape());
        Tolerance.assertMatches(c, 0, y.data(), y.shape());
    }

    /** Columns [from, from+count) of a [rows, cols] tensor, as a float[rows][count] for jhdf. */
    private static float[][] columns(Tensor t, int from, int count) {
        int rows = t.dim(0);
        int cols = t.dim(1);
        float[][] out = new float[rows][count];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(t.data(), r * cols + from, out[r], 0, count);
        }
        return out;
    }
}
