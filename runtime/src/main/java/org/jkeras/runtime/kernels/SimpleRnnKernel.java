package org.jkeras.runtime.kernels;

import org.jkeras.runtime.tensor.Activation;

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

    /**
     * The training forward pass: {@link #forward}'s recurrence keeping every step's pre-activation and
     * state in {@code tape} (time-major) for {@link #backward}.
     *
     * @param x   inputs, [batch, steps, in]
     * @param h0  initial h, [batch, units], or null for zero
     * @param out  [batch, steps, units] when {@code sequences}, else [batch, units]
     * @param drop dropout masks (one input mask, one recurrent mask, as Keras's SimpleRNN), or null
     */
    public static void forwardTrain(float[] x, int batch, int steps, int in, int units,
                                    float[] kernel, float[] recurrentKernel, float[] bias, Activation activation,
                                    float[] h0, float[] out, boolean sequences, RecurrentDropout drop,
                                    SimpleRnnTape tape) {
        int bu = batch * units;
        RecurrentTraining.toTimeMajor(x, batch, steps, in, tape.xt);
        if (drop != null && drop.singleInputMask()) {
            drop.maskInputInPlace(tape.xt, steps * batch, batch, in);
        }
        float[] z = tape.preactivations; // z: [steps*batch, units]
        Matmul.nn(tape.xt, 0, kernel, 0, z, 0, steps * batch, in, units, false);
        if (bias != null) {
            RowOps.addRowVector(z, steps * batch, units, bias);
        }
        if (h0 != null) {
            System.arraycopy(h0, 0, tape.h, 0, bu);
        }
        boolean masked = drop != null && drop.maskedRecurrence();
        Matmul.Prepared u = Matmul.prepare(recurrentKernel, 0, units, units, false);
        float[][] uBlocks = {recurrentKernel};
        for (int t = 0; t < steps; t++) {
            if (masked) {
                GatedProduct.forward(tape.h, t * bu, batch, units, drop.recurrent(), batch, uBlocks, units, z, t * bu);
            } else {
                Matmul.multiply(tape.h, t * bu, batch, u, z, t * bu, true);
            }
            System.arraycopy(z, t * bu, tape.h, (t + 1) * bu, bu);
            activation.applyRows(tape.h, (t + 1) * bu, batch, units);
        }
        RecurrentTraining.writeOutput(tape.h, bu, batch, steps, units, out, sequences);
    }

    /**
     * Backpropagation through time over a {@link #forwardTrain} tape: adds the weight gradients, writes
     * the input gradient ([batch, steps, in]) unless {@code dx} is null. Nothing flows into the initial state.
     *
     * @param dBias [units], or null when the layer has no bias
     * @param drop  the dropout masks {@link #forwardTrain} used, or null
     */
    public static void backward(float[] dOut, int batch, int steps, int in, int units, float[] kernel,
                                float[] recurrentKernel, Activation activation, boolean sequences,
                                RecurrentDropout drop, SimpleRnnTape tape,
                                float[] dKernel, float[] dRecurrent, float[] dBias, float[] dx) {
        int bu = batch * units;
        float[] dz = tape.preactivations; // reused: [steps*batch, units]
        float[] dh = new float[bu];
        boolean masked = drop != null && drop.maskedRecurrence();
        Matmul.Prepared ut = Matmul.prepare(recurrentKernel, 0, units, units, true); // Uᵀ
        float[][] uBlocks = {recurrentKernel};
        for (int t = steps - 1; t >= 0; t--) {
            RecurrentTraining.addOutputGrad(dOut, dh, t, batch, steps, units, sequences);
            int r = t * bu;
            for (int i = 0; i < bu; i++) {
                dz[r + i] = dh[i] * activation.derivative(dz[r + i], tape.h[r + bu + i]);
            }
            if (t > 0 && masked) {
                GatedProduct.backwardInput(dz, r, batch, units, drop.recurrent(), batch, uBlocks, units, dh, 0, false);
            } else if (t > 0) {
                Matmul.multiply(dz, r, batch, ut, dh, 0, false);
            }
        }
        RecurrentTraining.backwardProducts(tape.xt, tape.h, dz, batch, steps, in, units, 1, kernel, drop, dKernel,
                dRecurrent, dBias, dx);
    }
}
