package org.jkeras.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.jkeras.fixtures.Fixtures;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Activation;
import org.jkeras.runtime.layers.Bidirectional;
import org.jkeras.runtime.layers.Lstm;
import org.jkeras.runtime.session.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bidirectional, go_backwards and RepeatVector import beyond the fixture cases (whose values
 * {@code FixtureConformanceTest} checks): how configs are read, and refusals with specific messages.
 */
class BidirectionalImportTest {
    @TempDir
    Path tmp;

    private static Path model(String family, String api, String file) {
        return Fixtures.root().resolve("models/" + family + "/" + api + "/" + file);
    }

    /** A fixture's JSON config (tf.keras 2 or Keras 3), edited, loaded with its weights file. */
    private Model loadEdited(String family, String json, String weights, String from, String to) throws IOException {
        String text = Files.readString(model(family, "sequential", json));
        assertTrue(text.contains(from), "fixture config changed: no " + from);
        Path p = tmp.resolve(family + "_edited.json");
        Files.writeString(p, text.replaceFirst(Pattern.quote(from), to));
        return KerasModels.load(p, model(family, "sequential", weights));
    }

    private KerasImportException tfKerasFails(String family, String from, String to) {
        return assertThrows(KerasImportException.class,
                () -> loadEdited(family, "model_tf_keras2.json", "model_tf_keras2_weights.h5", from, to));
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message should mention '" + p + "': " + e.getMessage());
        }
    }

    @Test
    void kerasThreeConfigBuildsTheStoredBackwardLayer() {
        Model m = KerasModels.load(model("bidirectional_lstm_concat", "sequential", "model.keras"));
        Bidirectional bi = (Bidirectional) m.graph().nodes().get(1).layer();
        assertEquals(Bidirectional.Merge.CONCAT, bi.merge());
        assertEquals("forward_lstm", bi.forwardLayer().name());
        assertEquals("backward_lstm", bi.backwardLayer().name());
        assertTrue(bi.backwardLayer().goBackwards() && !bi.forwardLayer().goBackwards());
        assertEquals(2 * (5 * 20 + 5 * 20 + 20), bi.parameterCount());
    }

    @Test
    void tfKerasConfigWithoutBackwardLayerBuildsAGoBackwardsCopy() {
        Model m = KerasModels.load(model("bidirectional_lstm_concat", "sequential", "model_tf_keras2.h5"));
        Bidirectional bi = (Bidirectional) m.graph().nodes().get(1).layer();
        assertEquals("lstm", bi.forwardLayer().name());
        assertEquals("backward_lstm", bi.backwardLayer().name());
        assertTrue(bi.backwardLayer() instanceof Lstm backward && backward.goBackwards());
    }

    @Test
    void storedBackwardLayerConfigIsHonouredEvenWhenItDiffersFromTheForwardOne() throws IOException {
        Model m = loadEdited("bidirectional_lstm_concat", "model_keras3.json", "model_keras3.weights.h5",
                "\"go_backwards\": true, \"stateful\": false, \"unroll\": false, \"zero_output_for_mask\": true,"
                        + " \"units\": 5, \"activation\": \"tanh\"",
                "\"go_backwards\": true, \"stateful\": false, \"unroll\": false, \"zero_output_for_mask\": true,"
                        + " \"units\": 5, \"activation\": \"relu\"");
        Bidirectional bi = (Bidirectional) m.graph().nodes().get(1).layer();
        assertEquals(Activation.TANH, ((Lstm) bi.forwardLayer()).activation());
        assertEquals(Activation.RELU, ((Lstm) bi.backwardLayer()).activation());
    }

    @Test
    void unknownMergeModeIsRefusedNamingTheValue() {
        KerasImportException e = tfKerasFails("bidirectional_lstm_concat", "\"merge_mode\": \"concat\"",
                "\"merge_mode\": \"max\"");
        assertMentions(e, "layer 'bi_lstm' (Bidirectional)", "merge_mode \"max\"", "'concat', 'sum', 'ave', 'mul'");
    }

    @Test
    void halvesDisagreeingOnStatefulAreRefusedAsKerasRefusesThem() {
        // the first "stateful" of the Keras 3 config is the forward layer's: its stored backward layer stays false
        KerasImportException e = assertThrows(KerasImportException.class, () -> loadEdited("bidirectional_lstm_concat",
                "model_keras3.json", "model_keras3.weights.h5", "\"stateful\": false", "\"stateful\": true"));
        assertMentions(e, "layer 'bi_lstm' (Bidirectional)", "must agree on stateful");
    }

    @Test
    void wrappedNonRecurrentLayerIsRefused() {
        KerasImportException e = tfKerasFails("bidirectional_lstm_concat",
                "\"class_name\": \"LSTM\"", "\"class_name\": \"Dense\"");
        assertMentions(e, "layer 'bi_lstm' (Bidirectional)", "is a Dense", "around LSTM, GRU and SimpleRNN");
    }

    @Test
    void backwardLayerReadingTheSameWayIsRefused() {
        KerasImportException e = assertThrows(KerasImportException.class, () -> loadEdited(
                "bidirectional_lstm_concat", "model_keras3.json", "model_keras3.weights.h5",
                "\"go_backwards\": true", "\"go_backwards\": false"));
        assertMentions(e, "layer 'bi_lstm' (Bidirectional)", "opposite directions");
    }

    @Test
    void mergeModeNoneInASequentialModelIsRefused() {
        KerasImportException e = tfKerasFails("bidirectional_lstm_concat", "\"merge_mode\": \"concat\"",
                "\"merge_mode\": null");
        assertMentions(e, "layer 'bi_lstm' (Bidirectional)", "has 2 outputs", "functional API");
    }

    @Test
    void mergeModeNoneGivesTwoOutputsInTheFunctionalApi() {
        Model m = KerasModels.load(model("bidirectional_lstm_none_two_outputs", "functional", "model.keras"));
        assertEquals(2, m.graph().outputs().size());
    }

    @Test
    void repeatVectorWithoutNIsRefused() {
        KerasImportException e = tfKerasFails("bidirectional_repeatvector", "\"n\": 3", "\"n\": 0");
        assertMentions(e, "layer 'repeat' (RepeatVector)", "field 'n'");
    }

    @Test
    void streamingSessionRefusesGoBackwardsAndBidirectionalModels() {
        for (String family : new String[] {"lstm_go_backwards", "bidirectional_lstm_concat"}) {
            Model m = KerasModels.load(model(family, "sequential", "model.keras"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Session.streaming(m));
            assertMentions(e, "cannot be fed in pieces of time", "reads the sequence backwards");
            Session.keras(m); // whole sequences per call remain fine
        }
    }
}
