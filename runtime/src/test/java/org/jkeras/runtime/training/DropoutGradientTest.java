package org.jkeras.runtime.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.tensor.Activation;
import org.jkeras.runtime.kernels.RecurrentDropout;
import org.jkeras.runtime.layers.Dropout;
import org.jkeras.runtime.layers.Gru;
import org.jkeras.runtime.layers.Lstm;
import org.jkeras.runtime.layers.RecurrentBase;
import org.jkeras.runtime.layers.Saved;
import org.jkeras.runtime.layers.SimpleRnn;
import org.jkeras.runtime.layers.TrainContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Dropout in training: backward passes of recurrent layers with Keras's masks (one input mask, or one per
 * gate under recurrent dropout) against finite differences of a float64 reference applying the same masks,
 * and the masks' statistics (keep rate, scale), since they cannot equal Keras's random draws bit for bit.
 */
class DropoutGradientTest {
    private static final int BATCH = 3;
    private static final int STEPS = 4;
    private static final int IN = 3;
    private static final int U = 3;

    static Stream<Arguments> rates() {
        return Stream.of(Arguments.of(0.3, 0.0), Arguments.of(0.0, 0.4), Arguments.of(0.25, 0.35));
    }

    @ParameterizedTest
    @MethodSource("rates")
    void recurrentLayersWithDropoutMatchFiniteDifferencesOfTheSameMasks(double dropout, double recurrentDropout) {
        SplittableRandom r = new SplittableRandom(41);
        Lstm lstm = new Lstm("lstm", U, LayerGradientTest.t(r, IN, 4 * U), LayerGradientTest.t(r, U, 4 * U),
                LayerGradientTest.t(r, 4 * U), Activation.TANH, Activation.SIGMOID, true, false, false, dropout,
                recurrentDropout);
        check("lstm", lstm, Reference.Cell.LSTM, 4, dropout, recurrentDropout, r);
        Gru after = new Gru("gru", U, LayerGradientTest.t(r, IN, 3 * U), LayerGradientTest.t(r, U, 3 * U),
                LayerGradientTest.t(r, 2, 3 * U), true, Activation.TANH, Activation.SIGMOID, false, false, false,
                dropout, recurrentDropout);
        check("gru reset_after", after, Reference.Cell.GRU_AFTER, 3, dropout, recurrentDropout, r);
        Gru before = new Gru("gru", U, LayerGradientTest.t(r, IN, 3 * U), LayerGradientTest.t(r, U, 3 * U),
                LayerGradientTest.t(r, 3 * U), false, Activation.TANH, Activation.SIGMOID, true, false, true,
                dropout, recurrentDropout);
        check("gru reset_before", before, Reference.Cell.GRU_BEFORE, 3, dropout, recurrentDropout, r);
        SimpleRnn rnn = new SimpleRnn("rnn", U, LayerGradientTest.t(r, IN, U), LayerGradientTest.t(r, U, U),
                LayerGradientTest.t(r, U), Activation.TANH, true, false, false, dropout, recurrentDropout);
        check("simple_rnn", rnn, Reference.Cell.SIMPLE, 1, dropout, recurrentDropout, r);
    }

    private static void check(String what, RecurrentBase layer, Reference.Cell cell, int gates, double dropout,
                              double recurrentDropout, SplittableRandom r) {
        boolean seq = layer.returnSequences();
        boolean back = layer.goBackwards();
        GradientCheck.check(what + " dropout=" + dropout + " recurrent_dropout=" + recurrentDropout, layer,
                GradientCheck.random(r, BATCH * STEPS * IN, 1.0), new int[] {BATCH, STEPS, IN}, saved -> {
                    RecurrentDropout d = saved.getObject("dropout", RecurrentDropout.class);
                    int expectInputMasks = dropout == 0 ? 0 : recurrentDropout != 0 ? gates : 1;
                    assertEquals(expectInputMasks, d.input() == null ? 0 : d.input().length, what + " input masks");
                    assertEquals(recurrentDropout == 0 ? 0 : gates, d.recurrent() == null ? 0 : d.recurrent().length,
                            what + " recurrent masks");
                    return (w, x) -> Reference.recurrent(cell, x, BATCH, STEPS, IN, U, w[0], w[1], w[2],
                            "tanh", "sigmoid", seq, back, null, null, d.input(), d.recurrent());
                }, true, new TrainContext(true, new SplittableRandom(7), null));
    }

    @Test
    void noMasksOutsideTraining() {
        SplittableRandom r = new SplittableRandom(42);
        Lstm lstm = new Lstm("lstm", U, LayerGradientTest.t(r, IN, 4 * U), LayerGradientTest.t(r, U, 4 * U), null,
                Activation.TANH, Activation.SIGMOID, false, false, false, 0.5, 0.5);
        Saved saved = new Saved();
        Tensor x = Tensor.of(GradientCheck.random(r, BATCH * STEPS * IN, 1), BATCH, STEPS, IN);
        float[][] w = {lstm.weights().get(0).value().toFloatArray(), lstm.weights().get(1).value().toFloatArray()};
        Tensor y = lstm.applyTrain(x, w, saved, new TrainContext(false, r, null));
        assertNull(saved.has("dropout") ? saved.getObject("dropout", RecurrentDropout.class) : null);
        float[] inference = lstm.apply(x).data();
        for (int i = 0; i < inference.length; i++) {
            assertEquals(inference[i], y.data()[i], 1e-6);
        }
    }

    @Test
    void recurrentMasksKeepOneMinusRateOfTheUnitsScaledByItsInverse() {
        SplittableRandom r = new SplittableRandom(43);
        int batch = 200;
        Lstm lstm = new Lstm("lstm", 50, LayerGradientTest.t(r, IN, 200), LayerGradientTest.t(r, 50, 200), null,
                Activation.TANH, Activation.SIGMOID, false, false, false, 0.3, 0.6);
        Saved saved = new Saved();
        float[][] w = {lstm.weights().get(0).value().toFloatArray(), lstm.weights().get(1).value().toFloatArray()};
        lstm.applyTrain(Tensor.zeros(batch, 2, IN), w, saved, new TrainContext(true, r, null));
        RecurrentDropout d = saved.getObject("dropout", RecurrentDropout.class);
        assertNotNull(d);
        assertMaskStatistics(d.input(), 0.3);
        assertMaskStatistics(d.recurrent(), 0.6);
    }

    private static void assertMaskStatistics(float[][] masks, double rate) {
        long kept = 0;
        long total = 0;
        float keep = (float) (1 / (1 - rate));
        for (float[] m : masks) {
            for (float v : m) {
                if (v != 0f) {
                    assertEquals(keep, v, 0f, "kept values are scaled by 1/(1-rate)");
                    kept++;
                }
                total++;
            }
        }
        double p = (double) kept / total;
        double sigma = Math.sqrt(rate * (1 - rate) / total);
        assertEquals(1 - rate, p, 5 * sigma, "keep fraction over " + total + " draws");
    }

    @Test
    void dropoutLayersKeepTheirStatisticsAndBackpropagateThroughTheSameMask() {
        SplittableRandom r = new SplittableRandom(44);
        int n = 40_000;
        Tensor x = Tensor.of(GradientCheck.random(r, n, 1.0), 100, 400);
        for (String kind : new String[] {"Dropout", "GaussianDropout", "GaussianNoise", "AlphaDropout"}) {
            Dropout layer = new Dropout("d", kind, 0.2);
            Saved saved = new Saved();
            Tensor y = layer.applyTrain(x, new float[0][], saved, new TrainContext(true, r, null));
            double meanRatio = 0;
            double zeros = 0;
            double noise = 0;
            double noise2 = 0;
            for (int i = 0; i < n; i++) {
                float xi = x.data()[i];
                float yi = y.data()[i];
                zeros += yi == 0f ? 1 : 0;
                noise += yi - xi;
                noise2 += (yi - xi) * (yi - xi);
                meanRatio += yi / xi;
            }
            switch (kind) {
                case "Dropout" -> {
                    assertEquals(0.2, zeros / n, 0.01, kind + " drop fraction");
                    assertEquals(1.0, meanRatio / n, 0.02, kind + " keeps the mean (scaled by 1/(1-rate))");
                }
                case "GaussianDropout" -> assertEquals(1.0, meanRatio / n, 0.02, kind + " multiplies by N(1, .)");
                case "GaussianNoise" -> {
                    assertEquals(0.0, noise / n, 0.01, kind + " adds zero-mean noise");
                    assertEquals(0.04, noise2 / n, 0.004, kind + " noise variance = stddev^2");
                }
                default -> { } // AlphaDropout: checked through its gradient below
            }
            float[] dy = GradientCheck.random(r, n, 1.0);
            Tensor dx = layer.backpropagate(Tensor.of(dy, 100, 400), new float[0][], new float[0][], saved, true);
            for (int i = 0; i < 200; i++) { // for a fixed mask y is affine in x, so dx = dy * slope
                assertEquals(dy[i] * slope(kind, x.data()[i], y.data()[i]), dx.data()[i], 1e-4, kind + " at " + i);
            }
        }
    }

    /** d(y)/d(x) of one element, read off the output: the mask is 0 or a known factor. */
    private static double slope(String kind, float x, float y) {
        if (kind.equals("GaussianNoise")) {
            return 1.0;
        }
        if (kind.equals("AlphaDropout")) {
            double alphaP = -1.6732632423543772848170429916717 * 1.0507009873554804934193349852946;
            double a = Math.pow((1 - 0.2) * (1 + 0.2 * alphaP * alphaP), -0.5);
            double b = -a * alphaP * 0.2;
            return Math.abs(y - (a * x + b)) < 1e-5 ? a : 0.0; // kept: a*x + b; dropped: a constant
        }
        return (double) y / x; // Dropout and GaussianDropout multiply
    }
}
