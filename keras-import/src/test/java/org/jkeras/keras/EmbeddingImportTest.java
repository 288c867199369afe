package org.jkeras.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jkeras.fixtures.Fixtures;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.layers.Embedding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Embedding's config handling beyond the fixture outputs (which FixtureConformanceTest checks): mask_zero
 * refused, integer input dtypes accepted only for an Embedding, input_length checked against the input.
 */
class EmbeddingImportTest {
    private static final String DIR = "models/embedding_lstm/sequential/";

    @TempDir
    Path tmp;

    /** A fixture JSON config with one edit, paired with its weights file. */
    private Model loadEdited(String json, String weights, String from, String to) throws IOException {
        String text = Files.readString(Fixtures.root().resolve(DIR + json));
        assertTrue(text.contains(from), "fixture config changed: no " + from);
        Path p = tmp.resolve("edited.json");
        Files.writeString(p, text.replace(from, to));
        return KerasModels.load(p, Fixtures.root().resolve(DIR + weights));
    }

    private KerasImportException refused(String json, String weights, String from, String to) {
        return assertThrows(KerasImportException.class, () -> loadEdited(json, weights, from, to));
    }

    @ParameterizedTest
    @CsvSource({
        "model_keras3.json, model_keras3.weights.h5",
        "model_tf_keras2.json, model_tf_keras2_weights.h5",
    })
    void maskZeroTrueMakesTheEmbeddingMaskItsOutput(String json, String weights) throws IOException {
        Model m = loadEdited(json, weights, "\"mask_zero\": false", "\"mask_zero\": true");
        assertTrue(m.graph().hasMasks());
        assertTrue(((org.jkeras.runtime.layers.Embedding) m.layers().get(0)).maskZero());
    }

    @ParameterizedTest
    @CsvSource({
        "model_keras3.json, model_keras3.weights.h5",
        "model_tf_keras2.json, model_tf_keras2_weights.h5",
    })
    void unmaskedEmbeddingImportsWithItsTable(String json, String weights) throws IOException {
        Model m = loadEdited(json, weights, "\"mask_zero\": false", "\"mask_zero\": false");
        assertEquals(Shape.of(Shape.UNKNOWN, 12), m.inputShapes().get(0));
        Embedding e = (Embedding) m.layers().get(0);
        assertEquals(20, e.inputDim());
        assertEquals(6, e.outputDim());
        assertEquals(120, e.parameterCount());
    }

    @Test
    void keras1IntegerInputDtypeIsAcceptedOnlyOnAnEmbedding() throws IOException {
        // Keras 1 writes input_dtype "int32" into the config of an Embedding that is the model's first layer.
        Model m = loadEdited("model_tf_keras2.json", "model_tf_keras2_weights.h5",
                "\"mask_zero\": false", "\"mask_zero\": false, \"input_dtype\": \"int32\"");
        assertEquals(20, ((Embedding) m.layers().get(0)).inputDim());
        String msg = refused("model_tf_keras2.json", "model_tf_keras2_weights.h5",
                "\"return_sequences\": false", "\"return_sequences\": false, \"input_dtype\": \"int32\"").getMessage();
        assertTrue(msg.contains("layer 'lstm' (LSTM): field 'input_dtype' is \"int32\": only float32"), msg);
    }

    @Test
    void inputLengthDisagreeingWithTheInputShapeIsRefused() {
        String msg = refused("model_tf_keras2.json", "model_tf_keras2_weights.h5",
                "\"input_length\": null", "\"input_length\": 7").getMessage();
        assertTrue(msg.contains("layer 'embedding' (Embedding): field 'input_length' is 7 but the input is"), msg);
    }

    @Test
    void vocabularyDisagreeingWithTheStoredTableIsRefused() {
        String msg = refused("model_tf_keras2.json", "model_tf_keras2_weights.h5",
                "\"input_dim\": 20", "\"input_dim\": 21").getMessage();
        assertTrue(msg.contains("layer 'embedding' (Embedding): weight 'embeddings'")
                && msg.contains("has shape (20, 6), expected (21, 6)"), msg);
    }
}
