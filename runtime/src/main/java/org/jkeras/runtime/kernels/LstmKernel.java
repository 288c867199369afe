package org.jkeras.runtime.kernels;

/**
 * The LSTM recurrence over preallocated arrays, gate order i, f, c, o as in Keras:
 * <pre>
 *   z = x_t·W + h·U + b;  i = σ(z_i); f = σ(z_f); g = act(z_c); o = σ(z_o)
 *   c = f*c + i*g;        h = o * act(c)
 * </pre>
 * where σ is the recurrent activation. The input projection x·W for all time steps is one GEMM;
 * only h·U is done per step.
 */
public final class LstmKernel {
    private LstmKernel() {
    }

    /**
     * Runs the recurrence from the states in {@code h} and {@code c}, leaving the final states there.
     *
     * @param x               inputs, [batch, steps, in]
     * @param kernel          W, [in, 4*units]
     * @param recurrentKernel U, [units, 4*units]
     * @param bias            b, [4*units], or null
     * @param h               hidden state, [batch, units], updated in place
     * @param c               cell state, [batch, units], updated in place
     * @param out             [batch, steps, units] when {@code sequences}, else [batch, units]
     */
    public static void forward(float[] x, int batch, int steps, int in, int units,
                               float[] kernel, float[] recurrentKernel, float[] bias,
                               Activation activation, Activation recurrentActivation,
                               float[] h, float[] c, float[] out, boolean sequences) {
        int gates = 4 * units;
        Gemm gemm = Kernels.gemm();
        // xz: [batch*steps, 4*units], the input projection of every step at once.
        float[] xz = new float[Math.multiplyExact(batch * steps, gates)];
        gemm.multiply(x, 0, kernel, 0, xz, 0, batch * steps, in, gates, false);
        if (bias != null) {
            for (int r = 0; r < batch * steps; r++) {
                int row = r * gates;
                for (int j = 0; j < gates; j++) {
                    xz[row + j] += bias[j];
                }
            }
        }
        float[] z = new float[batch * gates]; // z: [batch, 4*units] for one step
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                System.arraycopy(xz, (b * steps + t) * gates, z, b * gates, gates);
            }
            gemm.multiply(h, 0, recurrentKernel, 0, z, 0, batch, units, gates, true);
            for (int b = 0; b < batch; b++) {
                int zr = b * gates;
                recurrentActivation.applyRows(z, zr, 1, units);             // i
                recurrentActivation.applyRows(z, zr + units, 1, units);     // f
                activation.applyRows(z, zr + 2 * units, 1, units);          // g
                recurrentActivation.applyRows(z, zr + 3 * units, 1, units); // o
                int sr = b * units;
                for (int j = 0; j < units; j++) {
                    c[sr + j] = z[zr + units + j] * c[sr + j] + z[zr + j] * z[zr + 2 * units + j];
                }
                // act(c) for h: copied through z's g slice, which is no longer needed this step.
                System.arraycopy(c, sr, z, zr + 2 * units, units);
                activation.applyRows(z, zr + 2 * units, 1, units);
                for (int j = 0; j < units; j++) {
                    h[sr + j] = z[zr + 3 * units + j] * z[zr + 2 * units + j];
                }
                if (sequences) {
                    System.arraycopy(h, sr, out, (b * steps + t) * units, units);
                }
            }
        }
        if (!sequences) {
            System.arraycopy(h, 0, out, 0, batch * units);
        }
    }
}
