package org.jkeras.runtime.training;

import java.util.SplittableRandom;
import org.jkeras.runtime.tensor.Activation;
import org.jkeras.runtime.layers.ActivationLayer;
import org.jkeras.runtime.layers.Bidirectional;
import org.jkeras.runtime.layers.Flatten;
import org.jkeras.runtime.layers.Gru;
import org.jkeras.runtime.layers.Lstm;
import org.jkeras.runtime.layers.RepeatVector;
import org.jkeras.runtime.layers.SingleInputLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Backward passes of Bidirectional and the weightless layers against finite differences. */
class WrapperGradientTest {
    private static final int BATCH = 2;
    private static final int STEPS = 4;
    private static final int IN = 3;
    private static final int UNITS = 3;

    @ParameterizedTest
    @EnumSource(value = Bidirectional.Merge.class, names = {"CONCAT", "SUM", "AVE", "MUL"})
    void bidirectionalBackwardMatchesFiniteDifferencesForEveryMerge(Bidirectional.Merge merge) {
        for (boolean seq : new boolean[] {true, false}) {
            SplittableRandom r = new SplittableRandom(21);
            Lstm f = new Lstm("forward_lstm", UNITS, LayerGradientTest.t(r, IN, 4 * UNITS),
                    LayerGradientTest.t(r, UNITS, 4 * UNITS), LayerGradientTest.t(r, 4 * UNITS), Activation.TANH,
                    Activation.SIGMOID, seq, false, false);
            Gru b = new Gru("backward_gru", UNITS, LayerGradientTest.t(r, IN, 3 * UNITS),
                    LayerGradientTest.t(r, UNITS, 3 * UNITS), LayerGradientTest.t(r, 2, 3 * UNITS), true, Activation.TANH,
                    Activation.SIGMOID, seq, false, true);
            Bidirectional bi = new Bidirectional("bi", f, b, merge);
            check("bidirectional " + merge + (seq ? " seq" : " last"), bi, seq, merge, r);
        }
    }

    private static void check(String what, Bidirectional bi, boolean seq, Bidirectional.Merge merge,
                              SplittableRandom r) {
        SingleInputLayer asLayer = new BidirectionalAsSingle(bi);
        GradientCheck.check(what, asLayer, GradientCheck.random(r, BATCH * STEPS * IN, 1.0),
                new int[] {BATCH, STEPS, IN}, (w, x) -> {
                    double[][] fw = {w[0], w[1], w[2]};
                    double[] yf = Reference.recurrent(Reference.Cell.LSTM, x, BATCH, STEPS, IN, UNITS, fw[0], fw[1],
                            fw[2], "tanh", "sigmoid", seq, false, null, null);
                    double[] yb = Reference.recurrent(Reference.Cell.GRU_AFTER, x, BATCH, STEPS, IN, UNITS, w[3], w[4],
                            w[5], "tanh", "sigmoid", seq, true, null, null);
                    if (seq) { // the backward half's steps back in input order
                        double[] flipped = new double[yb.length];
                        for (int b = 0; b < BATCH; b++) {
                            for (int t = 0; t < STEPS; t++) {
                                System.arraycopy(yb, (b * STEPS + t) * UNITS, flipped, (b * STEPS + STEPS - 1 - t) * UNITS,
                                        UNITS);
                            }
                        }
                        yb = flipped;
                    }
                    return merge(merge, yf, yb);
                }, true);
    }

    private static double[] merge(Bidirectional.Merge merge, double[] f, double[] b) {
        if (merge == Bidirectional.Merge.CONCAT) {
            int rows = f.length / UNITS;
            double[] out = new double[2 * f.length];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(f, r * UNITS, out, r * 2 * UNITS, UNITS);
                System.arraycopy(b, r * UNITS, out, r * 2 * UNITS + UNITS, UNITS);
            }
            return out;
        }
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = switch (merge) {
                case SUM -> f[i] + b[i];
                case AVE -> (f[i] + b[i]) / 2;
                case MUL -> f[i] * b[i];
                default -> throw new IllegalStateException();
            };
        }
        return out;
    }

    @Test
    void repeatVectorFlattenAndActivationBackwardMatchFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(22);
        GradientCheck.check("repeat_vector", new RepeatVector("rv", 3), GradientCheck.random(r, BATCH * IN, 1.0),
                new int[] {BATCH, IN}, (w, x) -> {
                    double[] y = new double[BATCH * 3 * IN];
                    for (int b = 0; b < BATCH; b++) {
                        for (int t = 0; t < 3; t++) {
                            System.arraycopy(x, b * IN, y, (b * 3 + t) * IN, IN);
                        }
                    }
                    return y;
                }, true);
        GradientCheck.check("flatten", new Flatten("flat"), GradientCheck.random(r, BATCH * STEPS * IN, 1.0),
                new int[] {BATCH, STEPS, IN}, (w, x) -> x.clone(), true);
        GradientCheck.check("activation softmax", new ActivationLayer("act", Activation.SOFTMAX),
                GradientCheck.random(r, BATCH * STEPS * IN, 2.0), new int[] {BATCH, STEPS, IN},
                (w, x) -> Reference.dense(x, BATCH * STEPS, IN, identity(IN), null, IN, "softmax"), true);
        for (String act : new String[] {"tanh", "softplus", "silu", "elu"}) {
            GradientCheck.check("activation " + act, new ActivationLayer("act", LayerGradientTest.activation(act)),
                    GradientCheck.random(r, BATCH * IN, 2.0), new int[] {BATCH, IN},
                    (w, x) -> Reference.dense(x, BATCH, IN, identity(IN), null, IN, act), true);
        }
    }

    private static double[] identity(int n) {
        double[] m = new double[n * n];
        for (int i = 0; i < n; i++) {
            m[i * n + i] = 1;
        }
        return m;
    }
}
