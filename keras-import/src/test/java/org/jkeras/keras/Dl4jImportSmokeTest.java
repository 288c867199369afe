package org.jkeras.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.jkeras.runtime.tensor.InputMismatchException;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The other DL4J recurrent files (LSTM, SimpleRNN, Bidirectional, RepeatVector, Embedding, Masking; no
 * reference outputs of their own: the fixture generator loads them in tf.keras and records its outputs as
 * external cases, which the conformance tests compare): they import and run, and the Masking files carry
 * their masks. A config whose Embedding table does not fit the weights file is refused naming the shapes.
 */
class Dl4jImportSmokeTest {
    @ParameterizedTest
    @CsvSource({
        "weights/lstm_tensorflow_2.h5, 4, 1, 6",
        "examples/functional_lstm/lstm_functional_tf_keras_2.h5, 10, 4, 5",
        "tfkeras/rnn_148.h5, 7, 3, 6",          // variable time dimension (None): any length runs
        "examples/simple_lstm/simple_lstm_tf_keras_2_model.h5, 1, 1, 1",
        "examples/simple_flatten_lstm/simple_flatten_lstm_tf_keras_2_model.h5, 1, 1, 1",
        "weights/simple_rnn_tensorflow_2.h5, 4, 1, 6",
        "examples/simple_rnn/simple_rnn_tf_keras_2_model.h5, 1, 1, 1",
        "examples/simple_flatten_rnn/simple_flatten_rnn_tf_keras_2_model.h5, 1, 1, 1",
        "tfkeras/rnn_1.h5, 3, 4, 12",           // Bidirectional(SimpleRNN, rs) concat
        "tfkeras/rnn_5.h5, 3, 4, 12",           // Bidirectional(LSTM, rs) concat
        "tfkeras/rnn_31.h5, 3, 4, 8",           // Bi-LSTM > Activation > RepeatVector > Bi-LSTM > Activation
        "weights/bidirectional_lstm_tensorflow_2.h5, 4, 10, 20",
        "weights/bidirectional_lstm_no_return_sequences_tensorflow_2.h5, 4, 10, 20",
    })
    void recurrentFileImportsAndPredictsFiniteValues(String file, int steps, int features, int outLast) {
        Model m = KerasModels.load(TestFiles.keras(file));
        assertEquals("legacy_h5", m.metadata().get("format"));
        Shape in = m.inputShapes().get(0);
        assertEquals(features, in.dim(-1));
        int batch = 3;
        float[] x = new float[batch * steps * features];
        Random r = new Random(42);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        Tensor y = m.predict(Tensor.wrap(x, batch, steps, features));
        assertEquals(batch, y.dim(0));
        assertEquals(outLast, y.dim(-1));
        for (float v : y.data()) {
            assertTrue(Float.isFinite(v), "non-finite output " + v + " from " + file);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "tfkeras/rnn_148.h5, 2, 9",
        "tfkeras/rnn_148.h5, 1, 1",
    })
    void variableTimeLstmAcceptsAnySequenceLength(String file, int batch, int steps) {
        Model m = KerasModels.load(TestFiles.keras(file));
        assertEquals(Shape.UNKNOWN, m.inputShapes().get(0).dim(1));
        Tensor y = m.predict(Tensor.zeros(batch, steps, 3));
        assertArrayEquals(new int[] {batch, steps, 6}, y.shape()); // return_sequences=True
    }

    @ParameterizedTest
    @CsvSource({
        "examples/masking/masking_zero_lstm.h5",
        "examples/masking/masking_two_lstm.h5",
    })
    void maskingFilesImportWithTheirMasksAndPredict(String file) {
        Model m = KerasModels.load(TestFiles.keras(file));
        assertTrue(m.graph().hasMasks(), "the Masking layer's mask reaches the LSTM");
        Shape in = m.inputShapes().get(0);
        int steps = in.dim(1) == Shape.UNKNOWN ? 5 : in.dim(1);
        Tensor y = m.predict(Tensor.zeros(2, steps, in.dim(2)));
        for (float v : y.data()) {
            assertTrue(Float.isFinite(v), "non-finite output " + v);
        }
    }

    @Test
    void embeddingLstmFileImportsAndMapsTokenIndicesToSequences() {
        Model m = KerasModels.load(TestFiles.keras("weights/embedding_lstm_tensorflow_2.h5"));
        assertEquals(Shape.of(Shape.UNKNOWN, 10), m.inputShapes().get(0)); // Embedding(input_dim 4, output_dim 5)
        float[] x = new float[2 * 10];
        for (int i = 0; i < x.length; i++) {
            x[i] = i % 4;
        }
        Tensor y = m.predict(Tensor.wrap(x, 2, 10));
        assertArrayEquals(new int[] {2, 10, 6}, y.shape()); // LSTM(6, return_sequences=True)
        for (float v : y.data()) {
            assertTrue(Float.isFinite(v), "non-finite output " + v);
        }
        x[13] = 4; // out of the vocabulary [0, 4)
        var e = assertThrows(InputMismatchException.class, () -> m.predict(Tensor.wrap(x, 2, 10)));
        assertTrue(e.getMessage().contains("input value 4 at position [1, 3]"), e.getMessage());
    }

    /** Keras 2.1.2 config with Embedding(mask_zero=True) over another model's weights: refused at the table's shape. */
    @Test
    void embeddingWithMaskZeroConfigOverForeignWeightsIsRefusedNamingTheShapes() {
        KerasImportException e = assertThrows(KerasImportException.class, () -> KerasModels.load(
                TestFiles.keras("configs/keras2/embedding_lstm_calculator.json"),
                TestFiles.keras("weights/embedding_lstm_tensorflow_2.h5")));
        String msg = e.getMessage();
        assertTrue(msg.startsWith("embedding_lstm_calculator.json: layer 'embedding_1' (Embedding)"), msg);
        assertTrue(msg.contains("has shape (4, 5), expected (10, 1)"), msg);
    }
}
