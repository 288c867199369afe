package org.jkeras.runtime.training;

import java.util.SplittableRandom;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.tensor.Activation;
import org.jkeras.runtime.layers.Conv1D;
import org.jkeras.runtime.layers.Cropping1D;
import org.jkeras.runtime.layers.GlobalPooling1D;
import org.jkeras.runtime.layers.Permute;
import org.jkeras.runtime.layers.Pooling1D;
import org.jkeras.runtime.layers.Reshape;
import org.jkeras.runtime.layers.UpSampling1D;
import org.jkeras.runtime.layers.ZeroPadding1D;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Conv1D, the 1-D poolings and the shape layers: backward passes against finite differences of float64 references. */
class ConvLayersGradientTest {
    private static final int B = 2;

    private static float[] input(long seed, int n) {
        return GradientCheck.random(new SplittableRandom(seed), n, 1.0);
    }

    @ParameterizedTest
    @CsvSource({
        // steps, channels, filters, kernel, groups, stride, dilation, padding, bias, activation
        "7, 3, 4, 3, 1, 1, 1, VALID, true, tanh",
        "7, 3, 4, 3, 1, 2, 1, SAME, true, linear",
        "8, 4, 6, 2, 2, 1, 2, CAUSAL, false, sigmoid",
        "6, 4, 4, 4, 4, 3, 1, SAME, true, relu",
        "5, 2, 3, 1, 1, 1, 1, VALID, true, softmax"})
    void conv1dBackwardMatchesFiniteDifferences(int steps, int ch, int filters, int k, int groups, int stride,
                                               int dilation, Conv1D.Padding padding, boolean useBias, String act) {
        SplittableRandom r = new SplittableRandom(21);
        int cg = ch / groups;
        Tensor kernel = Tensor.of(GradientCheck.random(r, k * cg * filters, 0.6), k, cg, filters);
        Tensor bias = useBias ? Tensor.of(GradientCheck.random(r, filters, 0.6), filters) : null;
        Conv1D layer = new Conv1D("conv", kernel, bias, groups, stride, dilation, padding,
                LayerGradientTest.activation(act));
        int outSteps = layer.outputSteps(steps);
        int left = switch (padding) {
            case VALID -> 0;
            case CAUSAL -> dilation * (k - 1);
            case SAME -> Math.max((outSteps - 1) * stride + dilation * (k - 1) + 1 - steps, 0) / 2;
        };
        int fg = filters / groups;
        GradientCheck.check("conv1d " + padding + " g" + groups, layer, input(22, B * steps * ch),
                new int[] {B, steps, ch}, (w, x) -> {
                    double[] pre = new double[B * outSteps * filters];
                    for (int b = 0; b < B; b++) {
                        for (int t = 0; t < outSteps; t++) {
                            for (int f = 0; f < filters; f++) {
                                int g = f / fg;
                                double s = useBias ? w[1][f] : 0;
                                for (int j = 0; j < k; j++) {
                                    int at = t * stride + j * dilation - left;
                                    if (at < 0 || at >= steps) {
                                        continue;
                                    }
                                    for (int c = 0; c < cg; c++) {
                                        s += x[(b * steps + at) * ch + g * cg + c] * w[0][(j * cg + c) * filters + f];
                                    }
                                }
                                pre[(b * outSteps + t) * filters + f] = s;
                            }
                        }
                    }
                    return Reference.dense(pre, B * outSteps, filters, identity(filters), null, filters, act);
                }, true);
    }

    /** The identity matrix [n, n] (so Reference.dense only applies the activation). */
    private static double[] identity(int n) {
        double[] id = new double[n * n];
        for (int i = 0; i < n; i++) {
            id[i * n + i] = 1;
        }
        return id;
    }

    @ParameterizedTest
    @CsvSource({
        "true, 2, 2, false", "true, 3, 2, true", "false, 3, 2, true", "false, 4, 1, true", "false, 2, 1, false"})
    void pooling1dBackwardMatchesFiniteDifferences(boolean max, int pool, int stride, boolean same) {
        int steps = 7;
        int ch = 3;
        Pooling1D layer = new Pooling1D("pool", max, pool, stride, same);
        int outSteps = same ? (steps + stride - 1) / stride : (steps - pool) / stride + 1;
        int left = same ? Math.max((outSteps - 1) * stride + pool - steps, 0) / 2 : 0;
        GradientCheck.check("pool " + max + pool + stride + same, layer, input(23, B * steps * ch),
                new int[] {B, steps, ch}, (w, x) -> {
                    double[] y = new double[B * outSteps * ch];
                    for (int b = 0; b < B; b++) {
                        for (int t = 0; t < outSteps; t++) {
                            for (int c = 0; c < ch; c++) {
                                double acc = max ? Double.NEGATIVE_INFINITY : 0;
                                int n = 0;
                                for (int s = t * stride - left; s < t * stride - left + pool; s++) {
                                    if (s >= 0 && s < steps) {
                                        double v = x[(b * steps + s) * ch + c];
                                        acc = max ? Math.max(acc, v) : acc + v;
                                        n++;
                                    }
                                }
                                y[(b * outSteps + t) * ch + c] = max ? acc : acc / n;
                            }
                        }
                    }
                    return y;
                }, true);
    }

    @Test
    void globalPoolingBackwardMatchesFiniteDifferences() {
        int steps = 5;
        int ch = 3;
        for (boolean max : new boolean[] {false, true}) {
            GradientCheck.check("global " + max, new GlobalPooling1D("g", max, max), input(24, B * steps * ch),
                    new int[] {B, steps, ch}, (w, x) -> {
                        double[] y = new double[B * ch];
                        for (int b = 0; b < B; b++) {
                            for (int c = 0; c < ch; c++) {
                                double acc = max ? Double.NEGATIVE_INFINITY : 0;
                                for (int s = 0; s < steps; s++) {
                                    double v = x[(b * steps + s) * ch + c];
                                    acc = max ? Math.max(acc, v) : acc + v / steps;
                                }
                                y[b * ch + c] = acc;
                            }
                        }
                        return y;
                    }, true);
        }
    }

    @Test
    void shapeLayersBackwardMatchFiniteDifferences() {
        int steps = 5;
        int f = 3;
        int n = B * steps * f;
        int[] shape = {B, steps, f};
        GradientCheck.check("crop", new Cropping1D("c", 1, 2), input(25, n), shape, (w, x) -> {
            double[] y = new double[B * 2 * f];
            for (int b = 0; b < B; b++) {
                System.arraycopy(x, (b * steps + 1) * f, y, b * 2 * f, 2 * f);
            }
            return y;
        }, true);
        GradientCheck.check("pad", new ZeroPadding1D("z", 2, 1), input(26, n), shape, (w, x) -> {
            double[] y = new double[B * 8 * f];
            for (int b = 0; b < B; b++) {
                System.arraycopy(x, b * steps * f, y, (b * 8 + 2) * f, steps * f);
            }
            return y;
        }, true);
        GradientCheck.check("up", new UpSampling1D("u", 3), input(27, n), shape, (w, x) -> {
            double[] y = new double[n * 3];
            for (int r = 0; r < B * steps; r++) {
                for (int k = 0; k < 3; k++) {
                    System.arraycopy(x, r * f, y, (r * 3 + k) * f, f);
                }
            }
            return y;
        }, true);
        GradientCheck.check("permute", new Permute("p", 2, 1), input(28, n), shape, (w, x) -> {
            double[] y = new double[n];
            for (int b = 0; b < B; b++) {
                for (int t = 0; t < steps; t++) {
                    for (int j = 0; j < f; j++) {
                        y[(b * f + j) * steps + t] = x[(b * steps + t) * f + j];
                    }
                }
            }
            return y;
        }, true);
        GradientCheck.check("reshape", new Reshape("r", -1, 5, 1), input(29, n), shape, (w, x) -> x.clone(), true);
    }

    @Test
    void conv1dInferenceMatchesItsTrainingForwardOnTheVectorAndScalarPaths() {
        SplittableRandom r = new SplittableRandom(30);
        // odd sizes: 37 filters over 2 groups is not a multiple of any vector width
        Conv1D layer = new Conv1D("conv", Tensor.of(GradientCheck.random(r, 3 * 5 * 38, 0.5), 3, 5, 38),
                Tensor.of(GradientCheck.random(r, 38, 0.5), 38), 2, 1, 1, Conv1D.Padding.SAME, Activation.TANH);
        Tensor x = Tensor.of(GradientCheck.random(r, 3 * 9 * 10, 1.0), 3, 9, 10);
        Tensor y = layer.apply(x);
        float[][] w = {layer.weights().get(0).value().toFloatArray(), layer.weights().get(1).value().toFloatArray()};
        Tensor yt = layer.applyTrain(x, w, new org.jkeras.runtime.layers.Saved(),
                new org.jkeras.runtime.layers.TrainContext(false, r, null));
        for (int i = 0; i < y.size(); i++) {
            GradientCheck.compare("conv1d inference vs training forward [" + i + "]", yt.data()[i], y.data()[i]);
        }
    }
}
