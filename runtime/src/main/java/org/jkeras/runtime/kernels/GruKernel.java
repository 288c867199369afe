package org.jkeras.runtime.kernels;

/**
 * The GRU recurrence over preallocated arrays, gate order z (update), r (reset), h (candidate)
 * as in Keras, in both of Keras's variants:
 * <pre>
 *   reset_after=True  (Keras 3 / tf.keras 2 default, the cuDNN form):
 *     x̂ = x_t·W + b_in;  ĥ = h·U + b_rec
 *     z = σ(x̂_z + ĥ_z);  r = σ(x̂_r + ĥ_r);  hh = act(x̂_h + r * ĥ_h)
 *   reset_after=False (Keras 1 and 2.0-2.2):
 *     x̂ = x_t·W + b
 *     z = σ(x̂_z + h·U_z);  r = σ(x̂_r + h·U_r);  hh = act(x̂_h + (r*h)·U_h)
 *   h = z*h + (1-z)*hh
 * </pre>
 * where σ is the recurrent activation. The input projection x·W for all time steps is one GEMM;
 * only the recurrent products are done per step. The per-step elementwise loops work on whole
 * gate slices so a SIMD version can replace them one by one.
 */
public final class GruKernel {
    private GruKernel() {
    }

    /**
     * Runs the reset_after=True recurrence from the state in {@code h}, leaving the final state there.
     *
     * @param x               inputs, [batch, steps, in]
     * @param kernel          W, [in, 3*units] (gates z, r, h)
     * @param recurrentKernel U, [units, 3*units]
     * @param inputBias       b_in, [3*units], or null
     * @param recurrentBias   b_rec, [3*units], or null
     * @param h               hidden state, [batch, units], updated in place
     * @param out             [batch, steps, units] when {@code sequences}, else [batch, units]
     */
    public static void forwardResetAfter(float[] x, int batch, int steps, int in, int units,
                                         float[] kernel, float[] recurrentKernel,
                                         float[] inputBias, float[] recurrentBias,
                                         Activation activation, Activation recurrentActivation,
                                         float[] h, float[] out, boolean sequences) {
        int gates = 3 * units;
        Gemm gemm = Kernels.gemm();
        float[] xz = inputProjection(gemm, x, batch * steps, in, gates, kernel, inputBias); // [batch*steps, 3u]
        float[] hz = new float[batch * gates]; // hz: [batch, 3u], h·U + b_rec for one step
        float[] g = new float[batch * gates];  // g: [batch, 3u], gate pre-activations then values
        for (int t = 0; t < steps; t++) {
            gemm.multiply(h, 0, recurrentKernel, 0, hz, 0, batch, units, gates, false);
            if (recurrentBias != null) {
                addRowVector(hz, batch, gates, recurrentBias);
            }
            for (int b = 0; b < batch; b++) {
                int xr = (b * steps + t) * gates;
                int gr = b * gates;
                // z and r: σ(x̂ + ĥ)
                for (int j = 0; j < 2 * units; j++) {
                    g[gr + j] = xz[xr + j] + hz[gr + j];
                }
                recurrentActivation.applyRows(g, gr, 1, 2 * units);
                // candidate: act(x̂_h + r * ĥ_h)
                int hs = 2 * units;
                for (int j = 0; j < units; j++) {
                    g[gr + hs + j] = xz[xr + hs + j] + g[gr + units + j] * hz[gr + hs + j];
                }
                activation.applyRows(g, gr + hs, 1, units);
                blend(g, gr, units, h, b * units);
                if (sequences) {
                    System.arraycopy(h, b * units, out, (b * steps + t) * units, units);
                }
            }
        }
        if (!sequences) {
            System.arraycopy(h, 0, out, 0, batch * units);
        }
    }

    /**
     * Runs the reset_after=False recurrence from the state in {@code h}, leaving the final state there.
     * The recurrent kernel comes split, because (r*h) multiplies only its candidate part.
     *
     * @param x           inputs, [batch, steps, in]
     * @param kernel      W, [in, 3*units] (gates z, r, h)
     * @param recurrentZr U_z and U_r side by side, [units, 2*units]
     * @param recurrentH  U_h, [units, units]
     * @param bias        b, [3*units], or null
     * @param h           hidden state, [batch, units], updated in place
     * @param out         [batch, steps, units] when {@code sequences}, else [batch, units]
     */
    public static void forwardResetBefore(float[] x, int batch, int steps, int in, int units,
                                          float[] kernel, float[] recurrentZr, float[] recurrentH, float[] bias,
                                          Activation activation, Activation recurrentActivation,
                                          float[] h, float[] out, boolean sequences) {
        int gates = 3 * units;
        Gemm gemm = Kernels.gemm();
        float[] xz = inputProjection(gemm, x, batch * steps, in, gates, kernel, bias); // [batch*steps, 3u]
        float[] hzr = new float[batch * 2 * units]; // hzr: [batch, 2u], h·U_zr for one step
        float[] g = new float[batch * gates];          // g: [batch, 3u], gate pre-activations then values
        float[] rh = new float[batch * units];         // rh: [batch, u], r*h
        float[] rhU = new float[batch * units];        // rhU: [batch, u], (r*h)·U_h
        for (int t = 0; t < steps; t++) {
            gemm.multiply(h, 0, recurrentZr, 0, hzr, 0, batch, units, 2 * units, false);
            for (int b = 0; b < batch; b++) {
                int xr = (b * steps + t) * gates;
                int gr = b * gates;
                // z and r: σ(x̂ + h·U)
                for (int j = 0; j < 2 * units; j++) {
                    g[gr + j] = xz[xr + j] + hzr[b * 2 * units + j];
                }
                recurrentActivation.applyRows(g, gr, 1, 2 * units);
                for (int j = 0; j < units; j++) {
                    rh[b * units + j] = g[gr + units + j] * h[b * units + j];
                }
            }
            gemm.multiply(rh, 0, recurrentH, 0, rhU, 0, batch, units, units, false);
            for (int b = 0; b < batch; b++) {
                int xr = (b * steps + t) * gates;
                int gr = b * gates;
                // candidate: act(x̂_h + (r*h)·U_h)
                for (int j = 0; j < units; j++) {
                    g[gr + 2 * units + j] = xz[xr + 2 * units + j] + rhU[b * units + j];
                }
                activation.applyRows(g, gr + 2 * units, 1, units);
                blend(g, gr, units, h, b * units);
                if (sequences) {
                    System.arraycopy(h, b * units, out, (b * steps + t) * units, units);
                }
            }
        }
        if (!sequences) {
            System.arraycopy(h, 0, out, 0, batch * units);
        }
    }

    /** x·W (+ b) for every row at once: [rows, in]·[in, cols] -> [rows, cols]. */
    static float[] inputProjection(Gemm gemm, float[] x, int rows, int in, int cols, float[] kernel, float[] bias) {
        float[] xz = new float[Math.multiplyExact(rows, cols)];
        gemm.multiply(x, 0, kernel, 0, xz, 0, rows, in, cols, false);
        if (bias != null) {
            addRowVector(xz, rows, cols, bias);
        }
        return xz;
    }

    /** m[r, j] += v[j] for a [rows, cols] matrix. */
    static void addRowVector(float[] m, int rows, int cols, float[] v) {
        for (int r = 0; r < rows; r++) {
            int row = r * cols;
            for (int j = 0; j < cols; j++) {
                m[row + j] += v[j];
            }
        }
    }

    /** h = z*h + (1-z)*hh, with z and hh read from the gate row at {@code gr} ([z | r | hh]). */
    private static void blend(float[] g, int gr, int units, float[] h, int hr) {
        for (int j = 0; j < units; j++) {
            float z = g[gr + j];
            h[hr + j] = z * h[hr + j] + (1f - z) * g[gr + 2 * units + j];
        }
    }
}
