package org.jkeras.runtime.training;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.layers.Concatenate;
import org.jkeras.runtime.layers.Dot;
import org.jkeras.runtime.layers.ElementwiseMerge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The merge layers' backward passes against finite differences of float64 references. */
class MergeGradientTest {
    private static Tensor t(SplittableRandom r, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return Tensor.wrap(GradientCheck.random(r, n, 1.0), shape);
    }

    @ParameterizedTest
    @EnumSource(ElementwiseMerge.Op.class)
    void elementwiseMergeBackwardMatchesFiniteDifferences(ElementwiseMerge.Op op) {
        SplittableRandom r = new SplittableRandom(op.ordinal() + 1);
        int count = op == ElementwiseMerge.Op.SUBTRACT ? 2 : 3;
        List<Tensor> in = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            in.add(t(r, 2, 3, 4));
        }
        MultiInputGradientCheck.check(op.kerasClass(), new ElementwiseMerge("m", op), in, x -> {
            double[] out = x.get(0).clone();
            for (int i = 1; i < x.size(); i++) {
                for (int k = 0; k < out.length; k++) {
                    double v = x.get(i)[k];
                    out[k] = switch (op) {
                        case ADD, AVERAGE -> out[k] + v;
                        case SUBTRACT -> out[k] - v;
                        case MULTIPLY -> out[k] * v;
                        case MAXIMUM -> Math.max(out[k], v);
                        case MINIMUM -> Math.min(out[k], v);
                    };
                }
            }
            if (op == ElementwiseMerge.Op.AVERAGE) {
                for (int k = 0; k < out.length; k++) {
                    out[k] /= x.size();
                }
            }
            return List.of(out);
        });
    }

    @Test
    void concatenateBackwardMatchesFiniteDifferencesOnEveryAxis() {
        SplittableRandom r = new SplittableRandom(5);
        for (int axis : new int[] {1, 2, -1, -2}) {
            int a = axis < 0 ? axis + 3 : axis;
            int[] s1 = {2, 3, 4};
            int[] s2 = {2, 3, 4};
            s2[a] = 2;
            Tensor x = t(r, s1);
            Tensor y = t(r, s2);
            MultiInputGradientCheck.check("concat axis " + axis, new Concatenate("c", axis), List.of(x, y), in -> {
                int outer = a == 1 ? 2 : 6;
                int w1 = x.size() / outer;
                int w2 = y.size() / outer;
                double[] out = new double[x.size() + y.size()];
                for (int o = 0; o < outer; o++) {
                    System.arraycopy(in.get(0), o * w1, out, o * (w1 + w2), w1);
                    System.arraycopy(in.get(1), o * w2, out, o * (w1 + w2) + w1, w2);
                }
                return List.of(out);
            });
        }
    }

    @Test
    void dotBackwardMatchesFiniteDifferencesWithAndWithoutNormalize() {
        SplittableRandom r = new SplittableRandom(6);
        Tensor x = t(r, 2, 3, 4);
        Tensor y = t(r, 2, 5, 4);
        for (boolean normalize : new boolean[] {false, true}) {
            MultiInputGradientCheck.check("dot (2,2) normalize=" + normalize,
                    new Dot("d", 2, 2, normalize, Dot.KERAS3_FLOOR), List.of(x, y), in -> {
                        double[] a = normalize ? normalizeRows(in.get(0), 6, 4) : in.get(0);
                        double[] b = normalize ? normalizeRows(in.get(1), 10, 4) : in.get(1);
                        double[] out = new double[2 * 3 * 5];
                        for (int s = 0; s < 2; s++) {
                            for (int i = 0; i < 3; i++) {
                                for (int j = 0; j < 5; j++) {
                                    double acc = 0;
                                    for (int k = 0; k < 4; k++) {
                                        acc += a[(s * 3 + i) * 4 + k] * b[(s * 5 + j) * 4 + k];
                                    }
                                    out[(s * 3 + i) * 5 + j] = acc;
                                }
                            }
                        }
                        return List.of(out);
                    });
        }
        // axes (1, 1) on [2, 3, 4] and [2, 3, 2]: summing over time, [2, 4, 2]
        Tensor u = t(r, 2, 3, 2);
        MultiInputGradientCheck.check("dot (1,1)", new Dot("d", 1, 1, false, Dot.KERAS3_FLOOR), List.of(x, u), in -> {
            double[] out = new double[2 * 4 * 2];
            for (int s = 0; s < 2; s++) {
                for (int i = 0; i < 4; i++) {
                    for (int j = 0; j < 2; j++) {
                        double acc = 0;
                        for (int k = 0; k < 3; k++) {
                            acc += in.get(0)[(s * 3 + k) * 4 + i] * in.get(1)[(s * 3 + k) * 2 + j];
                        }
                        out[(s * 4 + i) * 2 + j] = acc;
                    }
                }
            }
            return List.of(out);
        });
    }

    private static double[] normalizeRows(double[] v, int rows, int width) {
        double[] out = new double[v.length];
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int k = 0; k < width; k++) {
                s += v[r * width + k] * v[r * width + k];
            }
            double inv = 1 / Math.sqrt(Math.max(s, Dot.KERAS3_FLOOR));
            for (int k = 0; k < width; k++) {
                out[r * width + k] = v[r * width + k] * inv;
            }
        }
        return out;
    }
}
