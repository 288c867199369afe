package org.jkeras.runtime.kernels;

import org.jkeras.runtime.tensor.Activation;

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
                RowOps.addRowVector(hz, batch, gates, recurrentBias);
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
            RowOps.addRowVector(xz, rows, cols, bias);
        }
        return xz;
    }

    /** h = z*h + (1-z)*hh, with z and hh read from the gate row at {@code gr} ([z | r | hh]). */
    private static void blend(float[] g, int gr, int units, float[] h, int hr) {
        for (int j = 0; j < units; j++) {
            float z = g[gr + j];
            h[hr + j] = z * h[hr + j] + (1f - z) * g[gr + 2 * units + j];
        }
    }

    /**
     * The training forward pass of either variant ({@link #forwardResetAfter}, {@link #forwardResetBefore}),
     * keeping every step's values in {@code tape} (time-major) for {@link #backward}.
     *
     * @param x               inputs, [batch, steps, in]
     * @param kernel          W, [in, 3*units] (gates z, r, h)
     * @param recurrentKernel U, [units, 3*units], unsplit
     * @param bias            reset_after: [2, 3*units] (input bias then recurrent bias); reset_before: [3*units];
     *                        or null
     * @param h0              initial h, [batch, units], or null for zero
     * @param out             [batch, steps, units] when {@code sequences}, else [batch, units]
     * @param drop            dropout masks (input: one or one per gate; recurrent: one per gate), or null
     */
    public static void forwardTrain(float[] x, int batch, int steps, int in, int units, boolean resetAfter,
                                    float[] kernel, float[] recurrentKernel, float[] bias,
                                    Activation activation, Activation recurrentActivation,
                                    float[] h0, float[] out, boolean sequences, RecurrentDropout drop, GruTape tape) {
        forwardTrain(x, batch, steps, in, units, resetAfter, kernel, recurrentKernel, bias, activation,
                recurrentActivation, h0, out, sequences, drop, tape, 1);
    }

    /**
     * {@link #forwardTrain} on up to {@code threads} threads: each runs the recurrence of its own slice of the
     * batch, the input projection is split by rows. Bit-identical for any count.
     */
    public static void forwardTrain(float[] x, int batch, int steps, int in, int units, boolean resetAfter,
                                    float[] kernel, float[] recurrentKernel, float[] bias,
                                    Activation activation, Activation recurrentActivation,
                                    float[] h0, float[] out, boolean sequences, RecurrentDropout drop, GruTape tape,
                                    int threads) {
        forwardTrain(x, batch, steps, in, units, resetAfter, kernel, recurrentKernel, bias, activation,
                recurrentActivation, h0, out, sequences, drop, tape, threads, Kernels.vectorized());
    }

    /** The training forward pass, the reset_after elementwise passes on the Vector API ({@code vector}) or scalar. */
    static void forwardTrain(float[] x, int batch, int steps, int in, int units, boolean resetAfter,
                             float[] kernel, float[] recurrentKernel, float[] bias,
                             Activation activation, Activation recurrentActivation,
                             float[] h0, float[] out, boolean sequences, RecurrentDropout drop, GruTape tape,
                             int threads, boolean vector) {
        int gates = 3 * units;
        int bu = batch * units;
        int rows = steps * batch;
        RecurrentTraining.toTimeMajor(x, batch, steps, in, tape.xt);
        float[] a = tape.preactivations; // a: [steps*batch, 3u], first x·W + b_in
        float[] inputBias = bias == null ? null : java.util.Arrays.copyOf(bias, gates); // b_in: the first 3u values
        RecurrentTraining.projectInputs(tape.xt, rows, batch, in, kernel, inputBias, 3, units, drop, a, threads);
        if (h0 != null) {
            System.arraycopy(h0, 0, tape.h, 0, bu);
        } else {
            java.util.Arrays.fill(tape.h, 0, bu, 0f); // the tape may be a reused one
        }
        float[] recBias = resetAfter && bias != null ? java.util.Arrays.copyOfRange(bias, gates, 2 * gates) : null;
        float[] rec = new float[batch * gates]; // rec: [batch, 3u] (reset_before: [batch, 2u]), h·U for one step
        Matmul.Prepared uAll = resetAfter ? Matmul.prepare(recurrentKernel, 0, units, gates, false) : null;
        Matmul.Prepared uZr = resetAfter ? null : Matmul.prepare(RowOps.columns(recurrentKernel, units, gates, 0, 2 * units),
                0, units, 2 * units, false);
        Matmul.Prepared uH = resetAfter ? null : Matmul.prepare(RowOps.columns(recurrentKernel, units, gates, 2 * units,
                units), 0, units, units, false);
        int recCols = resetAfter ? gates : 2 * units;
        float[] rhU = resetAfter ? null : new float[bu]; // (r*h)·U_h for one step
        boolean masked = drop != null && drop.maskedRecurrence();
        float[][] masks = masked ? drop.recurrent() : null;
        float[][] uBlocks = masked ? GatedProduct.blocks(recurrentKernel, units, 3, units) : null;
        float[][] recBlocks = masked && !resetAfter ? new float[][] {uBlocks[0], uBlocks[1]} : uBlocks;
        int slices = masked ? 1 : Parallel.parts(threads, batch, (double) rows * units * gates);
        boolean vec = vector && resetAfter;
        int act = vec ? VectorMath.code(activation) : 0;
        int recAct = vec ? VectorMath.code(recurrentActivation) : 0;
        float[] g = tape.gates;
        Parallel.run(slices, i -> {
            int b0 = Parallel.start(batch, slices, i);
            int b1 = Parallel.start(batch, slices, i + 1);
            int nb = b1 - b0;
            for (int t = 0; t < steps; t++) {
                int hPrev = t * bu;
                if (masked) { // each gate reads h through its own mask
                    java.util.Arrays.fill(rec, 0, batch * recCols, 0f);
                    GatedProduct.forward(tape.h, hPrev, batch, units, masks, batch, recBlocks, units, rec, 0);
                    if (resetAfter && recBias != null) {
                        RowOps.addRowVector(rec, 0, batch, gates, recBias);
                    }
                } else if (resetAfter) { // h·U + b_rec, the bias as the initial value of the sums
                    Matmul.multiplyBias(tape.h, hPrev + b0 * units, nb, uAll, recBias, rec, b0 * gates, 1);
                } else {
                    Matmul.multiply(tape.h, hPrev + b0 * units, nb, uZr, rec, b0 * recCols, false);
                }
                if (vec) {
                    VectorTraining.gruForwardRows(a, g, rec, tape.reset, tape.h, t, batch, units, b0, b1, act, recAct,
                            activation, recurrentActivation);
                    continue;
                }
                for (int b = b0; b < b1; b++) {
                    int row = (t * batch + b) * gates;
                    for (int j = 0; j < 2 * units; j++) {
                        a[row + j] += rec[b * recCols + j];
                        g[row + j] = a[row + j];
                    }
                    recurrentActivation.applyRows(g, row, 1, 2 * units);
                    int rr = (t * batch + b) * units;
                    for (int j = 0; j < units; j++) {
                        if (resetAfter) {
                            tape.reset[rr + j] = rec[b * gates + 2 * units + j];
                        } else { // r * h, with h through the candidate's recurrent mask under recurrent dropout
                            float hv = tape.h[hPrev + b * units + j];
                            tape.reset[rr + j] = g[row + units + j] * (masked ? hv * masks[2][b * units + j] : hv);
                        }
                    }
                }
                if (!resetAfter) {
                    Matmul.multiply(tape.reset, t * bu + b0 * units, nb, uH, rhU, b0 * units, false);
                }
                for (int b = b0; b < b1; b++) {
                    int row = (t * batch + b) * gates;
                    int rr = (t * batch + b) * units;
                    int hp = hPrev + b * units;
                    for (int j = 0; j < units; j++) {
                        a[row + 2 * units + j] += resetAfter ? g[row + units + j] * tape.reset[rr + j]
                                : rhU[b * units + j];
                        g[row + 2 * units + j] = a[row + 2 * units + j];
                    }
                    activation.applyRows(g, row + 2 * units, 1, units);
                    for (int j = 0; j < units; j++) {
                        float z = g[row + j];
                        tape.h[hp + bu + j] = z * tape.h[hp + j] + (1f - z) * g[row + 2 * units + j];
                    }
                }
            }
        });
        RecurrentTraining.writeOutput(tape.h, bu, batch, steps, units, out, sequences);
    }

    /**
     * Backpropagation through time over a {@link #forwardTrain} tape: adds the weight gradients, writes
     * the input gradient ([batch, steps, in]) unless {@code dx} is null. Nothing flows into the initial state.
     *
     * @param dBias shaped like the bias ([2, 3u] or [3u]), or null when the layer has none
     * @param drop  the dropout masks {@link #forwardTrain} used, or null
     */
    public static void backward(float[] dOut, int batch, int steps, int in, int units, boolean resetAfter,
                                float[] kernel, float[] recurrentKernel,
                                Activation activation, Activation recurrentActivation, boolean sequences,
                                RecurrentDropout drop, GruTape tape, float[] dKernel, float[] dRecurrent,
                                float[] dBias, float[] dx) {
        backward(dOut, batch, steps, in, units, resetAfter, kernel, recurrentKernel, activation, recurrentActivation,
                sequences, drop, tape, dKernel, dRecurrent, dBias, dx, 1);
    }

    /**
     * {@link #backward} on up to {@code threads} threads: the backward recurrence split by batch rows, the weight
     * gradients by columns, the input gradient by rows. Bit-identical for any count.
     */
    public static void backward(float[] dOut, int batch, int steps, int in, int units, boolean resetAfter,
                                float[] kernel, float[] recurrentKernel,
                                Activation activation, Activation recurrentActivation, boolean sequences,
                                RecurrentDropout drop, GruTape tape, float[] dKernel, float[] dRecurrent,
                                float[] dBias, float[] dx, int threads) {
        backward(dOut, batch, steps, in, units, resetAfter, kernel, recurrentKernel, activation, recurrentActivation,
                sequences, drop, tape, dKernel, dRecurrent, dBias, dx, threads, Kernels.vectorized());
    }

    /** The backward pass, the reset_after tanh/sigmoid elementwise passes on the Vector API ({@code vector}) or scalar. */
    static void backward(float[] dOut, int batch, int steps, int in, int units, boolean resetAfter,
                         float[] kernel, float[] recurrentKernel,
                         Activation activation, Activation recurrentActivation, boolean sequences,
                         RecurrentDropout drop, GruTape tape, float[] dKernel, float[] dRecurrent,
                         float[] dBias, float[] dx, int threads, boolean vector) {
        int gates = 3 * units;
        int bu = batch * units;
        int rows = steps * batch;
        float[] da = tape.preactivations; // reused: [steps*batch, 3u], d(loss)/d(input-side pre-activation)
        float[] g = tape.gates;
        // dRec: d(loss)/d(h·U [+ b_rec]), [steps*batch, 3u] (reset_after) or [steps*batch, 2u] (reset_before)
        int recCols = resetAfter ? gates : 2 * units;
        float[] dRec = tape.scratch(0, Math.multiplyExact(rows, recCols)); // every value is written before it is read
        float[] dhA = new float[bu];
        float[] dhB = new float[bu];
        float[] dRh = resetAfter ? null : new float[bu];     // d(loss)/d(r*h) for one step
        float[] dahStep = resetAfter ? null : new float[bu]; // dah of one step, [batch, units]
        boolean masked = drop != null && drop.maskedRecurrence();
        float[][] masks = masked ? drop.recurrent() : null;
        float[][] uBlocks = masked ? GatedProduct.blocks(recurrentKernel, units, 3, units) : null;
        float[][] recBlocks = masked && !resetAfter ? new float[][] {uBlocks[0], uBlocks[1]} : uBlocks;
        Matmul.Prepared uAllT = resetAfter ? Matmul.prepare(recurrentKernel, 0, gates, units, true) : null;
        Matmul.Prepared uZrT = resetAfter ? null : Matmul.prepare(RowOps.columns(recurrentKernel, units, gates, 0, 2 * units),
                0, 2 * units, units, true);
        Matmul.Prepared uHT = resetAfter ? null : Matmul.prepare(RowOps.columns(recurrentKernel, units, gates, 2 * units,
                units), 0, units, units, true);
        int slices = masked ? 1 : Parallel.parts(threads, batch, (double) rows * units * gates);
        boolean vec = vector && resetAfter && VectorTraining.gruBackwardSupported(activation, recurrentActivation);
        Parallel.run(slices, i -> {
            int b0 = Parallel.start(batch, slices, i);
            int b1 = Parallel.start(batch, slices, i + 1);
            int nb = b1 - b0;
            float[] dh = dhA;     // each slice swaps its own references; the rows it touches are its own
            float[] dhNext = dhB;
            for (int t = steps - 1; t >= 0; t--) {
                RecurrentTraining.addOutputGrad(dOut, dh, t, batch, steps, units, sequences, b0, b1);
                int hPrev = t * bu;
                if (vec) {
                    VectorTraining.gruBackwardRows(da, g, dRec, tape.reset, tape.h, dh, dhNext, t, batch, units, b0, b1);
                } else {
                    for (int b = b0; b < b1; b++) {
                        int row = (t * batch + b) * gates;
                        int hp = hPrev + b * units;
                        for (int j = 0; j < units; j++) {
                            float z = g[row + j];
                            float hh = g[row + 2 * units + j];
                            float d = dh[b * units + j];
                            float daz = d * (tape.h[hp + j] - hh) * recurrentActivation.derivative(da[row + j], z);
                            float dah = d * (1f - z) * activation.derivative(da[row + 2 * units + j], hh);
                            dhNext[b * units + j] = d * z;
                            da[row + j] = daz;
                            da[row + 2 * units + j] = dah;
                        }
                    }
                    if (!resetAfter) { // d(r*h) = dah·U_hᵀ
                        for (int b = b0; b < b1; b++) {
                            System.arraycopy(da, (t * batch + b) * gates + 2 * units, dahStep, b * units, units);
                        }
                        Matmul.multiply(dahStep, b0 * units, nb, uHT, dRh, b0 * units, false);
                    }
                    for (int b = b0; b < b1; b++) {
                        int row = (t * batch + b) * gates;
                        int rr = (t * batch + b) * units;
                        int hp = hPrev + b * units;
                        int dr = (t * batch + b) * recCols;
                        for (int j = 0; j < units; j++) {
                            float r = g[row + units + j];
                            float dah = da[row + 2 * units + j];
                            float dReset; // d(loss)/d(r)
                            if (resetAfter) {
                                dReset = dah * tape.reset[rr + j];
                                dRec[dr + 2 * units + j] = dah * r;
                            } else { // rh = r * (h ⊙ m_h)
                                float mh = masked ? masks[2][b * units + j] : 1f;
                                dReset = dRh[b * units + j] * tape.h[hp + j] * mh;
                                dhNext[b * units + j] += dRh[b * units + j] * r * mh;
                            }
                            float dar = dReset * recurrentActivation.derivative(da[row + units + j], r);
                            da[row + units + j] = dar;
                            dRec[dr + j] = da[row + j];
                            dRec[dr + units + j] = dar;
                        }
                    }
                }
                if (t > 0 && masked) {
                    GatedProduct.backwardInput(dRec, t * batch * recCols, batch, units, masks, batch, recBlocks, units,
                            dhNext, 0, true);
                } else if (t > 0) {
                    Matmul.multiply(dRec, (t * batch + b0) * recCols, nb, resetAfter ? uAllT : uZrT, dhNext, b0 * units,
                            true);
                }
                if (t > 0) {
                    float[] swap = dh;
                    dh = dhNext;
                    dhNext = swap;
                }
            }
        });
        // input side: dW += xtᵀ·da, db_in += Σ da, dx = da·Wᵀ (with the input masks)
        RecurrentTraining.backwardProducts(tape.xt, tape.h, da, batch, steps, in, units, 3, kernel, drop, dKernel,
                null, dBias, dx, threads, null, dx == null ? null : tape.scratch(2, Math.multiplyExact(rows, in)));
        if (resetAfter) { // recurrent side: dU += h(t-1)ᵀ·dRec, db_rec += Σ dRec
            if (masked) {
                GatedProduct.backwardWeight(tape.h, 0, rows, units, masks, batch, dRec, units, 3, dRecurrent);
            } else {
                Matmul.tn(tape.h, 0, dRec, 0, dRecurrent, 0, units, rows, gates, true, threads, dBias, gates); // + db_rec
            }
            if (dBias != null && masked) {
                int parts = Parallel.parts(threads, gates / 64, (double) rows * gates);
                Parallel.run(parts, i -> RowOps.addColumnSums(dRec, rows, gates, dBias, gates,
                        Parallel.start(gates, parts, i), Parallel.start(gates, parts, i + 1)));
            }
        } else { // dU_zr += h(t-1)ᵀ·dRec, dU_h += (r*h)ᵀ·dah
            float[] dUzr = new float[units * 2 * units];
            if (masked) {
                GatedProduct.backwardWeight(tape.h, 0, rows, units, masks, batch, dRec, units, 2, dUzr);
            } else {
                Matmul.tn(tape.h, 0, dRec, 0, dUzr, 0, units, rows, 2 * units, false, threads);
            }
            float[] dah = RowOps.columns(da, rows, gates, 2 * units, units);
            float[] dUh = new float[units * units];
            Matmul.tn(tape.reset, 0, dah, 0, dUh, 0, units, rows, units, false, threads);
            for (int r = 0; r < units; r++) {
                for (int j = 0; j < 2 * units; j++) {
                    dRecurrent[r * gates + j] += dUzr[r * 2 * units + j];
                }
                for (int j = 0; j < units; j++) {
                    dRecurrent[r * gates + 2 * units + j] += dUh[r * units + j];
                }
            }
        }
    }
}
