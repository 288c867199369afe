package org.jkeras.runtime.training;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.tensor.Activation;
import org.jkeras.runtime.layers.Dense;
import org.jkeras.runtime.layers.Embedding;
import org.jkeras.runtime.layers.Gru;
import org.jkeras.runtime.layers.Lstm;
import org.jkeras.runtime.layers.SimpleRnn;
import org.jkeras.runtime.layers.TimeDistributed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every trainable layer's backward pass against finite differences of a float64 reference. */
class LayerGradientTest {
    private static final int BATCH = 3;
    private static final int STEPS = 5;
    private static final int IN = 4;
    private static final int UNITS = 3;

    static Stream<Arguments> recurrentVariants() {
        return Stream.of(
                // act, recurrent act, return_sequences, go_backwards, bias
                Arguments.of("tanh", "sigmoid", true, false, true),
                Arguments.of("tanh", "sigmoid", false, false, true),
                Arguments.of("tanh", "sigmoid", true, true, true),
                Arguments.of("relu", "hard_sigmoid", false, false, true),
                Arguments.of("elu", "sigmoid", true, false, false),
                Arguments.of("softsign", "sigmoid", false, true, false));
    }

    @ParameterizedTest
    @MethodSource("recurrentVariants")
    void lstmBackwardMatchesFiniteDifferences(String act, String rec, boolean seq, boolean back, boolean useBias) {
        SplittableRandom r = new SplittableRandom(11);
        Lstm layer = new Lstm("lstm", UNITS, t(r, IN, 4 * UNITS), t(r, UNITS, 4 * UNITS),
                useBias ? t(r, 4 * UNITS) : null, activation(act), activation(rec), seq, false, back);
        GradientCheck.check("lstm " + act + "/" + rec, layer, GradientCheck.random(r, BATCH * STEPS * IN, 1.0),
                new int[] {BATCH, STEPS, IN},
                (w, x) -> Reference.recurrent(Reference.Cell.LSTM, x, BATCH, STEPS, IN, UNITS, w[0], w[1],
                        useBias ? w[2] : null, act, rec, seq, back, null, null), true);
    }

    @ParameterizedTest
    @MethodSource("recurrentVariants")
    void gruResetAfterBackwardMatchesFiniteDifferences(String act, String rec, boolean seq, boolean back,
                                                       boolean useBias) {
        SplittableRandom r = new SplittableRandom(12);
        Gru layer = new Gru("gru", UNITS, t(r, IN, 3 * UNITS), t(r, UNITS, 3 * UNITS),
                useBias ? t(r, 2, 3 * UNITS) : null, true, activation(act), activation(rec), seq, false, back);
        GradientCheck.check("gru reset_after " + act, layer, GradientCheck.random(r, BATCH * STEPS * IN, 1.0),
                new int[] {BATCH, STEPS, IN},
                (w, x) -> Reference.recurrent(Reference.Cell.GRU_AFTER, x, BATCH, STEPS, IN, UNITS, w[0], w[1],
                        useBias ? w[2] : null, act, rec, seq, back, null, null), true);
    }

    @ParameterizedTest
    @MethodSource("recurrentVariants")
    void gruResetBeforeBackwardMatchesFiniteDifferences(String act, String rec, boolean seq, boolean back,
                                                        boolean useBias) {
        SplittableRandom r = new SplittableRandom(13);
        Gru layer = new Gru("gru", UNITS, t(r, IN, 3 * UNITS), t(r, UNITS, 3 * UNITS),
                useBias ? t(r, 3 * UNITS) : null, false, activation(act), activation(rec), seq, false, back);
        GradientCheck.check("gru reset_before " + act, layer, GradientCheck.random(r, BATCH * STEPS * IN, 1.0),
                new int[] {BATCH, STEPS, IN},
                (w, x) -> Reference.recurrent(Reference.Cell.GRU_BEFORE, x, BATCH, STEPS, IN, UNITS, w[0], w[1],
                        useBias ? w[2] : null, act, rec, seq, back, null, null), true);
    }

    @ParameterizedTest
    @MethodSource("recurrentVariants")
    void simpleRnnBackwardMatchesFiniteDifferences(String act, String rec, boolean seq, boolean back,
                                                   boolean useBias) {
        SplittableRandom r = new SplittableRandom(14);
        SimpleRnn layer = new SimpleRnn("rnn", UNITS, t(r, IN, UNITS), t(r, UNITS, UNITS),
                useBias ? t(r, UNITS) : null, activation(act), seq, false, back);
        GradientCheck.check("simple_rnn " + act, layer, GradientCheck.random(r, BATCH * STEPS * IN, 1.0),
                new int[] {BATCH, STEPS, IN},
                (w, x) -> Reference.recurrent(Reference.Cell.SIMPLE, x, BATCH, STEPS, IN, UNITS, w[0], w[1],
                        useBias ? w[2] : null, act, "sigmoid", seq, back, null, null), true);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"linear", "tanh", "relu", "sigmoid", "softmax", "selu"})
    void denseBackwardMatchesFiniteDifferences(String act) {
        SplittableRandom r = new SplittableRandom(15);
        Dense layer = new Dense("dense", t(r, IN, UNITS), t(r, UNITS), activation(act));
        GradientCheck.check("dense " + act, layer, GradientCheck.random(r, BATCH * IN, 1.0), new int[] {BATCH, IN},
                (w, x) -> Reference.dense(x, BATCH, IN, w[0], w[1], UNITS, act), true);
    }

    @Test
    void denseOnSequencesAndTimeDistributedBackwardMatchFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(16);
        Dense dense = new Dense("dense", t(r, IN, UNITS), null, Activation.TANH);
        GradientCheck.check("dense 3-D", dense, GradientCheck.random(r, BATCH * STEPS * IN, 1.0),
                new int[] {BATCH, STEPS, IN}, (w, x) -> Reference.dense(x, BATCH * STEPS, IN, w[0], null, UNITS, "tanh"),
                true);
        TimeDistributed td = new TimeDistributed("td", new Dense("dense", t(r, IN, UNITS), t(r, UNITS),
                Activation.SOFTMAX));
        GradientCheck.check("time_distributed", td, GradientCheck.random(r, BATCH * STEPS * IN, 1.0),
                new int[] {BATCH, STEPS, IN},
                (w, x) -> Reference.dense(x, BATCH * STEPS, IN, w[0], w[1], UNITS, "softmax"), true);
    }

    @Test
    void embeddingBackwardAddsEachRowGradientAtItsIndexIncludingRepeats() {
        SplittableRandom r = new SplittableRandom(17);
        int vocab = 6;
        Embedding layer = new Embedding("emb", t(r, vocab, UNITS));
        float[] idx = {0, 5, 2, 2, 5, 1};
        GradientCheck.check("embedding", layer, idx, new int[] {2, 3}, (w, x) -> {
            double[] y = new double[x.length * UNITS];
            for (int i = 0; i < x.length; i++) {
                System.arraycopy(w[0], (int) x[i] * UNITS, y, i * UNITS, UNITS);
            }
            return y;
        }, false);
    }

    static Tensor t(SplittableRandom r, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return Tensor.of(GradientCheck.random(r, n, 0.6), shape);
    }

    static Activation activation(String name) {
        return Activation.valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }
}
