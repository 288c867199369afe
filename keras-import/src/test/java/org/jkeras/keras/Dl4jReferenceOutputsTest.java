package org.jkeras.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jkeras.fixtures.FixtureArray;
import org.jkeras.fixtures.Tolerance;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.layers.Layer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DL4J's Keras test files with outputs written by Keras itself (Keras 1.2.2 / 2.x, TensorFlow
 * and Theano backends; LSTM and SimpleRNN): predictions and every layer's activations must match
 * within 1e-5 + 1e-5·|keras|.
 */
class Dl4jReferenceOutputsTest {
    private static final double TOL = 1e-5;

    /** Runs the (sequential) model layer by layer and compares predictions and activations. */
    private static void assertMatchesReference(Path model, Path io, String input, List<String> layers) {
        Model m = KerasModels.load(model);
        Tensor x = TestFiles.h5Array(io, "inputs/" + input);
        List<Layer> runtimeLayers = m.layers();
        assertEquals(layers, runtimeLayers.stream().map(Layer::name).toList());
        Tensor y = x;
        for (Layer layer : runtimeLayers) {
            y = layer.forward(List.of(y)).get(0);
            compare(io, "activations/" + layer.name(), y, model.getFileName() + " activations of " + layer.name());
        }
        String out = layers.get(layers.size() - 1);
        Tensor prediction = m.predict(x);
        compare(io, "predictions/" + out, prediction, model.getFileName() + " predictions");
    }

    private static void compare(Path io, String dataset, Tensor actual, String context) {
        Tensor expected = TestFiles.h5Array(io, dataset);
        double err = TestFiles.maxAbsDiff(expected.data(), actual.data());
        System.out.printf("%s: max |java - keras| = %.3g%n", context, err);
        Tolerance.assertClose(FixtureArray.ofFloats(dataset, expected.data(), expected.shape()), actual.data(),
                actual.shape(), TOL, TOL, context);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tf", "th"})
    void keras1SimpleLstmMatchesKerasPredictionsAndActivations(String backend) {
        String stem = "examples/simple_lstm/simple_lstm_" + backend + "_keras_1_";
        Model m = KerasModels.load(TestFiles.keras(stem + "model.h5"));
        assertEquals("1.2.2", m.metadata().get("keras_version"));
        assertMatchesReference(TestFiles.keras(stem + "model.h5"), TestFiles.keras(stem + "inputs_and_outputs.h5"),
                "lstm_input_1", List.of("lstm_1", "dense_1"));
    }

    @Test
    void keras2SimpleFlattenLstmMatchesKerasPredictionsAndActivations() {
        String stem = "examples/simple_flatten_lstm/simple_flatten_lstm_tf_keras_2_";
        assertMatchesReference(TestFiles.keras(stem + "model.h5"), TestFiles.keras(stem + "inputs_and_outputs.h5"),
                "lstm_1_input", List.of("lstm_1", "dense_1"));
    }

    /** SimpleRNN(50) > Dense(1), Keras 2.1.3 (TensorFlow), batch 25, T 1. */
    @Test
    void keras2SimpleRnnMatchesKerasPredictionsAndActivations() {
        String stem = "examples/simple_rnn/simple_rnn_tf_keras_2_";
        assertMatchesReference(TestFiles.keras(stem + "model.h5"), TestFiles.keras(stem + "inputs_and_outputs.h5"),
                "simple_rnn_1_input", List.of("simple_rnn_1", "dense_1"));
    }

    /** SimpleRNN(50, return_sequences) > Flatten > Dense(1), Keras 2.1.3 (TensorFlow), batch 25, T 1. */
    @Test
    void keras2SimpleFlattenRnnMatchesKerasPredictionsAndActivations() {
        String stem = "examples/simple_flatten_rnn/simple_flatten_rnn_tf_keras_2_";
        assertMatchesReference(TestFiles.keras(stem + "model.h5"), TestFiles.keras(stem + "inputs_and_outputs.h5"),
                "simple_rnn_1_input", List.of("simple_rnn_1", "flatten_1", "dense_1"));
    }

    /**
     * fullconfigs/lstm (Keras 2.0.8, Theano): JSON config + save_weights file. As in DL4J's
     * FullModelComparisons, prediction i is the model's output for {@code data/sequences/i.csv}
     * (4 steps x 13 columns; the first 12 are the features, the last the label). The model is
     * LSTM(96, rs) > LSTM(96) > Dense(1, sigmoid), so each prediction is the output after the last step.
     */
    @Test
    void keras2TheanoFullConfigLstmMatchesKerasPredictionsForAll283Sequences() throws Exception {
        Path dir = TestFiles.keras("fullconfigs/lstm/predictions.npy").getParent();
        Model m = KerasModels.load(dir.resolve("lstm_th_keras_2_config.json"), dir.resolve("lstm_th_keras_2_weights.h5"));
        assertEquals("json", m.metadata().get("format"));
        assertEquals("2.0.8", m.metadata().get("keras_version"));
        assertEquals("theano", m.metadata().get("backend"));
        float[] expected = TestFiles.npyFloat32(dir.resolve("predictions.npy"));
        assertEquals(283, expected.length);
        Map<String, byte[]> sequences = TestFiles.tarGz(dir.resolve("data_sequences.tar.gz"));
        int steps = 4;
        int features = 12;
        float[] x = new float[expected.length * steps * features];
        for (int i = 0; i < expected.length; i++) {
            byte[] csv = sequences.get("data/sequences/" + i + ".csv");
            String[] rows = new String(csv, StandardCharsets.US_ASCII).strip().split("\n");
            assertEquals(steps, rows.length, "rows of " + i + ".csv");
            for (int t = 0; t < steps; t++) {
                String[] cols = rows[t].strip().split(";");
                assertEquals(13, cols.length, "columns of " + i + ".csv");
                for (int f = 0; f < features; f++) {
                    x[(i * steps + t) * features + f] = Float.parseFloat(cols[f]);
                }
            }
        }
        Tensor y = m.predict(Tensor.wrap(x, expected.length, steps, features));
        assertArrayEquals(new int[] {expected.length, 1}, y.shape());
        double err = TestFiles.maxAbsDiff(expected, y.data());
        System.out.printf("fullconfigs/lstm: max |java - keras| = %.3g over %d sequences%n", err, expected.length);
        Tolerance.assertClose(FixtureArray.ofFloats("predictions.npy", expected, expected.length, 1), y.data(),
                y.shape(), TOL, TOL, "fullconfigs/lstm predictions");
    }
}
