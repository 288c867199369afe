package org.jkeras.runtime.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The LSTM recurrence of {@link LstmKernel} on packed weights and the Vector API:
 * <ul>
 *   <li>the input projection {@code x_t·W + b} of a chunk of steps is one packed GEMM per chunk
 *       (bias as the initial accumulator), into a chunk buffer small enough to stay in cache;</li>
 *   <li>per step, {@code z += h·U} in place by the packed GEMM (skipped at t = 0, where h = 0);</li>
 *   <li>per batch row, vectorized passes then apply the gate activations and update c and h: the
 *       gate-interleaved layout puts i, f, o, g of the same {@code lanes} units in 4 adjacent vectors.</li>
 * </ul>
 * h and c are kept padded to a multiple of the vector width (padded units stay unused: their rows of
 * U are zero). All buffers belong to the call, so layers stay immutable and thread-safe; nothing is
 * allocated inside the step loop. Loaded only when the {@code jdk.incubator.vector} module is present.
 */
public final class VectorLstm {
    private static final VectorSpecies<Float> S = VectorMath.S;
    private static final int L = S.length();
    /** Floats of input projection buffered per chunk: 256 KiB keeps it in L2 beside the weights. */
    static final int CHUNK_FLOATS = 64 * 1024;

    private VectorLstm() {
    }

    /**
     * Runs the layer from zero states.
     *
     * @param x   inputs, [batch, steps, in]
     * @param out [batch, steps, units] when {@code sequences}, else [batch, units]
     */
    public static void forward(PackedLstm w, float[] x, int batch, int steps, float[] out, boolean sequences) {
        forward(w, x, batch, steps, out, sequences, null, null, CHUNK_FLOATS);
    }

    /**
     * Runs the layer from given states and leaves the final states in them.
     *
     * @param hState h, [batch, units], read then overwritten
     * @param cState c, [batch, units], read then overwritten
     */
    public static void forward(PackedLstm w, float[] x, int batch, int steps, float[] out, boolean sequences,
                               float[] hState, float[] cState) {
        forward(w, x, batch, steps, out, sequences, hState, cState, CHUNK_FLOATS);
    }

    /** As above with an explicit chunk budget, so tests can exercise chunk boundaries. */
    static void forward(PackedLstm w, float[] x, int batch, int steps, float[] out, boolean sequences,
                        float[] hState, float[] cState, int chunkFloats) {
        if (w.lanes != L) {
            throw new IllegalArgumentException("LSTM packed for " + w.lanes + " lanes, kernels use " + L);
        }
        int in = w.in;
        int units = w.units;
        int up = w.paddedUnits;
        int gp = 4 * up;
        float[] h = new float[Math.multiplyExact(batch, up)]; // h: [batch, paddedUnits]
        float[] c = new float[batch * up];                    // c: [batch, paddedUnits]
        boolean carried = hState != null;
        if (carried) {
            for (int b = 0; b < batch; b++) {
                System.arraycopy(hState, b * units, h, b * up, units);
                System.arraycopy(cState, b * units, c, b * up, units);
            }
        }
        int chunk = Math.max(1, Math.min(steps, chunkFloats / Math.max(1, batch * gp)));
        float[] z = new float[Math.multiplyExact(chunk, batch * gp)]; // z: [chunk, batch, 4*paddedUnits], interleaved
        int act = VectorMath.code(w.activation);
        int rec = VectorMath.code(w.recurrentActivation);
        for (int t0 = 0; t0 < steps; t0 += chunk) {
            int tc = Math.min(chunk, steps - t0);
            // z[t, b] = x[b, t0 + t]·W + bias; whichever loop gives the GEMM more rows per call.
            if (tc > batch) {
                for (int b = 0; b < batch; b++) {
                    PackedGemm.multiply(x, (b * steps + t0) * in, in, tc, w.kernel, w.bias, 0, 0, z, b * gp, batch * gp);
                }
            } else {
                for (int t = 0; t < tc; t++) {
                    PackedGemm.multiply(x, (t0 + t) * in, steps * in, batch, w.kernel, w.bias, 0, 0, z, t * batch * gp, gp);
                }
            }
            for (int t = 0; t < tc; t++) {
                int zOff = t * batch * gp;
                if (t0 + t > 0 || carried) { // h is zero only at the first step of a fresh start
                    PackedGemm.multiply(h, 0, up, batch, w.recurrentKernel, z, zOff, gp, z, zOff, gp);
                }
                for (int b = 0; b < batch; b++) {
                    cells(z, zOff + b * gp, c, h, b * up, up, act, rec, w.activation, w.recurrentActivation);
                }
                if (sequences) {
                    for (int b = 0; b < batch; b++) {
                        System.arraycopy(h, b * up, out, (b * steps + t0 + t) * units, units);
                    }
                }
            }
        }
        if (!sequences) {
            for (int b = 0; b < batch; b++) {
                System.arraycopy(h, b * up, out, b * units, units);
            }
        }
        if (carried) {
            for (int b = 0; b < batch; b++) {
                System.arraycopy(h, b * up, hState, b * units, units);
                System.arraycopy(c, b * up, cState, b * units, units);
            }
        }
    }

    /**
     * One batch row: gates from z (per L units the slots i, f, o, g), then c = f*c + i*g and
     * h = o*act(c), in place. Passes, not one loop: each pass inlines a single vector function,
     * because C2 stops inlining (NodeCountInliningCutoff) when several exp expansions share a loop,
     * and a vector that crosses a call it did not inline is boxed. All passes stay within one row
     * of z (4 * paddedUnits floats, in L1).
     */
    private static void cells(float[] z, int zOff, float[] c, float[] h, int sOff, int up, int act, int rec,
                              Activation activation, Activation recurrentActivation) {
        int groups = up / L;
        VectorMath.applyInPlace(rec, recurrentActivation, z, zOff, groups, 4 * L, 3);   // i, f, o
        VectorMath.applyInPlace(act, activation, z, zOff + 3 * L, groups, 4 * L, 1);    // g
        if (act == VectorMath.TANH) {
            cellsTanh(z, zOff, c, h, sOff, up);
            return;
        }
        for (int j = 0; j < up; j += L) {
            int zj = zOff + 4 * j;
            FloatVector i = FloatVector.fromArray(S, z, zj);
            FloatVector f = FloatVector.fromArray(S, z, zj + L);
            FloatVector g = FloatVector.fromArray(S, z, zj + 3 * L);
            FloatVector cv = f.fma(FloatVector.fromArray(S, c, sOff + j), i.mul(g));
            cv.intoArray(c, sOff + j);
            cv.intoArray(h, sOff + j);
        }
        VectorMath.applyInPlace(act, activation, h, sOff, groups, L, 1); // act(c)
        for (int j = 0; j < up; j += L) {
            FloatVector o = FloatVector.fromArray(S, z, zOff + 4 * j + 2 * L);
            o.mul(FloatVector.fromArray(S, h, sOff + j)).intoArray(h, sOff + j);
        }
    }

    /** The cell update with act = tanh fused into one loop. */
    private static void cellsTanh(float[] z, int zOff, float[] c, float[] h, int sOff, int up) {
        for (int j = 0; j < up; j += L) {
            int zj = zOff + 4 * j;
            FloatVector i = FloatVector.fromArray(S, z, zj);
            FloatVector f = FloatVector.fromArray(S, z, zj + L);
            FloatVector o = FloatVector.fromArray(S, z, zj + 2 * L);
            FloatVector g = FloatVector.fromArray(S, z, zj + 3 * L);
            FloatVector cv = f.fma(FloatVector.fromArray(S, c, sOff + j), i.mul(g));
            cv.intoArray(c, sOff + j);
            o.mul(VectorMath.tanh(cv)).intoArray(h, sOff + j);
        }
    }
}
