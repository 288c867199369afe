package org.jkeras.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jkeras.runtime.graph.Graph;
import org.jkeras.runtime.graph.Port;
import org.jkeras.runtime.kernels.Kernels;
import org.jkeras.runtime.layers.Dense;
import org.jkeras.runtime.layers.Embedding;
import org.jkeras.runtime.layers.Lstm;
import org.jkeras.runtime.tensor.Activation;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** What a model says about itself: names, dtypes, Keras-style summary, toString, warm-up, kernels. */
class ModelIntrospectionTest {
    private static Model embeddingClassifier() {
        Random r = new Random(2);
        Graph.Builder g = Graph.builder();
        Port tokens = g.input("tokens", Shape.of(Shape.UNKNOWN, 7));
        Port e = g.apply(new Embedding("embedding", ModelTest.random(r, 12, 4)), tokens);
        Port h = g.apply(new Lstm("lstm", 5, ModelTest.random(r, 4, 20), ModelTest.random(r, 5, 20),
                ModelTest.random(r, 20), Activation.TANH, Activation.SIGMOID, false), e);
        Port y = g.apply(new Dense("dense", ModelTest.random(r, 5, 3), ModelTest.random(r, 3), Activation.SOFTMAX), h);
        return new Model(g.build(List.of(y)), Map.of("format", "keras_zip"));
    }

    @Test
    void namesDtypesAndToStringDescribeTheModel() {
        Model m = embeddingClassifier();
        assertEquals(List.of("tokens"), m.inputNames());
        assertEquals(List.of("dense"), m.outputNames());
        assertEquals(List.of("int32"), m.inputDtypes(), "an input read only by an Embedding holds indices");
        assertEquals(List.of("float32"), ModelTest.lstmDense(new Random(1)).inputDtypes());
        assertEquals("Model[inputs [tokens (None, 7)], outputs [dense (None, 3)], 3 layers, 266 params, keras_zip]",
                m.toString());
    }

    @Test
    void summaryIsKerasStyleTable() {
        // columns as wide as their widest cell plus 2, as Keras's plain summary lays them out
        String expected = String.join("\n",
                "_".repeat(46),
                "Layer (type)           Output Shape  Param #",
                "=".repeat(46),
                "tokens (InputLayer)    (None, 7)     0",
                "",
                "embedding (Embedding)  (None, 7, 4)  48",
                "",
                "lstm (LSTM)            (None, 5)     200",
                "",
                "dense (Dense)          (None, 3)     18",
                "=".repeat(46),
                "Total params: 266 (1.04 KB)",
                "Trainable params: 266 (1.04 KB)",
                "Non-trainable params: 0 (0.00 B)");
        assertEquals(expected, m().summary());
    }

    private static Model m() {
        Random r = new Random(2);
        Graph.Builder g = Graph.builder();
        Port tokens = g.input("tokens", Shape.of(Shape.UNKNOWN, 7));
        Port e = g.apply(new Embedding("embedding", ModelTest.random(r, 12, 4)), tokens);
        Port h = g.apply(new Lstm("lstm", 5, ModelTest.random(r, 4, 20), ModelTest.random(r, 5, 20),
                ModelTest.random(r, 20), Activation.TANH, Activation.SIGMOID, false), e);
        Port y = g.apply(new Dense("dense", ModelTest.random(r, 5, 3), ModelTest.random(r, 3), Activation.SOFTMAX), h);
        return new Model(g.build(List.of(y)), Map.of());
    }

    @Test
    void warmUpRunsPredictionsWithoutChangingResults() {
        Model m = ModelTest.lstmDense(new Random(3));
        Tensor x = ModelTest.random(new Random(4), 2, 6, 5);
        float[] before = m.predict(x).toFloatArray();
        assertTrue(m.warmUp(1, 10) > 0);
        assertArrayEquals(before, m.predict(x).toFloatArray());
        assertTrue(embeddingClassifier().warmUp(2, 3) > 0, "indices get zeros, a valid index");
    }

    @Test
    void kernelsSayWhatRuns() {
        String d = Kernels.description();
        if (Kernels.vectorized()) {
            assertTrue(d.startsWith("Vector API, " + Kernels.lanes() + " float lanes"), d);
        } else {
            assertEquals("scalar: asked for with -Djkeras.kernels=scalar", d);
        }
    }
}
