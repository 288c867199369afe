package org.jkeras.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jkeras.runtime.graph.Graph;
import org.jkeras.runtime.graph.Port;
import org.jkeras.runtime.layers.Bidirectional;
import org.jkeras.runtime.layers.Dense;
import org.jkeras.runtime.layers.Lstm;
import org.jkeras.runtime.session.Session;
import org.jkeras.runtime.tensor.Activation;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * {@code Model.predict(inputs, threads)} and {@code Session.predict(inputs, threads)} at batch 1: the LSTM steps
 * split by gate columns give bit for bit the one-thread outputs, for a stacked model (S2's structure), for a session
 * fed in pieces (default thresholds: the layers really split), and for many threads predicting on one shared model at once.
 */
class BatchOneThreadsTest {
    /**
     * LSTM(128, sequences) -> LSTM(128) -> Dense(1) over 8 features: S2's structure with layers large enough to be
     * split at the default thresholds.
     */
    static Model stacked(long seed) {
        Random r = new Random(seed);
        Graph.Builder g = Graph.builder();
        Port in = g.input("x", Shape.of(Shape.UNKNOWN, Shape.UNKNOWN, 8));
        Port h1 = g.apply(lstm(r, "lstm_1", 8, 128, true), in);
        Port h2 = g.apply(lstm(r, "lstm_2", 128, 128, false), h1);
        Port y = g.apply(new Dense("dense", tensor(r, 0.3f, 128, 1), tensor(r, 0.1f, 1), Activation.LINEAR), h2);
        return new Model(g.build(List.of(y)), Map.of());
    }

    static Lstm lstm(Random r, String name, int in, int units, boolean sequences) {
        float scale = (float) Math.sqrt(6.0 / (in + 5 * units)) * 2;
        return new Lstm(name, units, tensor(r, scale, in, 4 * units), tensor(r, scale, units, 4 * units),
                tensor(r, 0.5f, 4 * units), Activation.TANH, Activation.SIGMOID, sequences);
    }

    static Tensor tensor(Random r, float scale, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (r.nextFloat() * 2 - 1) * scale;
        }
        return Tensor.wrap(a, shape);
    }

    @Test
    void batchOneWithTwoThreadsGivesTheOneThreadOutputsBitForBit() {
        Model model = stacked(1);
        Random r = new Random(2);
        for (int steps : new int[] {1, 2, 7, 50, 300}) {
            Tensor x = tensor(r, 2f, 1, steps, 8);
            float[] one = model.predict(List.of(x)).get(0).data();
            for (int threads : new int[] {2, 3, 8}) {
                for (int k = 0; k < 3; k++) {
                    assertArrayEquals(one, model.predict(List.of(x), threads).get(0).data(),
                            steps + " steps, " + threads + " threads");
                }
            }
        }
    }

    /**
     * Bidirectional LSTM(64, sequences, concat) -> Bidirectional LSTM(64, sum) over 8 features at batch 1: with 2
     * threads the two directions of each layer run at once (LSTM(64) is too small for the per-step split), giving
     * the one-thread outputs bit for bit, each direction's output in its place.
     */
    @Test
    void bidirectionalDirectionsRunAtOnceWithTheOneThreadOutputs() {
        Random r = new Random(8);
        Graph.Builder g = Graph.builder();
        Port in = g.input("x", Shape.of(Shape.UNKNOWN, Shape.UNKNOWN, 8));
        Port h1 = g.apply(new Bidirectional("bi_1", lstm(r, "f1", 8, 64, true), backwards(r, "b1", 8, 64, true),
                Bidirectional.Merge.CONCAT), in);
        Port h2 = g.apply(new Bidirectional("bi_2", lstm(r, "f2", 128, 64, false), backwards(r, "b2", 128, 64, false),
                Bidirectional.Merge.SUM), h1);
        Model model = new Model(g.build(List.of(h2)), Map.of());
        for (int steps : new int[] {3, 50, 200}) {
            Tensor x = tensor(r, 2f, 1, steps, 8);
            float[] one = model.predict(List.of(x)).get(0).data();
            for (int k = 0; k < 3; k++) {
                assertArrayEquals(one, model.predict(List.of(x), 2).get(0).data(), steps + " steps, 2 threads");
            }
            if (steps >= 50) { // below that a direction is too little work to wake a helper for
                long before = Simd.splitLayerCalls();
                // a team that lost time to a busy machine sends callers alone for at most 1024 calls in a row
                for (int k = 0; k < 2100 && Simd.splitLayerCalls() == before; k++) {
                    assertArrayEquals(one, model.predict(List.of(x), 2).get(0).data(), steps + " steps, 2 threads");
                }
                assertTrue(Simd.splitLayerCalls() > before, steps + " steps: no layer call ran on two threads");
            }
        }
    }

    static Lstm backwards(Random r, String name, int in, int units, boolean sequences) {
        float scale = (float) Math.sqrt(6.0 / (in + 5 * units)) * 2;
        return new Lstm(name, units, tensor(r, scale, in, 4 * units), tensor(r, scale, units, 4 * units),
                tensor(r, 0.5f, 4 * units), Activation.TANH, Activation.SIGMOID, sequences, false, true);
    }

    @Test
    void aSessionFedInPiecesWithTwoThreadsMatchesOneThread() {
        Model model = stacked(3);
        Random r = new Random(4);
        Tensor whole = tensor(r, 1.5f, 1, 120, 8);
        Session one = Session.streaming(model);
        Session two = Session.streaming(model);
        int[] pieces = {1, 40, 3, 60, 1, 15};
        int t = 0;
        float[] last = null;
        for (int len : pieces) {
            float[] piece = new float[len * 8];
            System.arraycopy(whole.data(), t * 8, piece, 0, len * 8);
            Tensor x = Tensor.wrap(piece, 1, len, 8);
            last = two.predict(x, 2).data();
            assertArrayEquals(one.predict(x).data(), last, "piece at step " + t);
            t += len;
        }
        assertArrayEquals(model.predict(whole).data(), last, "120 steps in pieces vs in one call");
        assertThrows(IllegalArgumentException.class, () -> two.predict(Tensor.wrap(new float[8], 1, 1, 8), 0));
    }

    @Test
    void manyThreadsPredictingOnOneModelEachWithTwoThreadsGetTheOneThreadAnswer() throws Exception {
        Model model = stacked(5);
        Random r = new Random(6);
        Tensor[] inputs = new Tensor[4];
        float[][] expected = new float[4][];
        for (int i = 0; i < 4; i++) {
            inputs[i] = tensor(r, 1f, 1, 20 + 17 * i, 8);
            expected[i] = model.predict(inputs[i]).data();
        }
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < 6; c++) {
                int caller = c;
                futures.add(pool.submit(() -> {
                    for (int k = 0; k < 80; k++) {
                        int i = (k + caller) % 4;
                        assertArrayEquals(expected[i], model.predict(List.of(inputs[i]), 2).get(0).data(),
                                "caller " + caller + " call " + k);
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }
}
