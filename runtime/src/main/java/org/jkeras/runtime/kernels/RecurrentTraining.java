package org.jkeras.runtime.kernels;

/**
 * What the training passes of LSTM, GRU and SimpleRNN share: the layout changes between the layers'
 * batch-major tensors and the kernels' time-major tapes, and the products after the time loop that turn
 * the per-step pre-activation gradients into weight and input gradients.
 */
final class RecurrentTraining {
    private RecurrentTraining() {
    }

    /** xt[t*batch + b] = x[b*steps + t], rows of {@code width}. */
    static void toTimeMajor(float[] x, int batch, int steps, int width, float[] xt) {
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                System.arraycopy(x, (b * steps + t) * width, xt, (t * batch + b) * width, width);
            }
        }
    }

    /** x[b*steps + t] = xt[t*batch + b], rows of {@code width}. */
    static void toBatchMajor(float[] xt, int batch, int steps, int width, float[] x) {
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                System.arraycopy(xt, (t * batch + b) * width, x, (b * steps + t) * width, width);
            }
        }
    }

    /**
     * The input projection of a cell with {@code gates} gate blocks, z = x·W + b over all steps, with the
     * dropout masks: each gate through its own mask, or the input masked once (in place: the tape then keeps
     * the masked input, which the weight gradient needs).
     *
     * @param xt   time-major inputs [rows, in]
     * @param bias [gates*units], or null
     * @param z    [rows, gates*units], overwritten
     */
    static void projectInputs(float[] xt, int rows, int batch, int in, float[] kernel, float[] bias, int gates,
                              int units, RecurrentDropout drop, float[] z, int threads) {
        if (drop != null && drop.gatedInput()) {
            java.util.Arrays.fill(z, 0, rows * gates * units, 0f);
            GatedProduct.forward(xt, 0, rows, in, drop.input(), batch, GatedProduct.blocks(kernel, in, gates, units),
                    units, z, 0);
            if (bias != null) {
                RowOps.addRowVector(z, rows, gates * units, bias);
            }
            return;
        }
        if (drop != null && drop.singleInputMask()) {
            drop.maskInputInPlace(xt, rows, batch, in);
        }
        Matmul.multiplyBias(xt, 0, rows, Matmul.prepare(kernel, 0, in, gates * units, false), bias, z, 0, threads);
    }

    /**
     * The layer output from the time-major states h [(steps+1)*batch, units] (block 0 is the initial state):
     * every step batch-major [batch, steps, units], or the last step [batch, units].
     */
    static void writeOutput(float[] h, int bu, int batch, int steps, int units, float[] out, boolean sequences) {
        if (sequences) {
            for (int b = 0; b < batch; b++) {
                for (int t = 0; t < steps; t++) {
                    System.arraycopy(h, (t + 1) * bu + b * units, out, (b * steps + t) * units, units);
                }
            }
        } else {
            System.arraycopy(h, steps * bu, out, 0, bu);
        }
    }

    /** dh[b] += dOut at step t: every step of a sequence output, only the last step otherwise. */
    static void addOutputGrad(float[] dOut, float[] dh, int t, int batch, int steps, int units, boolean sequences) {
        addOutputGrad(dOut, dh, t, batch, steps, units, sequences, 0, batch);
    }

    /** {@link #addOutputGrad} for batch rows b0..b1-1 only. */
    static void addOutputGrad(float[] dOut, float[] dh, int t, int batch, int steps, int units, boolean sequences,
                              int b0, int b1) {
        if (sequences) {
            for (int b = b0; b < b1; b++) {
                int o = (b * steps + t) * units;
                for (int j = 0; j < units; j++) {
                    dh[b * units + j] += dOut[o + j];
                }
            }
        } else if (t == steps - 1) {
            for (int i = b0 * units; i < b1 * units; i++) {
                dh[i] += dOut[i];
            }
        }
    }

    /**
     * Weight gradients of a cell {@code z = x·W + h(t-1)·U + b} from every step's {@code dz}:
     * dW += xtᵀ·dz, dU += h(t-1)ᵀ·dz, db += Σ dz; each one product over all steps.
     *
     * @param xt    [steps*batch, in], time-major inputs
     * @param h     [(steps+1)*batch, units], time-major states; rows 0..steps*batch-1 are the h(t-1)
     * @param dz    [steps*batch, cols]
     * @param dW    [in, cols], or null when the caller forms it
     * @param dU    [units, cols], or null when the caller forms it
     * @param dBias [cols], or null
     */
    static void weightGradients(float[] xt, float[] h, float[] dz, int batch, int steps, int in, int units, int cols,
                                float[] dW, float[] dU, float[] dBias) {
        weightGradients(xt, h, dz, batch, steps, in, units, cols, dW, dU, dBias, 1);
    }

    /** {@link #weightGradients} with the columns split over up to {@code threads} threads (bit-identical). */
    static void weightGradients(float[] xt, float[] h, float[] dz, int batch, int steps, int in, int units, int cols,
                                float[] dW, float[] dU, float[] dBias, int threads) {
        weightGradients(xt, h, dz, batch, steps, in, units, cols, dW, dU, dBias, threads, null);
    }

    /** With the work buffer the callers keep (unused since the products read A in place), or null. */
    static void weightGradients(float[] xt, float[] h, float[] dz, int batch, int steps, int in, int units, int cols,
                                float[] dW, float[] dU, float[] dBias, int threads, float[] buffer) {
        int rows = steps * batch;
        if (dW != null && dU != null) { // dW, dU and db in one pass over dz
            Matmul.tn2(xt, in, h, units, dz, rows, cols, dW, dU, true, threads, dBias, 0);
        } else if (dW != null) { // dW and, in the same pass over dz, db
            Matmul.tn(xt, 0, dz, 0, dW, 0, in, rows, cols, true, threads, dBias, 0);
        } else if (dU != null) {
            Matmul.tn(h, 0, dz, 0, dU, 0, units, rows, cols, true, threads);
        }
        if (dBias != null && dW == null) {
            int parts = Parallel.parts(threads, cols / 64, (double) rows * cols);
            Parallel.run(parts, i -> RowOps.addColumnSums(dz, rows, cols, dBias, 0, Parallel.start(cols, parts, i),
                    Parallel.start(cols, parts, i + 1)));
        }
    }

    /**
     * Everything after a cell's time loop for a cell {@code z = x·W + h(t-1)·U + b} with {@code gates} gate
     * blocks: the weight gradients and the input gradient, with the dropout masks of the forward pass.
     *
     * @param dU the recurrent-kernel gradient, or null when the caller forms it (GRU)
     * @param dx [batch, steps, in] to overwrite, or null when the input needs no gradient
     */
    static void backwardProducts(float[] xt, float[] h, float[] dz, int batch, int steps, int in, int units,
                                 int gates, float[] kernel, RecurrentDropout drop, float[] dW, float[] dU,
                                 float[] dBias, float[] dx) {
        backwardProducts(xt, h, dz, batch, steps, in, units, gates, kernel, drop, dW, dU, dBias, dx, 1);
    }

    /** {@link #backwardProducts} on up to {@code threads} threads, bit-identical for any count. */
    static void backwardProducts(float[] xt, float[] h, float[] dz, int batch, int steps, int in, int units,
                                 int gates, float[] kernel, RecurrentDropout drop, float[] dW, float[] dU,
                                 float[] dBias, float[] dx, int threads) {
        backwardProducts(xt, h, dz, batch, steps, in, units, gates, kernel, drop, dW, dU, dBias, dx, threads, null,
                null);
    }

    /**
     * With work buffers kept by the caller (a tape's), or null: {@code transposeBuffer} for the weight gradients'
     * transposes (at least max(in, units)·steps·batch floats), {@code dxtBuffer} for the time-major input gradient.
     */
    static void backwardProducts(float[] xt, float[] h, float[] dz, int batch, int steps, int in, int units,
                                 int gates, float[] kernel, RecurrentDropout drop, float[] dW, float[] dU,
                                 float[] dBias, float[] dx, int threads, float[] transposeBuffer, float[] dxtBuffer) {
        int rows = steps * batch;
        int cols = gates * units;
        boolean gatedInput = drop != null && drop.gatedInput();
        boolean maskedH = drop != null && drop.maskedRecurrence();
        weightGradients(xt, h, dz, batch, steps, in, units, cols, gatedInput ? null : dW, maskedH ? null : dU, dBias,
                threads, transposeBuffer);
        if (gatedInput) {
            GatedProduct.backwardWeight(xt, 0, rows, in, drop.input(), batch, dz, units, gates, dW);
        }
        if (maskedH && dU != null) {
            GatedProduct.backwardWeight(h, 0, rows, units, drop.recurrent(), batch, dz, units, gates, dU);
        }
        if (dx == null) {
            return;
        }
        if (gatedInput) {
            float[] dxt = new float[Math.multiplyExact(rows, in)];
            GatedProduct.backwardInput(dz, 0, rows, in, drop.input(), batch, GatedProduct.blocks(kernel, in, gates,
                    units), units, dxt, 0, false);
            toBatchMajor(dxt, batch, steps, in, dx);
        } else {
            inputGradient(dz, kernel, batch, steps, in, cols, dx, threads, dxtBuffer);
            if (drop != null && drop.singleInputMask()) {
                drop.maskInputGradient(dx, batch, steps, in);
            }
        }
    }

    /** dx [batch, steps, in] = (dz·Wᵀ) brought back to batch-major; W is [in, cols]. */
    static void inputGradient(float[] dz, float[] kernel, int batch, int steps, int in, int cols, float[] dx) {
        inputGradient(dz, kernel, batch, steps, in, cols, dx, 1);
    }

    /** {@link #inputGradient} with the rows split over up to {@code threads} threads. */
    static void inputGradient(float[] dz, float[] kernel, int batch, int steps, int in, int cols, float[] dx,
                              int threads) {
        inputGradient(dz, kernel, batch, steps, in, cols, dx, threads, null);
    }

    /** With a work buffer for the time-major gradient (at least steps·batch·in floats), or null. */
    static void inputGradient(float[] dz, float[] kernel, int batch, int steps, int in, int cols, float[] dx,
                              int threads, float[] buffer) {
        int size = Math.multiplyExact(steps * batch, in);
        float[] dxt = buffer != null && buffer.length >= size ? buffer : new float[size]; // dxt: [steps*batch, in]
        Matmul.multiply(dz, 0, steps * batch, Matmul.prepare(kernel, 0, cols, in, true), dxt, 0, false, threads);
        toBatchMajor(dxt, batch, steps, in, dx);
    }
}
