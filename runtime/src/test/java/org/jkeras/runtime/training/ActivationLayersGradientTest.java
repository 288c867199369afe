package org.jkeras.runtime.training;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.tensor.Activation;
import org.jkeras.runtime.layers.ActivationLayer;
import org.jkeras.runtime.layers.Elu;
import org.jkeras.runtime.layers.PRelu;
import org.jkeras.runtime.layers.Relu;
import org.jkeras.runtime.layers.Softmax;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The activation layers' backward passes against finite differences of float64 references. */
class ActivationLayersGradientTest {
    private static final int B = 2;
    private static final int T = 3;
    private static final int F = 4;
    private static final int[] SHAPE = {B, T, F};

    private static float[] input(long seed) {
        return GradientCheck.random(new SplittableRandom(seed), B * T * F, 1.5);
    }

    @ParameterizedTest
    @CsvSource({
        "NaN, 0.1, 0.2", // every parameter
        "6, 0, 0",       // relu6
        "NaN, 0.05, 0",  // TensorFlow's leaky_relu path
        "NaN, 0, 0.3",   // thresholded
        "0.8, 0.2, 0",   // clipped and leaky
        "NaN, 0, 0"})    // plain relu
    void reluBackwardMatchesFiniteDifferences(float max, float slope, float threshold) {
        Relu layer = new Relu("relu", "ReLU", max, slope, threshold);
        GradientCheck.check("relu " + max + "/" + slope + "/" + threshold, layer, input(1), SHAPE, (w, x) -> {
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                double v = threshold != 0 ? (x[i] > threshold ? x[i] : 0) : Math.max(x[i], 0);
                if (!Float.isNaN(max)) {
                    v = Math.min(v, max);
                }
                y[i] = v - slope * Math.max(threshold - x[i], 0);
            }
            return y;
        }, true);
    }

    @Test
    void eluBackwardMatchesFiniteDifferences() {
        GradientCheck.check("elu", new Elu("elu", 0.6f), input(2), SHAPE,
                (w, x) -> Arrays.stream(x).map(v -> v > 0 ? v : 0.6 * Math.expm1(v)).toArray(), true);
    }

    @Test
    void preluBackwardMatchesFiniteDifferencesWithSharedAndFullAlpha() {
        SplittableRandom r = new SplittableRandom(3);
        PRelu shared = new PRelu("prelu", Tensor.of(GradientCheck.random(r, F, 0.5), 1, F)); // shared_axes=[1]
        GradientCheck.check("prelu shared", shared, input(4), SHAPE, (w, x) -> {
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                y[i] = x[i] > 0 ? x[i] : w[0][i % F] * x[i];
            }
            return y;
        }, true);
        PRelu full = new PRelu("prelu", Tensor.of(GradientCheck.random(r, T * F, 0.5), T, F));
        GradientCheck.check("prelu full", full, input(5), SHAPE, (w, x) -> {
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                y[i] = x[i] > 0 ? x[i] : w[0][i % (T * F)] * x[i];
            }
            return y;
        }, true);
    }

    @Test
    void softmaxLayerBackwardMatchesFiniteDifferencesOverEveryAxisChoice() {
        for (int[] axes : new int[][] {{-1}, {1}, {1, 2}}) {
            GradientCheck.check("softmax " + Arrays.toString(axes), new Softmax("softmax", axes), input(6), SHAPE,
                    (w, x) -> softmaxRef(x, axes), true);
        }
    }

    /** Softmax over the given axes of a [B, T, F] array, by brute force over index groups. */
    private static double[] softmaxRef(double[] x, int[] axes) {
        boolean time = false;
        boolean feat = false;
        for (int a : axes) {
            time |= a == 1;
            feat |= a == 2 || a == -1;
        }
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int b = i / (T * F);
            int t = i / F % T;
            int f = i % F;
            double sum = 0;
            for (int j = 0; j < x.length; j++) {
                int bj = j / (T * F);
                int tj = j / F % T;
                int fj = j % F;
                if (bj == b && (time || tj == t) && (feat || fj == f)) {
                    sum += Math.exp(x[j]);
                }
            }
            y[i] = Math.exp(x[i]) / sum;
        }
        return y;
    }

    @Test
    void gluActivationLayerBackwardMatchesFiniteDifferences() {
        ActivationLayer layer = new ActivationLayer("glu", Activation.GLU);
        GradientCheck.check("glu", layer, input(7), SHAPE, (w, x) -> {
            int h = F / 2;
            double[] y = new double[x.length / 2];
            for (int r = 0; r < B * T; r++) {
                for (int j = 0; j < h; j++) {
                    y[r * h + j] = x[r * F + j] / (1 + Math.exp(-x[r * F + h + j]));
                }
            }
            return y;
        }, true);
    }

    @Test
    void sparsemaxActivationLayerBackwardMatchesFiniteDifferencesOfKerasFormula() {
        ActivationLayer layer = new ActivationLayer("sparsemax", Activation.SPARSEMAX);
        float[] x = input(8);
        GradientCheck.check("sparsemax", layer, x, SHAPE, (w, xd) -> {
            double[] y = new double[xd.length];
            for (int r = 0; r < B * T; r++) {
                double[] row = Arrays.copyOfRange(xd, r * F, r * F + F);
                double[] z = row.clone();
                Arrays.sort(z);
                double c = 0;
                double supportSum = 0;
                int k = 0;
                for (int j = 0; j < F; j++) {
                    c += z[F - 1 - j];
                    if (z[F - 1 - j] - (c - 1) / (j + 1) > 0) {
                        supportSum += c;
                        k++;
                    }
                }
                double tau = (supportSum - 1) / k;
                for (int j = 0; j < F; j++) {
                    y[r * F + j] = Math.max(row[j] - tau, 0);
                }
            }
            return y;
        }, true);
    }

    @Test
    void elementwiseNewActivationsBackwardMatchFiniteDifferences() {
        java.util.Map<Activation, java.util.function.DoubleUnaryOperator> ref = java.util.Map.of(
                Activation.HARD_SHRINK, v -> Math.abs(v) > 0.5 ? v : 0,
                Activation.SOFT_SHRINK, v -> v > 0.5 ? v - 0.5 : v < -0.5 ? v + 0.5 : 0,
                Activation.SPARSE_SIGMOID, v -> v <= -1 ? 0 : v >= 1 ? 1 : 0.5 * (v + 1));
        ref.forEach((a, f) -> GradientCheck.check(a.name(), new ActivationLayer("act", a), input(9), SHAPE,
                (w, x) -> Arrays.stream(x).map(f).toArray(), true));
    }
}
