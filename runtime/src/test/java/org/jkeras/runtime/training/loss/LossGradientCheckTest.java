package org.jkeras.runtime.training.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.jkeras.runtime.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every loss's analytic gradient against central finite differences of an independent float64
 * evaluation of the same Keras formula (written here from Keras's source, reduction and weighting
 * included), on small random inputs away from the formulas' kinks and clips.
 */
class LossGradientCheckTest {
    private static final int B = 3;
    private static final int T = 2;
    private static final int D = 4;

    /** One check: the loss, its float64 reference on (y_true, y_pred, weights) and the data. */
    record Check(String id, Loss loss, ToDoubleFunction<double[]> reference, Tensor yTrue, Tensor yPred,
                 Tensor weights, Tensor mask) {
        @Override
        public String toString() {
            return id;
        }
    }

    static Stream<Arguments> checks() {
        List<Check> out = new ArrayList<>();
        Random rnd = new Random(42);
        for (boolean seq : new boolean[] {false, true}) {
            int[] shape = seq ? new int[] {B, T, D} : new int[] {B, D};
            int rows = seq ? B * T : B;
            String dims = seq ? "3d" : "2d";
            for (String weighting : new String[] {"none", "weighted"}) {
                Tensor w = weighting.equals("none") ? null : seq ? uniform(rnd, new int[] {B, T}, 0.2, 2)
                        : uniform(rnd, new int[] {B}, 0.2, 2);
                String sfx = "__" + dims + "__" + weighting;
                Tensor yr = normal(rnd, shape);
                Tensor pr = awayFrom(rnd, yr, 0.3);
                out.add(new Check("mse" + sfx, new MeanSquaredError(), yp -> reduce(rows, D, w, null, yp, (yt, p, o) -> {
                    double s = 0;
                    for (int j = 0; j < D; j++) {
                        s += sq(yt[o + j] - p[o + j]);
                    }
                    return s / D;
                }, yr.data()), yr, pr, w, null));
                out.add(new Check("mae" + sfx, new MeanAbsoluteError(), yp -> reduce(rows, D, w, null, yp, (yt, p, o) -> {
                    double s = 0;
                    for (int j = 0; j < D; j++) {
                        s += Math.abs(yt[o + j] - p[o + j]);
                    }
                    return s / D;
                }, yr.data()), yr, pr, w, null));
                double delta = 0.8;
                out.add(new Check("huber" + sfx, new Huber(delta, "huber_loss", Reduction.SUM_OVER_BATCH_SIZE),
                        yp -> reduce(rows, D, w, null, yp, (yt, p, o) -> {
                            double s = 0;
                            for (int j = 0; j < D; j++) {
                                double e = p[o + j] - yt[o + j];
                                s += Math.abs(e) <= delta ? 0.5 * e * e : delta * Math.abs(e) - 0.5 * delta * delta;
                            }
                            return s / D;
                        }, yr.data()), yr, awayFromHuberKink(rnd, yr, delta), w, null));
                out.add(new Check("log_cosh" + sfx, new LogCosh(), yp -> reduce(rows, D, w, null, yp, (yt, p, o) -> {
                    double s = 0;
                    for (int j = 0; j < D; j++) {
                        s += Math.log(Math.cosh(p[o + j] - yt[o + j]));
                    }
                    return s / D;
                }, yr.data()), yr, pr, w, null));
                Tensor ybin = binary(rnd, shape);
                for (double ls : new double[] {0.0, 0.2}) {
                    String bsfx = (ls == 0 ? "" : "_smoothed") + sfx;
                    out.add(new Check("bce_probs" + bsfx, new BinaryCrossentropy(false, ls, -1, "bce",
                            Reduction.SUM_OVER_BATCH_SIZE), yp -> reduce(rows, D, w, null, yp, (yt, p, o) -> {
                                double s = 0;
                                for (int j = 0; j < D; j++) {
                                    double y = yt[o + j] * (1 - ls) + 0.5 * ls;
                                    s += -(y * Math.log(p[o + j]) + (1 - y) * Math.log(1 - p[o + j]));
                                }
                                return s / D;
                            }, ybin.data()), ybin, uniform(rnd, shape, 0.05, 0.95), w, null));
                    out.add(new Check("bce_logits" + bsfx, new BinaryCrossentropy(true, ls, -1, "bce",
                            Reduction.SUM_OVER_BATCH_SIZE), yp -> reduce(rows, D, w, null, yp, (yt, z, o) -> {
                                double s = 0;
                                for (int j = 0; j < D; j++) {
                                    double y = yt[o + j] * (1 - ls) + 0.5 * ls;
                                    double x = z[o + j];
                                    s += Math.max(x, 0) - x * y + Math.log1p(Math.exp(-Math.abs(x)));
                                }
                                return s / D;
                            }, ybin.data()), ybin, scaled(normal(rnd, shape), 3), w, null));
                    Tensor onehot = oneHot(rnd, rows, shape);
                    out.add(new Check("cce_probs" + bsfx, new CategoricalCrossentropy(false, ls, -1, "cce",
                            Reduction.SUM_OVER_BATCH_SIZE), yp -> reduce(rows, D, w, null, yp, (yt, p, o) -> {
                                double total = 0;
                                for (int j = 0; j < D; j++) {
                                    total += p[o + j];
                                }
                                double s = 0;
                                for (int j = 0; j < D; j++) {
                                    double y = yt[o + j] * (1 - ls) + ls / D;
                                    s -= y * Math.log(p[o + j] / total);
                                }
                                return s;
                            }, onehot.data()), onehot, uniform(rnd, shape, 0.05, 0.6), w, null));
                    out.add(new Check("cce_logits" + bsfx, new CategoricalCrossentropy(true, ls, -1, "cce",
                            Reduction.SUM_OVER_BATCH_SIZE), yp -> reduce(rows, D, w, null, yp, (yt, z, o) -> {
                                double lse = logSumExp(z, o, D);
                                double s = 0;
                                for (int j = 0; j < D; j++) {
                                    double y = yt[o + j] * (1 - ls) + ls / D;
                                    s += y * (lse - z[o + j]);
                                }
                                return s;
                            }, onehot.data()), onehot, scaled(normal(rnd, shape), 2), w, null));
                }
                Tensor labels = labels(rnd, rows, seq ? new int[] {B, T} : new int[] {B});
                out.add(new Check("scce_probs" + sfx, new SparseCategoricalCrossentropy(),
                        yp -> reduceSparse(rows, D, w, null, yp, labels.data(), false, null), labels,
                        uniform(rnd, shape, 0.05, 0.6), w, null));
                out.add(new Check("scce_logits" + sfx, new SparseCategoricalCrossentropy(true, null, "scce",
                        Reduction.SUM_OVER_BATCH_SIZE), yp -> reduceSparse(rows, D, w, null, yp, labels.data(), true, null),
                        labels, scaled(normal(rnd, shape), 2), w, null));
                Tensor withIgnored = labels(rnd, rows, seq ? new int[] {B, T} : new int[] {B});
                withIgnored.data()[0] = 1f;
                withIgnored.data()[1] = 2f;
                withIgnored.data()[rows - 1] = 2f;
                out.add(new Check("scce_ignore_class" + sfx, new SparseCategoricalCrossentropy(true, 2, "scce",
                        Reduction.SUM_OVER_BATCH_SIZE), yp -> reduceSparse(rows, D, w, null, yp, withIgnored.data(), true,
                        2f), withIgnored, scaled(normal(rnd, shape), 2), w, null));
            }
            // A Keras mask over the per-sample values, and the other reductions.
            Tensor yr = normal(rnd, shape);
            Tensor pr = awayFrom(rnd, yr, 0.3);
            float[] m = new float[rows];
            for (int i = 0; i < rows; i++) {
                m[i] = i % 3 == 1 ? 0f : 1f;
            }
            Tensor mask = Tensor.wrap(m, seq ? new int[] {B, T} : new int[] {B});
            Tensor w = seq ? uniform(rnd, new int[] {B, T}, 0.2, 2) : uniform(rnd, new int[] {B}, 0.2, 2);
            for (Reduction red : new Reduction[] {Reduction.SUM_OVER_BATCH_SIZE, Reduction.SUM,
                    Reduction.MEAN_WITH_SAMPLE_WEIGHT}) {
                out.add(new Check("mse_masked_" + red.keras() + "__" + dims, new MeanSquaredError("mse", red),
                        yp -> reduceWith(red, rows, D, w, m, yp, (yt, p, o) -> {
                            double s = 0;
                            for (int j = 0; j < D; j++) {
                                s += sq(yt[o + j] - p[o + j]);
                            }
                            return s / D;
                        }, yr.data(), null), yr, pr, w, mask));
            }
        }
        return out.stream().map(c -> Arguments.of(c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checks")
    void analyticGradientMatchesFiniteDifferences(Check c) {
        float[] grad = new float[c.yPred().size()];
        float value = c.loss().compute(c.yTrue(), c.yPred(), c.weights(), c.mask(), grad, 1f);
        double[] x = new double[c.yPred().size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = c.yPred().data()[i];
        }
        double ref = c.reference().applyAsDouble(x);
        assertEquals(ref, value, 1e-5 + 1e-5 * Math.abs(ref), c.id() + ": value vs float64 reference");
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            double h = 1e-4 * Math.max(1, Math.abs(x[i]));
            double saved = x[i];
            x[i] = saved + h;
            double up = c.reference().applyAsDouble(x);
            x[i] = saved - h;
            double down = c.reference().applyAsDouble(x);
            x[i] = saved;
            double numeric = (up - down) / (2 * h);
            double err = Math.abs(numeric - grad[i]);
            worst = Math.max(worst, err);
            assertEquals(numeric, grad[i], 2e-4 + 2e-3 * Math.abs(numeric), c.id() + ": dloss/dy_pred[" + i + "]");
        }
        System.out.printf("%s: value %.7g, max |analytic - numeric| = %.3g%n", c.id(), value, worst);
    }

    interface RowLoss {
        double apply(float[] yTrue, double[] yPred, int offset);
    }

    private static double reduce(int rows, int d, Tensor w, float[] mask, double[] yp, RowLoss f, float[] yt) {
        return reduceWith(Reduction.SUM_OVER_BATCH_SIZE, rows, d, w, mask, yp, f, yt, null);
    }

    /** Keras's reduce_weighted_values with apply_mask, in float64. */
    private static double reduceWith(Reduction red, int rows, int d, Tensor w, float[] mask, double[] yp, RowLoss f,
                                     float[] yt, boolean[] valid) {
        int validCount = 0;
        for (int i = 0; i < rows; i++) {
            if ((mask == null || mask[i] != 0) && (valid == null || valid[i])) {
                validCount++;
            }
        }
        boolean masked = mask != null || valid != null;
        double maskWeight = masked && red == Reduction.SUM_OVER_BATCH_SIZE ? (double) rows / validCount : 1;
        double total = 0;
        double weightSum = 0;
        for (int i = 0; i < rows; i++) {
            boolean ok = (mask == null || mask[i] != 0) && (valid == null || valid[i]);
            double weight = (w == null ? 1 : w.data()[i]) * (masked ? (ok ? maskWeight : 0) : 1);
            double v = valid != null && !valid[i] ? 0 : f.apply(yt, yp, i * d);
            total += v * weight;
            weightSum += weight;
        }
        return switch (red) {
            case SUM -> total;
            case MEAN_WITH_SAMPLE_WEIGHT -> total / (w == null && !masked ? rows : weightSum);
            default -> total / rows;
        };
    }

    private static double reduceSparse(int rows, int d, Tensor w, float[] mask, double[] yp, float[] labels,
                                       boolean logits, Float ignored) {
        boolean[] valid = null;
        if (ignored != null) {
            valid = new boolean[rows];
            for (int i = 0; i < rows; i++) {
                valid[i] = labels[i] != ignored;
            }
        }
        return reduceWith(Reduction.SUM_OVER_BATCH_SIZE, rows, d, w, mask, yp, (yt, p, o) -> {
            int label = (int) yt[o / d];
            if (logits) {
                return logSumExp(p, o, d) - p[o + label];
            }
            double total = 0;
            for (int j = 0; j < d; j++) {
                total += p[o + j];
            }
            return Math.log(total) - Math.log(p[o + label]);
        }, labels, valid);
    }

    private static double logSumExp(double[] z, int o, int d) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < d; j++) {
            max = Math.max(max, z[o + j]);
        }
        double s = 0;
        for (int j = 0; j < d; j++) {
            s += Math.exp(z[o + j] - max);
        }
        return max + Math.log(s);
    }

    private static double sq(double x) {
        return x * x;
    }

    private static Tensor normal(Random r, int[] shape) {
        float[] a = new float[size(shape)];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return Tensor.wrap(a, shape);
    }

    private static Tensor uniform(Random r, int[] shape, double lo, double hi) {
        float[] a = new float[size(shape)];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (lo + (hi - lo) * r.nextDouble());
        }
        return Tensor.wrap(a, shape);
    }

    private static Tensor scaled(Tensor t, float s) {
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] *= s;
        }
        return t;
    }

    /** Predictions at least {@code gap} from the targets (MAE's kink at 0). */
    private static Tensor awayFrom(Random r, Tensor y, double gap) {
        float[] a = new float[y.size()];
        for (int i = 0; i < a.length; i++) {
            double d = gap + r.nextDouble();
            a[i] = (float) (y.data()[i] + (r.nextBoolean() ? d : -d));
        }
        return Tensor.wrap(a, y.shape());
    }

    /** Errors on both sides of Huber's delta but not within 0.1 of it. */
    private static Tensor awayFromHuberKink(Random r, Tensor y, double delta) {
        float[] a = new float[y.size()];
        for (int i = 0; i < a.length; i++) {
            double e = i % 2 == 0 ? 0.1 + (delta - 0.2) * r.nextDouble() : delta + 0.1 + r.nextDouble();
            a[i] = (float) (y.data()[i] + (r.nextBoolean() ? e : -e));
        }
        return Tensor.wrap(a, y.shape());
    }

    private static Tensor binary(Random r, int[] shape) {
        float[] a = new float[size(shape)];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextBoolean() ? 1f : 0f;
        }
        return Tensor.wrap(a, shape);
    }

    private static Tensor oneHot(Random r, int rows, int[] shape) {
        float[] a = new float[size(shape)];
        for (int i = 0; i < rows; i++) {
            a[i * D + r.nextInt(D)] = 1f;
        }
        return Tensor.wrap(a, shape);
    }

    private static Tensor labels(Random r, int rows, int[] shape) {
        float[] a = new float[rows];
        for (int i = 0; i < rows; i++) {
            a[i] = r.nextInt(D);
        }
        return Tensor.wrap(a, shape);
    }

    private static int size(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }
}
