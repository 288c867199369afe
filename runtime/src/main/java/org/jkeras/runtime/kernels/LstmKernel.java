package org.jkeras.runtime.kernels;

import org.jkeras.runtime.tensor.Activation;

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

    /**
     * The training forward pass: the recurrence of {@link #forward}, keeping every step's values for
     * {@link #backward}. All saved buffers are time-major (row {@code t*batch + b}) so the backward pass
     * can form each weight gradient as one product over all steps.
     *
     * @param x      inputs, [batch, steps, in] (batch-major, as layers hold them)
     * @param h0     initial h, [batch, units], or null for zero
     * @param c0     initial c, [batch, units], or null for zero
     * @param out    [batch, steps, units] when {@code sequences}, else [batch, units]
     * @param drop   dropout masks, or null for none
     * @param tape   the buffers to fill, sized by {@link LstmTape#LstmTape}
     */
    public static void forwardTrain(float[] x, int batch, int steps, int in, int units,
                                    float[] kernel, float[] recurrentKernel, float[] bias,
                                    Activation activation, Activation recurrentActivation,
                                    float[] h0, float[] c0, float[] out, boolean sequences, RecurrentDropout drop,
                                    LstmTape tape) {
        forwardTrain(x, batch, steps, in, units, kernel, recurrentKernel, bias, activation, recurrentActivation, h0, c0,
                out, sequences, drop, tape, 1);
    }

    /**
     * {@link #forwardTrain} on up to {@code threads} threads: the batch rows are independent sequences, so each
     * thread runs the whole recurrence for its own slice of them (no synchronisation per step), and the input
     * projection is split by rows. Every value is computed as with one thread: bit-identical for any count.
     */
    public static void forwardTrain(float[] x, int batch, int steps, int in, int units,
                                    float[] kernel, float[] recurrentKernel, float[] bias,
                                    Activation activation, Activation recurrentActivation,
                                    float[] h0, float[] c0, float[] out, boolean sequences, RecurrentDropout drop,
                                    LstmTape tape, int threads) {
        forwardTrain(x, batch, steps, in, units, kernel, recurrentKernel, bias, activation, recurrentActivation, h0, c0,
                out, sequences, drop, tape, threads, Kernels.vectorized());
    }

    /** The training forward pass with the elementwise passes on the Vector API ({@code vector}) or scalar. */
    static void forwardTrain(float[] x, int batch, int steps, int in, int units,
                             float[] kernel, float[] recurrentKernel, float[] bias,
                             Activation activation, Activation recurrentActivation,
                             float[] h0, float[] c0, float[] out, boolean sequences, RecurrentDropout drop,
                             LstmTape tape, int threads, boolean vector) {
        int gates = 4 * units;
        int bu = batch * units;
        int rows = steps * batch;
        RecurrentTraining.toTimeMajor(x, batch, steps, in, tape.xt);
        float[] z = tape.preactivations; // z: [steps*batch, 4u], x_t·W + b, then + h·U per step
        RecurrentTraining.projectInputs(tape.xt, rows, batch, in, kernel, bias, 4, units, drop, z, threads);
        if (h0 != null) {
            System.arraycopy(h0, 0, tape.h, 0, bu);
        } else {
            java.util.Arrays.fill(tape.h, 0, bu, 0f); // the tape may be a reused one
        }
        if (c0 != null) {
            System.arraycopy(c0, 0, tape.c, 0, bu);
        } else {
            java.util.Arrays.fill(tape.c, 0, bu, 0f);
        }
        boolean masked = drop != null && drop.maskedRecurrence();
        Matmul.Prepared u = masked ? null : Matmul.prepare(recurrentKernel, 0, units, gates, false);
        float[][] uBlocks = masked ? GatedProduct.blocks(recurrentKernel, units, 4, units) : null;
        int slices = masked ? 1 : Parallel.parts(threads, batch, (double) steps * batch * units * gates);
        int act = vector ? VectorMath.code(activation) : 0;
        int rec = vector ? VectorMath.code(recurrentActivation) : 0;
        Parallel.run(slices, i -> {
            int b0 = Parallel.start(batch, slices, i);
            int b1 = Parallel.start(batch, slices, i + 1);
            for (int t = 0; t < steps; t++) {
                int zr = t * batch * gates;
                if (masked) {
                    GatedProduct.forward(tape.h, t * bu, batch, units, drop.recurrent(), batch, uBlocks, units, z, zr);
                } else {
                    Matmul.multiply(tape.h, t * bu + b0 * units, b1 - b0, u, z, zr + b0 * gates, true);
                }
                System.arraycopy(z, zr + b0 * gates, tape.gates, zr + b0 * gates, (b1 - b0) * gates);
                if (vector) {
                    VectorTraining.lstmForwardRows(tape.gates, zr, units, b0, b1, tape.c, tape.h, tape.actC, t, bu,
                            act, rec, activation, recurrentActivation);
                } else {
                    forwardRows(tape, zr, units, b0, b1, t, bu, activation, recurrentActivation);
                }
            }
        });
        RecurrentTraining.writeOutput(tape.h, bu, batch, steps, units, out, sequences);
    }

    /** The scalar reference of one forward step's gates and state update for batch rows b0..b1-1. */
    private static void forwardRows(LstmTape tape, int zr, int units, int b0, int b1, int t, int bu,
                                    Activation activation, Activation recurrentActivation) {
        int gates = 4 * units;
        float[] g = tape.gates;
        for (int b = b0; b < b1; b++) {
            int row = zr + b * gates;
            recurrentActivation.applyRows(g, row, 1, 2 * units);           // i, f
            activation.applyRows(g, row + 2 * units, 1, units);             // g
            recurrentActivation.applyRows(g, row + 3 * units, 1, units);    // o
            int prev = t * bu + b * units;   // c(t-1), h(t-1)
            int next = prev + bu;            // c(t), h(t)
            int ac = t * bu + b * units;     // act(c(t))
            for (int j = 0; j < units; j++) {
                tape.c[next + j] = g[row + units + j] * tape.c[prev + j] + g[row + j] * g[row + 2 * units + j];
            }
            System.arraycopy(tape.c, next, tape.actC, ac, units);
            activation.applyRows(tape.actC, ac, 1, units);
            for (int j = 0; j < units; j++) {
                tape.h[next + j] = g[row + 3 * units + j] * tape.actC[ac + j];
            }
        }
    }

    /**
     * Backpropagation through time over a {@link #forwardTrain} tape: adds the weight gradients into
     * {@code dKernel}, {@code dRecurrent}, {@code dBias} and writes the input gradient. The gradient does
     * not flow into the initial state (a stateful model's carried state is a constant of the batch).
     *
     * @param dOut       d(loss)/d(output), shaped like {@code out}
     * @param dx         [batch, steps, in], overwritten; or null when the input needs no gradient
     * @param dBias      [4*units], or null when the layer has no bias
     * @param drop       the dropout masks {@link #forwardTrain} used, or null
     */
    public static void backward(float[] dOut, int batch, int steps, int in, int units,
                                float[] kernel, float[] recurrentKernel,
                                Activation activation, Activation recurrentActivation, boolean sequences,
                                RecurrentDropout drop, LstmTape tape, float[] dKernel, float[] dRecurrent,
                                float[] dBias, float[] dx) {
        backward(dOut, batch, steps, in, units, kernel, recurrentKernel, activation, recurrentActivation, sequences, drop,
                tape, dKernel, dRecurrent, dBias, dx, 1);
    }

    /**
     * {@link #backward} on up to {@code threads} threads: each runs the backward recurrence of its slice of the
     * batch; the weight gradients are split by columns and the input gradient by rows. Bit-identical for any count.
     */
    public static void backward(float[] dOut, int batch, int steps, int in, int units,
                                float[] kernel, float[] recurrentKernel,
                                Activation activation, Activation recurrentActivation, boolean sequences,
                                RecurrentDropout drop, LstmTape tape, float[] dKernel, float[] dRecurrent,
                                float[] dBias, float[] dx, int threads) {
        backward(dOut, batch, steps, in, units, kernel, recurrentKernel, activation, recurrentActivation, sequences, drop,
                tape, dKernel, dRecurrent, dBias, dx, threads, Kernels.vectorized());
    }

    /** The backward pass with the elementwise passes on the Vector API ({@code vector}, when it covers the activations) or scalar. */
    static void backward(float[] dOut, int batch, int steps, int in, int units,
                         float[] kernel, float[] recurrentKernel,
                         Activation activation, Activation recurrentActivation, boolean sequences,
                         RecurrentDropout drop, LstmTape tape, float[] dKernel, float[] dRecurrent,
                         float[] dBias, float[] dx, int threads, boolean vector) {
        int gates = 4 * units;
        int bu = batch * units;
        float[] dz = tape.preactivations; // reused: [steps*batch, 4u], d(loss)/d(pre-activation)
        float[] dh = new float[bu];       // dh: [batch, units], gradient reaching h(t)
        float[] dc = new float[bu];       // dc: [batch, units], gradient reaching c(t)
        boolean masked = drop != null && drop.maskedRecurrence();
        Matmul.Prepared ut = masked ? null : Matmul.prepare(recurrentKernel, 0, gates, units, true); // Uᵀ: [4u, u]
        float[][] uBlocks = masked ? GatedProduct.blocks(recurrentKernel, units, 4, units) : null;
        boolean vec = vector && VectorTraining.lstmBackwardSupported(activation, recurrentActivation);
        int slices = masked ? 1 : Parallel.parts(threads, batch, (double) steps * batch * units * gates);
        Parallel.run(slices, i -> {
            int b0 = Parallel.start(batch, slices, i);
            int b1 = Parallel.start(batch, slices, i + 1);
            for (int t = steps - 1; t >= 0; t--) {
                RecurrentTraining.addOutputGrad(dOut, dh, t, batch, steps, units, sequences, b0, b1);
                int zr = t * batch * gates;
                if (vec) {
                    VectorTraining.lstmBackwardRows(tape.gates, dz, zr, units, b0, b1, tape.c, tape.actC, dh, dc, t, bu);
                } else {
                    backwardRows(tape, dz, zr, units, b0, b1, dh, dc, t, bu, activation, recurrentActivation);
                }
                if (t > 0 && masked) { // dh(t-1) = Σ_g (dz_g(t)·U_gᵀ) ⊙ r_g
                    GatedProduct.backwardInput(dz, zr, batch, units, drop.recurrent(), batch, uBlocks, units, dh, 0,
                            false);
                } else if (t > 0) { // dh(t-1) = dz(t)·Uᵀ
                    Matmul.multiply(dz, zr + b0 * gates, b1 - b0, ut, dh, b0 * units, false);
                }
            }
        });
        int rows = steps * batch;
        RecurrentTraining.backwardProducts(tape.xt, tape.h, dz, batch, steps, in, units, 4, kernel, drop, dKernel,
                dRecurrent, dBias, dx, threads, null, dx == null ? null : tape.scratch(1, Math.multiplyExact(rows, in)));
    }

    /** The scalar reference of one backward step for batch rows b0..b1-1. */
    private static void backwardRows(LstmTape tape, float[] dz, int zr, int units, int b0, int b1, float[] dh,
                                     float[] dc, int t, int bu, Activation activation,
                                     Activation recurrentActivation) {
        int gates = 4 * units;
        float[] g = tape.gates;
        for (int b = b0; b < b1; b++) {
            int row = zr + b * gates;
            int s = b * units;
            int prev = t * bu + s;
            int next = prev + bu;
            int ac = t * bu + s;
            for (int j = 0; j < units; j++) {
                float gi = g[row + j];
                float gf = g[row + units + j];
                float gg = g[row + 2 * units + j];
                float go = g[row + 3 * units + j];
                float a = tape.actC[ac + j];
                float dhj = dh[s + j];
                float dcj = dc[s + j] + dhj * go * activation.derivative(tape.c[next + j], a);
                float zi = dz[row + j];
                float zf = dz[row + units + j];
                float zg = dz[row + 2 * units + j];
                float zo = dz[row + 3 * units + j];
                dz[row + j] = dcj * gg * recurrentActivation.derivative(zi, gi);
                dz[row + units + j] = dcj * tape.c[prev + j] * recurrentActivation.derivative(zf, gf);
                dz[row + 2 * units + j] = dcj * gi * activation.derivative(zg, gg);
                dz[row + 3 * units + j] = dhj * a * recurrentActivation.derivative(zo, go);
                dc[s + j] = dcj * gf;
            }
        }
    }
}
