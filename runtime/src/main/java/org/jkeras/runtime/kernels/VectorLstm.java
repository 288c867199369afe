package org.jkeras.runtime.kernels;

import org.jkeras.runtime.tensor.Activation;

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
 * U are zero). Scratch buffers come from the calling thread's {@link Workspace} and are never shared
 * between threads, so layers stay immutable and thread-safe; nothing is allocated inside the step loop.
 * Batch 1 takes a fused per-step path ({@link #stepRow}). Loaded only when the {@code jdk.incubator.vector}
 * module is present.
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
        forward(w, x, batch, steps, out, sequences, hState, cState, chunkFloats, null, null);
    }

    /**
     * As above, at batch 1 optionally one half of a layer-to-layer pipeline ({@link RecurrentPipeline}): with
     * {@code inputGate}, step t's input row is read only once the gate has published t + 1 rows; with
     * {@code outputGate}, each step's output row is published as soon as it is written. The arithmetic is the
     * same as without gates (the input projection's rows do not depend on how many are computed per call).
     */
    static void forward(PackedLstm w, float[] x, int batch, int steps, float[] out, boolean sequences,
                        float[] hState, float[] cState, int chunkFloats, StepGate inputGate, StepGate outputGate) {
        if (w.lanes != L) {
            throw new IllegalArgumentException("LSTM packed for " + w.lanes + " lanes, kernels use " + L);
        }
        int in = w.in;
        int units = w.units;
        int up = w.paddedUnits;
        int gp = 4 * up;
        Workspace ws = Workspace.get();
        float[] h = ws.zeroed(Workspace.Slot.H, Math.multiplyExact(batch, up)); // h: [batch, paddedUnits]
        float[] c = ws.zeroed(Workspace.Slot.C, batch * up);                      // c: [batch, paddedUnits]
        boolean carried = hState != null;
        if (carried) {
            for (int b = 0; b < batch; b++) {
                System.arraycopy(hState, b * units, h, b * up, units);
                System.arraycopy(cState, b * units, c, b * up, units);
            }
        }
        // batch 1 alternates h between two buffers: the fused step reads h(t-1) while it writes h(t)
        float[] hNext = batch == 1 ? ws.dirty(Workspace.Slot.H_NEXT, up) : null;
        // a pipeline's writer may project (part of) our input: z is then its buffer, with every step's row
        float[] given = inputGate == null ? null : inputGate.projected();
        int chunk = given != null ? steps : Math.max(1, Math.min(steps, chunkFloats / Math.max(1, batch * gp)));
        // z: [chunk, batch, 4*paddedUnits], interleaved; every value read is written first
        float[] z = given != null ? given : ws.dirty(Workspace.Slot.Z, Math.multiplyExact(chunk, batch * gp));
        int act = VectorMath.code(w.activation);
        int rec = VectorMath.code(w.recurrentActivation);
        int start = 0;
        boolean gated = inputGate != null || outputGate != null;
        if (batch == 1 && !gated && SplitLstm.run(w, x, steps, out, sequences, carried, chunk, h, hNext, c, act, rec)) {
            start = steps;  // every step ran on the team
            if ((steps & 1) == 1) {
                h = hNext;  // the final h is in the buffer the last step wrote
            }
        }
        for (int t0 = start; t0 < steps; t0 += chunk) {
            int tc = Math.min(chunk, steps - t0);
            if (batch == 1) {
                // A one-step chunk needs x_t·W only as a GEMV: fuse it into the step rather than run it apart.
                boolean fuseInput = tc == 1 && given == null;
                // a pipeline's consumer takes the input rows in groups, as they come: one row at a time would read
                // all of W per row (a GEMV), a group of GRAIN reads it once per group as the 6-row kernel does
                int grain = inputGate == null ? tc : StepGate.GRAIN;
                for (int s0 = 0; s0 < tc; s0 += grain) {
                    int sc = Math.min(grain, tc - s0);
                    StepGate.projectRows(inputGate, x, t0 + s0, sc, w.kernel, w.bias, z, s0 * gp, fuseInput);
                    for (int t = s0; t < s0 + sc; t++) {
                        boolean recur = t0 + t > 0 || carried; // h is zero only at the first step of a fresh start
                        float[] next = hNext;
                        stepRow(w, fuseInput ? x : null, (t0 + t) * in, z, t * gp, recur ? h : null, next, c, 0, act,
                                rec, ((t0 + t) & 1) == 1, 0, up / L);
                        hNext = h;
                        h = next;
                        finishRow(h, units, up, sequences ? out : null, t0 + t, outputGate);
                    }
                }
                continue;
            }
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
                    cells(z, zOff + b * gp, c, 0, h, b * up, up, act, rec, w.activation, w.recurrentActivation);
                    zeroPadding(h, b * up, units, up);
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
     * The end of batch-1 step {@code t} for the h row it wrote: the padding back to exactly 0 ({@link #zeroPadding}),
     * the row copied to a sequence output ({@code out}, null when the layer returns its last step only) and
     * published to a pipeline's consumer ({@code gate}, or null).
     */
    static void finishRow(float[] h, int units, int up, float[] out, int t, StepGate gate) {
        zeroPadding(h, 0, units, up);
        if (out != null) {
            System.arraycopy(h, 0, out, t * units, units);
        }
        if (gate != null) {
            gate.publish(t + 1);
        }
    }

    /**
     * Sets the padded units of one row of h back to zero. Their weights are zero, so they are zero for finite
     * inputs; but an infinite input times a zero weight is NaN, and a NaN there would reach every real unit
     * through h·U (NaN times U's zero padding rows is NaN). Keras has no padding: its units stay finite.
     */
    static void zeroPadding(float[] h, int off, int units, int up) {
        for (int j = units; j < up; j++) {
            h[off + j] = 0f;
        }
    }

    /**
     * One batch-1 step, fused per block of {@link #BLOCK} panels ({@code BLOCK × lanes} units): {@code z += h·U}
     * on that block's columns, a pair of panels at a time (8 independent FMA chains), then at once the block's
     * gates and cell update while the values are in L1. At
     * batch 1 the step is bound by streaming U from L2 (U of 64 units is 64 KiB, the L1 holds 32); doing
     * the gate math of one block before the next block's GEMV lets the out-of-order core overlap that math
     * with the weight stream, instead of running it as separate passes after the whole product.
     * Odd steps walk the blocks (and the pairs in them) in reverse: the weights touched last by one step are
     * touched first by the next while they are still in cache. A U larger than a cache level is otherwise
     * streamed cyclically, the access pattern that LRU serves with no hits at all; zig-zagging keeps about a
     * cache's worth of it (S4, U = 1 MiB against a 512 KiB L2: -10 %; S2, U = 64 KiB against a 32 KiB L1: -3 %).
     * Column order changes no arithmetic, so results are bit-identical either way.
     * Reads h (null: h = 0, skip h·U), writes hNext (the blocks still to come need all of the old h). With
     * {@code x} non-null, z's row is first set to {@code bias + x[xOff..]·W} per block (a one-step chunk);
     * otherwise it already holds that projection. Only panels {@code from..to-1} (units {@code from*L ..
     * to*L-1}) are computed, so a {@link StepTeam} can split a step by gate columns; unit j's c is at
     * {@code c[j + cShift]} (a part's own copy of its slice of c).
     */
    static void stepRow(PackedLstm w, float[] x, int xOff, float[] z, int zOff, float[] h,
                        float[] hNext, float[] c, int cShift, int act, int rec, boolean reverse, int from, int to) {
        int blocks = (to - from + BLOCK - 1) / BLOCK; // one panel = 4 gates of L units
        for (int q = 0; q < blocks; q++) {
            int p0 = from + (reverse ? blocks - 1 - q : q) * BLOCK;
            int end = Math.min(to, p0 + BLOCK);
            int pairs = (end - p0 + 1) / 2;
            for (int r = 0; r < pairs; r++) {
                int p = p0 + 2 * (reverse ? pairs - 1 - r : r);
                int count = Math.min(2, end - p);
                if (x != null) { // z = bias + x_t·W on this pair
                    PackedGemm.rowPanels(x, xOff, w.kernel, p, count, w.bias, 0, z, zOff);
                }
                if (h != null) { // z += h·U on this pair
                    PackedGemm.rowPanels(h, 0, w.recurrentKernel, p, count, z, zOff, z, zOff);
                }
            }
            cells(z, zOff + p0 * 4 * L, c, cShift, hNext, p0 * L, (end - p0) * L, act, rec,
                    w.activation, w.recurrentActivation);
        }
    }

    /**
     * Panels per fused block of the batch-1 step (4 panels = 4 × lanes units): enough independent gate
     * vectors per activation pass to fill the pipelines, few enough that the block's gate math overlaps the
     * next block's weight stream. Measured on S2 (Zen 3): blocks of 2, 4, 8 and "all" within noise of each
     * other at the best sample (~138 µs); 4 is the middle.
     */
    static final int BLOCK = 4;

    /**
     * One batch row: gates from z (per L units the slots i, f, o, g), then c = f*c + i*g and
     * h = o*act(c), in place. Passes, not one loop: each pass inlines a single vector function,
     * because C2 stops inlining (NodeCountInliningCutoff) when several exp expansions share a loop,
     * and a vector that crosses a call it did not inline is boxed. All passes stay within one row
     * of z (4 * paddedUnits floats, in L1).
     */
    private static void cells(float[] z, int zOff, float[] c, int cShift, float[] h, int sOff, int up, int act, int rec,
                              Activation activation, Activation recurrentActivation) {
        int groups = up / L;
        VectorMath.applyInPlace(rec, recurrentActivation, z, zOff, groups, 4 * L, 3);   // i, f, o
        VectorMath.applyInPlace(act, activation, z, zOff + 3 * L, groups, 4 * L, 1);    // g
        if (act == VectorMath.TANH) {
            cellsTanh(z, zOff, c, cShift, h, sOff, up);
            return;
        }
        for (int j = 0; j < up; j += L) {
            int zj = zOff + 4 * j;
            FloatVector i = FloatVector.fromArray(S, z, zj);
            FloatVector f = FloatVector.fromArray(S, z, zj + L);
            FloatVector g = FloatVector.fromArray(S, z, zj + 3 * L);
            FloatVector cv = f.fma(FloatVector.fromArray(S, c, sOff + cShift + j), i.mul(g));
            cv.intoArray(c, sOff + cShift + j);
            cv.intoArray(h, sOff + j);
        }
        VectorMath.applyInPlace(act, activation, h, sOff, groups, L, 1); // act(c)
        for (int j = 0; j < up; j += L) {
            FloatVector o = FloatVector.fromArray(S, z, zOff + 4 * j + 2 * L);
            o.mul(FloatVector.fromArray(S, h, sOff + j)).intoArray(h, sOff + j);
        }
    }

    /** The cell update with act = tanh fused into one loop. */
    private static void cellsTanh(float[] z, int zOff, float[] c, int cShift, float[] h, int sOff, int up) {
        for (int j = 0; j < up; j += L) {
            int zj = zOff + 4 * j;
            FloatVector i = FloatVector.fromArray(S, z, zj);
            FloatVector f = FloatVector.fromArray(S, z, zj + L);
            FloatVector o = FloatVector.fromArray(S, z, zj + 2 * L);
            FloatVector g = FloatVector.fromArray(S, z, zj + 3 * L);
            FloatVector cv = f.fma(FloatVector.fromArray(S, c, sOff + cShift + j), i.mul(g));
            cv.intoArray(c, sOff + cShift + j);
            o.mul(VectorMath.tanh(cv)).intoArray(h, sOff + j);
        }
    }
}
