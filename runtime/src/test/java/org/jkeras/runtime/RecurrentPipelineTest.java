package org.jkeras.runtime;

import static org.jkeras.runtime.BatchOneThreadsTest.lstm;
import static org.jkeras.runtime.BatchOneThreadsTest.tensor;
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
import org.jkeras.runtime.layers.Gru;
import org.jkeras.runtime.layers.Layer;
import org.jkeras.runtime.layers.SimpleRnn;
import org.jkeras.runtime.session.Session;
import org.jkeras.runtime.tensor.Activation;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Stacked pairs of GRU (both {@code reset_after} forms), SimpleRNN and LSTM layers in every mix, at batch 1 on 2+
 * threads: the two layers run at once, the second consuming each step of the first as it comes, with the one-thread
 * outputs bit for bit (the second returning sequences or not, through {@code predictInto}, for short calls that do
 * not pipeline, and for a streaming session fed in pieces from its carried states). On the scalar kernels the graph
 * runs the layers in turn; the outputs must match all the same. {@link LstmPipelineTest} covers LSTM → LSTM.
 */
class RecurrentPipelineTest {
    private static final int IN = 8;

    /** {@code first}(64, sequences) on 8 inputs → {@code second}(56) → Dense(1); kinds: lstm, gru, gru_before, rnn. */
    static Model pair(String first, String second, long seed, boolean secondSequences) {
        Random r = new Random(seed);
        Graph.Builder g = Graph.builder();
        Port x = g.input("x", Shape.of(Shape.UNKNOWN, Shape.UNKNOWN, IN));
        Port h1 = g.apply(layer(first, r, "first", IN, 64, true), x);
        Port h2 = g.apply(layer(second, r, "second", 64, 56, secondSequences), h1);
        Port y = g.apply(new Dense("dense", tensor(r, 0.3f, 56, 1), tensor(r, 0.1f, 1), Activation.LINEAR), h2);
        return new Model(g.build(List.of(y)), Map.of());
    }

    private static Layer layer(String kind, Random r, String name, int in, int units, boolean sequences) {
        float scale = (float) Math.sqrt(6.0 / (in + 4 * units)) * 2;
        return switch (kind) {
            case "lstm" -> lstm(r, name, in, units, sequences);
            case "gru" -> new Gru(name, units, tensor(r, scale, in, 3 * units), tensor(r, scale, units, 3 * units),
                    tensor(r, 0.5f, 2, 3 * units), true, Activation.TANH, Activation.SIGMOID, sequences);
            case "gru_before" -> new Gru(name, units, tensor(r, scale, in, 3 * units),
                    tensor(r, scale, units, 3 * units), tensor(r, 0.5f, 3 * units), false, Activation.TANH,
                    Activation.HARD_SIGMOID, sequences);
            case "rnn" -> new SimpleRnn(name, units, tensor(r, scale, in, units), tensor(r, scale, units, units),
                    tensor(r, 0.5f, units), Activation.TANH, sequences);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gru>gru", "gru_before>gru_before", "gru>gru_before", "rnn>rnn", "lstm>gru", "gru>lstm",
                            "gru>rnn", "rnn>lstm", "lstm>rnn"})
    void aMixedPairOnTwoThreadsGivesTheOneThreadOutputsBitForBit(String kinds) {
        String[] k = kinds.split(">");
        for (boolean sequences : new boolean[] {false, true}) {
            Model model = pair(k[0], k[1], 1, sequences);
            Random r = new Random(2);
            for (int steps : new int[] {1, 2, 3, 50, 301}) {
                Tensor x = tensor(r, 2f, 1, steps, IN);
                float[] one = model.predict(List.of(x)).get(0).data();
                Tensor into = Tensor.zeros(model.predict(x).shape());
                for (int threads : new int[] {2, 3}) {
                    assertArrayEquals(one, model.predict(List.of(x), threads).get(0).data(),
                            kinds + ", " + steps + " steps, " + threads + " threads, sequences " + sequences);
                    java.util.Arrays.fill(into.data(), Float.NaN);
                    model.predictInto(List.of(x), List.of(into), threads);
                    assertArrayEquals(one, into.data(), kinds + ", " + steps + " steps into, " + threads + " threads");
                }
            }
            assertPairsRun(model, kinds);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gru>gru", "rnn>lstm"})
    void aStreamingSessionFedInPiecesPipelinesFromItsCarriedStates(String kinds) {
        String[] k = kinds.split(">");
        Model model = pair(k[0], k[1], 7, true);
        Random r = new Random(8);
        Session one = Session.streaming(model);
        Session two = Session.streaming(model);
        long before = Simd.splitLayerCalls();
        // pieces of 1 to 40 steps; the longer ones pair (a late helper may send up to 1024 calls in a row alone)
        for (int round = 0; round < tries() && (round < 8 || Simd.splitLayerCalls() == before); round++) {
            Tensor piece = tensor(r, 2f, 1, round < 4 ? 1 + round : 20 + round % 21, IN);
            float[] expected = one.predict(piece).data();
            assertArrayEquals(expected, two.predict(List.of(piece), 2).get(0).data(), kinds + " piece " + round);
        }
        assertEquals(one.exportState(), two.exportState(), "the carried states");
        assertTrue(Kernels.vectorized() == Simd.splitLayerCalls() > before, kinds + ": pipelined session calls");
    }

    /** Calls to wait for a pair: a late helper sends up to 1024 calls in a row alone; the scalar kernels never pair. */
    private static int tries() {
        return Kernels.vectorized() ? 2100 : 20;
    }

    private static void assertPairsRun(Model model, String kinds) {
        Tensor x = tensor(new Random(4), 2f, 1, 50, IN);
        float[] one = model.predict(x).data();
        long before = Simd.splitLayerCalls();
        for (int k = 0; k < tries() && Simd.splitLayerCalls() == before; k++) {
            assertArrayEquals(one, model.predict(List.of(x), 2).get(0).data());
        }
        assertTrue(Kernels.vectorized() == Simd.splitLayerCalls() > before, kinds + ": pipelined calls seen "
                + (Simd.splitLayerCalls() - before) + " on " + Simd.description());
    }
}
