package org.jkeras.runtime.kernels;

/**
 * The SimpleRNN recurrence over preallocated arrays, as in Keras:
 * {@code h = act(x_t·W + b + h·U)}. The input projection x·W for all time steps is one GEMM;
 * only h·U is done per step.
 */
public final class SimpleRnnKernel {
    private SimpleRnnKernel() {
    }

    /**
     * Runs the recurrence from the state in {@code h}, leaving the final state there.
     *
     * @param x               inputs, [batch, steps, in]
     * @param kernel          W, [in, units]
     * @param recurrentKernel U, [units, units]
     * @param bias            b, [units], or null
     * @param h               hidden state, [batch, units], updated in place
     * @param out             [batch, steps, units] when {@code sequences}, else [batch, units]
     */
    public static void forward(float[] x, int batch, int steps, int in, int units,
                               float[] kernel, float[] recurrentKernel, float[] bias, Activation activation,
                               float[] h, float[] out, boolean sequences) {
        Gemm gemm = Kernels.gemm();
        // xz: [batch*steps, units], the input projection of every step at once.
        float[] xz = GruKernel.inputProjection(gemm, x, batch * steps, in, units, kernel, bias);
        float[] z = new float[batch * units]; // z: [batch, units] for one step
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                System.arraycopy(xz, (b * steps + t) * units, z, b * units, units);
            }
            gemm.multiply(h, 0, recurrentKernel, 0, z, 0, batch, units, units, true);
            activation.applyRows(z, 0, batch, units);
            System.arraycopy(z, 0, h, 0, batch * units);
            if (sequences) {
                for (int b = 0; b < batch; b++) {
                    System.arraycopy(h, b * units, out, (b * steps + t) * units, units);
                }
            }
        }
        if (!sequences) {
            System.arraycopy(h, 0, out, 0, batch * units);
        }
    }
}
