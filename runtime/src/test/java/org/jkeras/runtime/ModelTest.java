package org.jkeras.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jkeras.runtime.graph.Graph;
import org.jkeras.runtime.graph.Port;
import org.jkeras.runtime.layers.Dense;
import org.jkeras.runtime.layers.Lstm;
import org.jkeras.runtime.tensor.Activation;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ModelTest {
    static Tensor random(Random r, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian() * 0.5f;
        }
        return Tensor.wrap(x, shape);
    }

    static Model lstmDense(Random r) {
        Graph.Builder g = Graph.builder();
        Port in = g.input("series", Shape.of(Shape.UNKNOWN, Shape.UNKNOWN, 5));
        Port h = g.apply(new Lstm("lstm", 16, random(r, 5, 64), random(r, 16, 64), random(r, 64),
                Activation.TANH, Activation.SIGMOID, false), in);
        Port y = g.apply(new Dense("dense", random(r, 16, 3), random(r, 3), Activation.LINEAR), h);
        return new Model(g.build(List.of(y)), Map.of("format", "test"));
    }

    @Test
    void concurrentPredictionsEqualSequentialOnesBitForBit() throws Exception {
        Random r = new Random(7);
        Model model = lstmDense(r);
        int threads = 8;
        List<Tensor> inputs = new ArrayList<>();
        List<float[]> expected = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Tensor x = random(r, 1 + t % 3, 10 + t, 5); // different batch and length per thread
            inputs.add(x);
            expected.add(model.predict(x).toFloatArray());
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 50; i++) {
                        assertArrayEquals(expected.get(id), model.predict(inputs.get(id)).data(),
                                "thread " + id + " call " + i);
                    }
                    return id;
                }));
            }
            start.countDown();
            for (int t = 0; t < threads; t++) {
                assertEquals(t, done.get(t).get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void describesInputsOutputsAndParameters() {
        Model m = lstmDense(new Random(1));
        assertEquals(List.of("series"), m.inputNames());
        assertEquals(List.of(Shape.of(Shape.UNKNOWN, Shape.UNKNOWN, 5)), m.inputShapes());
        assertEquals(List.of(Shape.of(Shape.UNKNOWN, 3)), m.outputShapes());
        assertEquals(List.of("lstm", "dense"), m.layers().stream().map(l -> l.name()).toList());
        assertEquals(4L * (5 * 16 + 16 * 16 + 16) + (16 * 3 + 3), m.parameterCount());
        assertEquals("test", m.metadata().get("format"));
    }

    @Test
    void singleTensorPredictRefusesMultiOutputModels() {
        Graph.Builder g = Graph.builder();
        Port in = g.input("x", Shape.of(Shape.UNKNOWN, 2));
        Model m = new Model(g.build(List.of(in, in)), Map.of());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.predict(Tensor.zeros(1, 2)));
        assertTrue(e.getMessage().contains("2 outputs"), e.getMessage());
        assertEquals(2, m.predict(List.of(Tensor.zeros(1, 2))).size());
    }
}
