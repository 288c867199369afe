package org.jkeras.runtime.training;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.layers.BatchNormalization;
import org.jkeras.runtime.layers.LayerNormalization;
import org.jkeras.runtime.layers.RmsNormalization;
import org.jkeras.runtime.layers.Saved;
import org.jkeras.runtime.layers.UnitNormalization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The normalization layers' backward passes against finite differences of float64 references on [B, T, F]. */
class NormalizationGradientTest {
    private static final int B = 2;
    private static final int T = 3;
    private static final int F = 4;
    private static final int[] SHAPE = {B, T, F};

    private static float[] input(long seed) {
        return GradientCheck.random(new SplittableRandom(seed), B * T * F, 1.5);
    }

    private static Tensor param(SplittableRandom r, double offset, int... shape) {
        float[] v = GradientCheck.random(r, shape.length == 1 ? shape[0] : shape[0] * shape[1], 0.5);
        for (int i = 0; i < v.length; i++) {
            v[i] += (float) offset;
        }
        return Tensor.of(v, shape);
    }

    /** The element's index into parameters over axis 1 (T), 2 (F) or both. */
    private static int paramIndex(int i, boolean time, boolean feat) {
        int t = i / F % T;
        int f = i % F;
        return time && feat ? t * F + f : time ? t : f;
    }

    /** Whether elements i and j of [B, T, F] share a normalization row over the given axes. */
    private static boolean sameRow(int i, int j, boolean time, boolean feat) {
        return i / (T * F) == j / (T * F) && (time || i / F % T == j / F % T) && (feat || i % F == j % F);
    }

    @ParameterizedTest
    @CsvSource({"-1, true, true", "1, true, false", "2, false, true", "-1, false, false"})
    void frozenBatchNormalizationBackwardMatchesFiniteDifferences(int axis, boolean scale, boolean center) {
        SplittableRandom r = new SplittableRandom(31);
        boolean time = axis == 1;
        int n = time ? T : F;
        BatchNormalization bn = new BatchNormalization("bn", new int[] {axis}, scale ? param(r, 1, n) : null,
                center ? param(r, 0, n) : null, param(r, 0, n), param(r, 1, n), 1e-3f, false);
        GradientCheck.check("bn " + axis, bn, input(32), SHAPE, (w, x) -> {
            int k = 0;
            double[] g = scale ? w[k++] : null;
            double[] b = center ? w[k++] : null;
            double[] mean = w[k++];
            double[] var = w[k];
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                int j = paramIndex(i, time, !time);
                y[i] = (x[i] - mean[j]) / Math.sqrt(var[j] + 1e-3) * (g == null ? 1 : g[j]) + (b == null ? 0 : b[j]);
            }
            return y;
        }, true);
    }

    @Test
    void trainableBatchNormalizationRefusesTrainingNamingTheLayer() {
        SplittableRandom r = new SplittableRandom(33);
        BatchNormalization bn = new BatchNormalization("bn", new int[] {-1}, null, null, param(r, 0, F),
                param(r, 1, F), 1e-3f, true);
        float[][] w = {bn.weights().get(0).value().toFloatArray(), bn.weights().get(1).value().toFloatArray()};
        var e = assertThrows(UnsupportedOperationException.class, () -> bn.applyTrain(Tensor.of(input(1), SHAPE), w,
                new Saved(), org.jkeras.runtime.layers.TrainContext.training(r)));
        assertTrue(e.getMessage().startsWith("layer 'bn' (BatchNormalization) cannot be trained yet"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
        "true, true, false, false", "true, false, false, false", "false, true, false, false",
        "false, false, false, false", "true, true, true, true", "true, false, false, true"})
    void layerNormalizationBackwardMatchesFiniteDifferences(boolean time, boolean feat, boolean rms,
                                                            boolean withBeta) {
        if (!time && !feat) {
            feat = true;
        }
        SplittableRandom r = new SplittableRandom(34);
        boolean tt = time;
        boolean ff = feat;
        int[] axes = time && feat ? new int[] {1, 2} : time ? new int[] {1} : new int[] {-1};
        int[] dims = time && feat ? new int[] {T, F} : time ? new int[] {T} : new int[] {F};
        boolean center = withBeta && !rms;
        LayerNormalization ln = new LayerNormalization("ln", axes, dims, param(r, 1, dims),
                center ? param(r, 0, dims) : null, 1e-3f, rms);
        GradientCheck.check("ln", ln, input(35), SHAPE, (w, x) -> {
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                double mean = 0;
                int n = 0;
                for (int j = 0; j < x.length; j++) {
                    if (sameRow(i, j, tt, ff)) {
                        mean += x[j];
                        n++;
                    }
                }
                mean /= n;
                double var = 0;
                for (int j = 0; j < x.length; j++) {
                    if (sameRow(i, j, tt, ff)) {
                        var += (x[j] - mean) * (x[j] - mean) / n;
                    }
                }
                int p = paramIndex(i, tt, ff);
                double v = (rms ? x[i] : x[i] - mean) / Math.sqrt(var + 1e-3) * w[0][p];
                y[i] = center ? v + w[1][p] : v;
            }
            return y;
        }, true);
    }

    @ParameterizedTest
    @CsvSource({"true, true", "false, true", "true, false"})
    void unitAndRmsNormalizationBackwardMatchFiniteDifferences(boolean time, boolean keras3) {
        int[] axes = time ? new int[] {1, 2} : new int[] {-1};
        GradientCheck.check("unit", new UnitNormalization("u", axes, keras3), input(36), SHAPE, (w, x) -> {
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                double ss = 0;
                for (int j = 0; j < x.length; j++) {
                    if (sameRow(i, j, time, true)) {
                        ss += x[j] * x[j];
                    }
                }
                y[i] = x[i] / Math.sqrt(ss);
            }
            return y;
        }, true);
        SplittableRandom r = new SplittableRandom(37);
        int[] dims = time ? new int[] {T, F} : new int[] {F};
        GradientCheck.check("rms", new RmsNormalization("rms", axes, param(r, 1, dims), 1e-2f), input(38), SHAPE,
                (w, x) -> {
                    double[] y = new double[x.length];
                    for (int i = 0; i < x.length; i++) {
                        double ms = 0;
                        int n = 0;
                        for (int j = 0; j < x.length; j++) {
                            if (sameRow(i, j, time, true)) {
                                ms += x[j] * x[j];
                                n++;
                            }
                        }
                        y[i] = x[i] / Math.sqrt(ms / n + 1e-2) * w[0][paramIndex(i, time, true)];
                    }
                    return y;
                }, true);
    }
}
