package org.jkeras.runtime.training;

import java.util.function.DoubleUnaryOperator;

/**
 * Float64 reference forward passes of the trainable layers, written from the equations (not from the
 * float32 kernels), for the finite-difference gradient checks: a backward pass is right when it matches
 * the central differences of these. Layouts are the layers': row-major, batch-major, Keras gate order.
 */
final class Reference {
    private Reference() {
    }

    /** Elementwise activations in double. */
    static DoubleUnaryOperator act(String name) {
        return switch (name) {
            case "linear" -> v -> v;
            case "tanh" -> Math::tanh;
            case "sigmoid" -> v -> 1 / (1 + Math.exp(-v));
            case "hard_sigmoid" -> v -> Math.min(Math.max(v + 3, 0), 6) / 6;
            case "relu" -> v -> Math.max(v, 0);
            case "elu" -> v -> v > 0 ? v : Math.expm1(v);
            case "softplus" -> v -> Math.log1p(Math.exp(v));
            case "softsign" -> v -> v / (1 + Math.abs(v));
            case "selu" -> v -> v > 0 ? 1.0507009873554804934193349852946 * v
                    : 1.0507009873554804934193349852946 * 1.6732632423543772848170429916717 * Math.expm1(v);
            case "silu" -> v -> v / (1 + Math.exp(-v));
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** y[r, :] = x[r, :]·W + b (b may be null) over [rows, in] -> [rows, out]. */
    static double[] affine(double[] x, int rows, int in, double[] w, double[] b, int out) {
        double[] y = new double[rows * out];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < out; j++) {
                double s = b == null ? 0 : b[j];
                for (int p = 0; p < in; p++) {
                    s += x[r * in + p] * w[p * out + j];
                }
                y[r * out + j] = s;
            }
        }
        return y;
    }

    /** Dense: act(x·W + b), with {@code act} "softmax" meaning the row-wise softmax. */
    static double[] dense(double[] x, int rows, int in, double[] w, double[] b, int out, String act) {
        double[] y = affine(x, rows, in, w, b, out);
        if (act.equals("softmax")) {
            for (int r = 0; r < rows; r++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < out; j++) {
                    max = Math.max(max, y[r * out + j]);
                }
                double sum = 0;
                for (int j = 0; j < out; j++) {
                    sum += Math.exp(y[r * out + j] - max);
                }
                for (int j = 0; j < out; j++) {
                    y[r * out + j] = Math.exp(y[r * out + j] - max) / sum;
                }
            }
            return y;
        }
        DoubleUnaryOperator f = act(act);
        for (int i = 0; i < y.length; i++) {
            y[i] = f.applyAsDouble(y[i]);
        }
        return y;
    }

    /** The recurrent cells this reference knows. */
    enum Cell { LSTM, GRU_AFTER, GRU_BEFORE, SIMPLE }

    /**
     * A recurrent layer over x [batch, steps, in] from states h0 (and c0 for LSTM), or zero when null.
     *
     * @param w   kernel [in, g*u], recurrent kernel [u, g*u], bias (or null): [4u] LSTM, [2, 3u] GRU reset_after,
     *            [3u] GRU reset_before, [u] SimpleRNN
     * @return [batch, steps, u] when {@code sequences}, else [batch, u]; read in reverse when {@code backwards}
     */
    static double[] recurrent(Cell cell, double[] x, int batch, int steps, int in, int u, double[] kernel,
                              double[] recurrent, double[] bias, String activation, String recurrentActivation,
                              boolean sequences, boolean backwards, double[] h0, double[] c0) {
        return recurrent(cell, x, batch, steps, in, u, kernel, recurrent, bias, activation, recurrentActivation,
                sequences, backwards, h0, c0, null, null);
    }

    /**
     * The same with Keras's dropout masks: gate q reads {@code x ⊙ inMasks[q]} (or the one mask) and
     * {@code h ⊙ recMasks[q]} (or the one mask); masks are [batch, in] and [batch, u].
     */
    static double[] recurrent(Cell cell, double[] x, int batch, int steps, int in, int u, double[] kernel,
                              double[] recurrent, double[] bias, String activation, String recurrentActivation,
                              boolean sequences, boolean backwards, double[] h0, double[] c0, float[][] inMasks,
                              float[][] recMasks) {
        DoubleUnaryOperator act = act(activation);
        DoubleUnaryOperator rec = act(recurrentActivation);
        int g = switch (cell) {
            case LSTM -> 4;
            case GRU_AFTER, GRU_BEFORE -> 3;
            case SIMPLE -> 1;
        };
        double[] out = new double[(sequences ? batch * steps : batch) * u];
        for (int b = 0; b < batch; b++) {
            double[] h = new double[u];
            double[] c = new double[u];
            if (h0 != null) {
                System.arraycopy(h0, b * u, h, 0, u);
            }
            if (c0 != null) {
                System.arraycopy(c0, b * u, c, 0, u);
            }
            for (int s = 0; s < steps; s++) {
                int t = backwards ? steps - 1 - s : s;
                double[] xw = new double[g * u];
                double[] hu = new double[g * u];
                for (int q = 0; q < g; q++) {
                    for (int j = 0; j < u; j++) {
                        for (int p = 0; p < in; p++) {
                            double m = inMasks == null ? 1 : inMasks[inMasks.length == 1 ? 0 : q][b * in + p];
                            xw[q * u + j] += x[(b * steps + t) * in + p] * m * kernel[p * g * u + q * u + j];
                        }
                        for (int p = 0; p < u; p++) {
                            double m = recMasks == null ? 1 : recMasks[recMasks.length == 1 ? 0 : q][b * u + p];
                            hu[q * u + j] += h[p] * m * recurrent[p * g * u + q * u + j];
                        }
                    }
                }
                double[] next = new double[u];
                for (int j = 0; j < u; j++) {
                    switch (cell) {
                        case LSTM -> {
                            double[] z = new double[4];
                            for (int q = 0; q < 4; q++) {
                                z[q] = xw[q * u + j] + hu[q * u + j] + (bias == null ? 0 : bias[q * u + j]);
                            }
                            double i = rec.applyAsDouble(z[0]);
                            double f = rec.applyAsDouble(z[1]);
                            double gg = act.applyAsDouble(z[2]);
                            double o = rec.applyAsDouble(z[3]);
                            c[j] = f * c[j] + i * gg;
                            next[j] = o * act.applyAsDouble(c[j]);
                        }
                        case GRU_AFTER -> {
                            double bz = bias == null ? 0 : bias[j];
                            double br = bias == null ? 0 : bias[u + j];
                            double bh = bias == null ? 0 : bias[2 * u + j];
                            double rz = bias == null ? 0 : bias[3 * u + j];
                            double rr = bias == null ? 0 : bias[4 * u + j];
                            double rh = bias == null ? 0 : bias[5 * u + j];
                            double z = rec.applyAsDouble(xw[j] + bz + hu[j] + rz);
                            double r = rec.applyAsDouble(xw[u + j] + br + hu[u + j] + rr);
                            double hh = act.applyAsDouble(xw[2 * u + j] + bh + r * (hu[2 * u + j] + rh));
                            next[j] = z * h[j] + (1 - z) * hh;
                        }
                        case GRU_BEFORE -> {
                            double bz = bias == null ? 0 : bias[j];
                            double br = bias == null ? 0 : bias[u + j];
                            double z = rec.applyAsDouble(xw[j] + bz + hu[j]);
                            double r = rec.applyAsDouble(xw[u + j] + br + hu[u + j]);
                            // (r*h)·U_h needs r for every unit first: computed below
                            next[j] = z; // z for now; r kept in c
                            c[j] = r;
                        }
                        case SIMPLE -> next[j] = act.applyAsDouble(xw[j] + hu[j] + (bias == null ? 0 : bias[j]));
                    }
                }
                if (cell == Cell.GRU_BEFORE) {
                    double[] rh = new double[u];
                    for (int j = 0; j < u; j++) {
                        rh[j] = c[j] * h[j] * (recMasks == null ? 1 : recMasks[2][b * u + j]);
                    }
                    double[] rhu = new double[u];
                    for (int j = 0; j < u; j++) {
                        for (int p = 0; p < u; p++) {
                            rhu[j] += rh[p] * recurrent[p * 3 * u + 2 * u + j];
                        }
                    }
                    for (int j = 0; j < u; j++) {
                        double z = next[j];
                        double hh = act.applyAsDouble(xw[2 * u + j] + (bias == null ? 0 : bias[2 * u + j]) + rhu[j]);
                        next[j] = z * h[j] + (1 - z) * hh;
                    }
                }
                h = next;
                if (sequences) {
                    System.arraycopy(h, 0, out, (b * steps + s) * u, u);
                }
            }
            if (!sequences) {
                System.arraycopy(h, 0, out, b * u, u);
            }
        }
        return out;
    }

    /** float to double. */
    static double[] d(float[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }
}
