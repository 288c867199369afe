package org.jkeras.runtime;

import static org.jkeras.runtime.BatchOneThreadsTest.lstm;
import static org.jkeras.runtime.BatchOneThreadsTest.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jkeras.runtime.graph.Graph;
import org.jkeras.runtime.graph.Port;
import org.jkeras.runtime.kernels.Kernels;
import org.jkeras.runtime.layers.Dense;
import org.jkeras.runtime.tensor.Activation;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * S2's structure, LSTM(64, sequences) → LSTM(64) → Dense(1), at batch 1 on 2+ threads: the two LSTMs run at once,
 * the second consuming each step of the first as it comes, with the one-thread outputs bit for bit (also with the
 * second returning sequences, through {@code predictInto}, for one step, which is not pipelined, and for a
 * streaming session fed in pieces, from its carried states). On the
 * scalar kernels the graph runs the layers in turn; the outputs must match all the same.
 */
class LstmPipelineTest {
    static Model s2(long seed, boolean secondSequences) {
        return s2(seed, secondSequences, false);
    }

    /** S2's structure, optionally with a Dropout between the LSTMs (the identity at inference: still a pair). */
    static Model s2(long seed, boolean secondSequences, boolean dropout) {
        Random r = new Random(seed);
        Graph.Builder g = Graph.builder();
        Port in = g.input("x", Shape.of(Shape.UNKNOWN, Shape.UNKNOWN, 8));
        Port h1 = g.apply(lstm(r, "lstm_1", 8, 64, true), in);
        if (dropout) {
            h1 = g.apply(new org.jkeras.runtime.layers.Dropout("dropout", "Dropout", 0.2), h1);
        }
        Port h2 = g.apply(lstm(r, "lstm_2", 64, 64, secondSequences), h1);
        Port y = g.apply(new Dense("dense", tensor(r, 0.3f, 64, 1), tensor(r, 0.1f, 1), Activation.LINEAR), h2);
        return new Model(g.build(List.of(y)), Map.of());
    }

    @Test
    void stackedPairOnTwoThreadsGivesTheOneThreadOutputsBitForBit() {
        for (int variant = 0; variant < 4; variant++) {
            boolean sequences = (variant & 1) == 1;
            Model model = s2(1, sequences, variant >= 2);
            Random r = new Random(2);
            for (int steps : new int[] {1, 2, 3, 50, 301}) {
                Tensor x = tensor(r, 2f, 1, steps, 8);
                float[] one = model.predict(List.of(x)).get(0).data();
                Tensor into = Tensor.zeros(model.predict(x).shape());
                for (int threads : new int[] {2, 3}) {
                    for (int k = 0; k < 3; k++) {
                        assertArrayEquals(one, model.predict(List.of(x), threads).get(0).data(),
                                steps + " steps, " + threads + " threads, sequences " + sequences);
                        java.util.Arrays.fill(into.data(), Float.NaN);
                        model.predictInto(List.of(x), List.of(into), threads);
                        assertArrayEquals(one, into.data(), steps + " steps into, " + threads + " threads");
                    }
                }
            }
        }
    }

    /** LSTM(u1, sequences) on {@code in} inputs → LSTM(u2) → Dense(1). */
    static Model pair(long seed, int in, int u1, int u2) {
        Random r = new Random(seed);
        Graph.Builder g = Graph.builder();
        Port x = g.input("x", Shape.of(Shape.UNKNOWN, Shape.UNKNOWN, in));
        Port h1 = g.apply(lstm(r, "lstm_1", in, u1, true), x);
        Port h2 = g.apply(lstm(r, "lstm_2", u1, u2, false), h1);
        Port y = g.apply(new Dense("dense", tensor(r, 0.3f, u2, 1), tensor(r, 0.1f, 1), Activation.LINEAR), h2);
        return new Model(g.build(List.of(y)), Map.of());
    }

    /**
     * The first layer's core computes the part of the second layer's input projection that balances the two
     * ({@code RecurrentPipeline.writerShare}): none when the first is the heavier (64 → 64 on 64 inputs), part (S2),
     * all of it (LSTM(8) → LSTM(96)); odd units pad their panels. Bit for bit one thread's outputs, each pairing.
     */
    @Test
    void theSecondLayersInputProjectionSharedWithTheFirstCoreChangesNoBit() {
        int[][] shapes = {{64, 64, 64}, {8, 64, 64}, {3, 8, 96}, {40, 17, 33}, {13, 33, 17}};
        for (int[] s : shapes) {
            Model model = pair(11, s[0], s[1], s[2]);
            Tensor x = tensor(new Random(12), 2f, 1, 150, s[0]);
            float[] one = model.predict(x).data();
            long before = Simd.splitLayerCalls();
            for (int k = 0; k < tries() && (k < 20 || Simd.splitLayerCalls() == before); k++) {
                assertArrayEquals(one, model.predict(List.of(x), 2).get(0).data(), java.util.Arrays.toString(s));
            }
            assertTrue(Kernels.vectorized() == Simd.splitLayerCalls() > before, java.util.Arrays.toString(s));
        }
    }

    @Test
    void thePairReallyRunsOnTwoThreads() {
        assertPairsRun(s2(3, false));
    }

    @Test
    void aDropoutBetweenTheLayersKeepsThePair() {
        assertPairsRun(s2(5, true, true));
    }

    @Test
    void aStreamingSessionFedInPiecesPipelinesFromItsCarriedStates() {
        Model model = s2(7, true, true);
        Random r = new Random(8);
        org.jkeras.runtime.session.Session one = org.jkeras.runtime.session.Session.streaming(model);
        org.jkeras.runtime.session.Session two = org.jkeras.runtime.session.Session.streaming(model);
        long before = Simd.splitLayerCalls();
        // pieces of 1 to 40 steps; the longer ones pair (a late helper may send up to 1024 calls in a row alone)
        for (int round = 0; round < tries() && (round < 8 || Simd.splitLayerCalls() == before); round++) {
            Tensor piece = tensor(r, 2f, 1, round < 4 ? 1 + round : 20 + round % 21, 8);
            float[] expected = one.predict(piece).data();
            Tensor into = Tensor.zeros(1, piece.dim(1), 1);
            if ((round & 1) == 0) {
                assertArrayEquals(expected, two.predict(List.of(piece), 2).get(0).data(), "piece " + round);
            } else {
                two.predictInto(List.of(piece), List.of(into), 2);
                assertArrayEquals(expected, into.data(), "piece " + round + " into");
            }
        }
        org.junit.jupiter.api.Assertions.assertEquals(one.exportState(), two.exportState(), "the carried states");
        assertTrue(Kernels.vectorized() == Simd.splitLayerCalls() > before, "pipelined session calls");
    }

    /** Calls to wait for a pair: a late helper sends up to 1024 calls in a row alone; the scalar kernels never pair. */
    private static int tries() {
        return Kernels.vectorized() ? 2100 : 20;
    }

    private static void assertPairsRun(Model model) {
        Tensor x = tensor(new Random(4), 2f, 1, 50, 8);
        float[] one = model.predict(x).data();
        long before = Simd.splitLayerCalls();
        // a helper that is late (busy machine) sends calls to the caller alone for up to 1024 calls in a row
        for (int k = 0; k < tries() && Simd.splitLayerCalls() == before; k++) {
            assertArrayEquals(one, model.predict(List.of(x), 2).get(0).data());
        }
        if (Kernels.vectorized()) {
            assertTrue(Simd.splitLayerCalls() > before, "the LSTM pair never ran on two threads");
        } else {
            assertTrue(Simd.splitLayerCalls() == before, "the scalar kernels have no pipeline");
        }
    }
}
