package org.jkeras.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.List;
import org.jkeras.fixtures.FixtureArray;
import org.jkeras.fixtures.FixtureCase;
import org.jkeras.fixtures.FixtureCases;
import org.jkeras.fixtures.Tolerance;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.Simd;
import org.jkeras.runtime.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * Real Keras models with a recurrent layer feeding the next directly (or through a Dropout): LSTM → LSTM, LSTM → GRU,
 * GRU → GRU in both {@code reset_after} forms. Each sequence of the fixture's batch is predicted alone on 2 threads: the two layers run pipelined, one per core (the pair's size bound is lowered for these small
 * layers through the kernels' test hook), and every output matches Keras's and the one-thread output bit for bit.
 * On the scalar kernels nothing pipelines and the outputs must match all the same.
 */
class PipelinedPairConformanceTest {
    private static Method threshold;

    @BeforeAll
    static void pipelineEvenTinyPairs() throws Exception {
        threshold = Class.forName("org.jkeras.runtime.kernels.PairRun").getDeclaredMethod("setThreshold", long.class);
        threshold.setAccessible(true);
        threshold.invoke(null, 0L);
    }

    @AfterAll
    static void restore() throws Exception {
        java.lang.reflect.Field f = Class.forName("org.jkeras.runtime.kernels.PairRun").getDeclaredField("MIN_FMAS");
        f.setAccessible(true);
        threshold.invoke(null, f.getLong(null));
    }

    @ParameterizedTest(name = "{0}")
    @FixtureCases(family = {"lstm_act_elu_softsign", "lstm_act_swish_gelu", "lstm_unit_forget_bias",
                            "lstm_units33_f13", "stacked2_lstm_dropout", "stacked_lstm_gru_simplernn"},
                  format = {"keras_zip", "tf_keras2_h5"}, includeStateful = false)
    void eachSequenceAloneOnTwoThreadsMatchesKerasAndOneThread(FixtureCase c) {
        assertEachSequenceAloneOnTwoThreads(c, KerasModels.load(c.modelPath(), c.weightsPath().orElse(null)));
    }

    /**
     * GRU(36, reset_after=True) → GRU(20, reset_after=False) → Dense(2), float32 and with the kernels Keras rounded to
     * bfloat16 (the {@code precision} set): the GRU pair pipelines and matches Keras.
     */
    @ParameterizedTest(name = "{0}")
    @FixtureCases(set = "precision", family = "bf16_gru_stack")
    void aGruPairOnTwoThreadsMatchesKerasAndOneThread(FixtureCase c) {
        Model model = KerasModels.load(c.modelPath(), c.weightsPath().orElse(null));
        assertEachSequenceAloneOnTwoThreads(c, c.tags().contains("bfloat16_kernels") ? model.withBfloat16Kernels()
                : model);
    }

    private static void assertEachSequenceAloneOnTwoThreads(FixtureCase c, Model model) {
        FixtureArray x = c.inputs().get(0);
        FixtureArray y = c.outputs().get(0);
        int rowSize = x.size() / x.dim(0);
        long before = Simd.splitLayerCalls();
        for (int b = 0; b < x.dim(0); b++) {
            float[] row = java.util.Arrays.copyOfRange(x.data(), b * rowSize, (b + 1) * rowSize);
            Tensor in = Tensor.wrap(row, 1, x.dim(1), x.dim(2));
            float[] one = model.predict(in).data();
            Tensor two = model.predict(List.of(in), 2).get(0);
            FixtureArray expected = y.slice(b);
            Tolerance.assertClose(expected, two.data(), expected.shape(), c.atol(), c.rtol(), c.id() + " row " + b);
            assertArrayEquals(one, two.data(), c.id() + " row " + b + ": 2 threads differ from one");
        }
        Tensor in = Tensor.wrap(java.util.Arrays.copyOfRange(x.data(), 0, rowSize), 1, x.dim(1), x.dim(2));
        float[] one = model.predict(in).data();
        // a helper late on a busy machine sends calls to the caller alone for up to 1024 calls in a row
        for (int k = 0; k < 2100 && Simd.splitLayerCalls() == before; k++) {
            assertArrayEquals(one, model.predict(List.of(in), 2).get(0).data());
        }
        boolean vector = Simd.lanes() > 1;
        assertTrue(vector == Simd.splitLayerCalls() > before, c.id() + ": pipelined calls seen " + (Simd
                .splitLayerCalls() - before) + " on " + Simd.description());
    }

    /** A streaming session per sequence, fed in pieces of 3, 1 and the rest on 2 threads, still gives Keras's output. */
    @ParameterizedTest(name = "{0}")
    @FixtureCases(family = "stacked2_lstm_dropout", format = {"keras_zip", "tf_keras2_h5"}, includeStateful = false)
    void streamingPiecesOnTwoThreadsMatchKerasOnTheWholeSequence(FixtureCase c) {
        Model model = KerasModels.load(c.modelPath(), c.weightsPath().orElse(null));
        FixtureArray x = c.inputs().get(0);
        FixtureArray y = c.outputs().get(0);
        int steps = x.dim(1);
        int features = x.dim(2);
        for (int b = 0; b < x.dim(0); b++) {
            org.jkeras.runtime.session.Session session = org.jkeras.runtime.session.Session.streaming(model);
            Tensor last = null;
            int t0 = 0;
            for (int len : new int[] {3, 1, steps - 4}) {
                float[] piece = java.util.Arrays.copyOfRange(x.data(), (b * steps + t0) * features,
                        (b * steps + t0 + len) * features);
                last = session.predict(List.of(Tensor.wrap(piece, 1, len, features)), 2).get(0);
                t0 += len;
            }
            FixtureArray expected = y.slice(b);
            Tolerance.assertClose(expected, last.data(), expected.shape(), c.atol(), c.rtol(), c.id() + " row " + b
                    + " fed in pieces on 2 threads");
        }
    }
}
