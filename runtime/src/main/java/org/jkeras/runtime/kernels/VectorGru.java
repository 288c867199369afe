package org.jkeras.runtime.kernels;

import org.jkeras.runtime.tensor.Activation;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The GRU recurrence of {@link GruKernel} (both of Keras's forms) on packed weights ({@link PackedGru}) and the
 * Vector API, built like {@link VectorLstm}:
 * <ul>
 *   <li>the input projection {@code x_t·W + b} of a chunk of steps is one packed GEMM per chunk (bias as the
 *       initial accumulator; reset_after folds b_rec of z and r into it);</li>
 *   <li>per step, the [z r] columns of h·U are added in place ({@code z += h·U_zr}, skipped at t = 0 when h = 0);
 *       reset_after=True runs the candidate columns {@code h·U_h + b_rec_h} into their own buffer, since r
 *       multiplies them; reset_after=False first finishes z and r, forms r⊙h, then adds {@code (r⊙h)·U_h}
 *       in place;</li>
 *   <li>a vectorized epilogue per batch row applies the gates and blends {@code h = z*h + (1-z)*hh}, in passes
 *       over L1-resident values (see {@link #gatesAfter} for why not one fused loop).</li>
 * </ul>
 * Batch 1 fuses the epilogue into the GEMV by blocks of units ({@link #stepRow}), as {@link VectorLstm} does.
 * h is kept padded to a multiple of the vector width; scratch comes from the calling thread's {@link Workspace},
 * nothing is allocated inside the step loop. Loaded only when the {@code jdk.incubator.vector} module is present.
 */
public final class VectorGru {
    private static final VectorSpecies<Float> S = VectorMath.S;
    private static final int L = S.length();
    private static final int PW = 4 * L;
    /**
     * Groups of {@code lanes} units per fused batch-1 block: 8 groups are 4 panels of [z r] and 2 of the
     * candidate, so every product of the block runs on pairs of panels (8 FMA chains).
     */
    static final int BLOCK_GROUPS = 8;

    private VectorGru() {
    }

    /**
     * Runs the layer from a zero state.
     *
     * @param x   inputs, [batch, steps, in]
     * @param out [batch, steps, units] when {@code sequences}, else [batch, units]
     */
    public static void forward(PackedGru w, float[] x, int batch, int steps, float[] out, boolean sequences) {
        forward(w, x, batch, steps, out, sequences, null, VectorLstm.CHUNK_FLOATS);
    }

    /**
     * Runs the layer from a given state and leaves the final state in it.
     *
     * @param hState h, [batch, units], read then overwritten
     */
    public static void forward(PackedGru w, float[] x, int batch, int steps, float[] out, boolean sequences,
                               float[] hState) {
        forward(w, x, batch, steps, out, sequences, hState, VectorLstm.CHUNK_FLOATS);
    }

    /** As above with an explicit chunk budget, so tests can exercise chunk boundaries. */
    static void forward(PackedGru w, float[] x, int batch, int steps, float[] out, boolean sequences,
                        float[] hState, int chunkFloats) {
        forward(w, x, batch, steps, out, sequences, hState, chunkFloats, null, null);
    }

    /**
     * As above, at batch 1 optionally one half of a layer-to-layer pipeline ({@link RecurrentPipeline}), as
     * {@link VectorLstm}'s: with {@code inputGate}, step t's input row is read only once the gate has published it
     * (in groups of {@link StepGate#GRAIN} rows); with {@code outputGate}, each step's output row is published as soon
     * as it is written. The arithmetic is that without gates.
     */
    static void forward(PackedGru w, float[] x, int batch, int steps, float[] out, boolean sequences,
                        float[] hState, int chunkFloats, StepGate inputGate, StepGate outputGate) {
        if (w.lanes != L) {
            throw new IllegalArgumentException("GRU packed for " + w.lanes + " lanes, kernels use " + L);
        }
        int in = w.in;
        int units = w.units;
        int up = w.paddedUnits;
        int gp = w.columns;
        int zrPanels = w.zrCols / PW;
        int panels = gp / PW;
        Workspace ws = Workspace.get();
        float[] h = ws.zeroed(Workspace.Slot.H, Math.multiplyExact(batch, up)); // h: [batch, paddedUnits]
        boolean carried = hState != null;
        if (carried) {
            for (int b = 0; b < batch; b++) {
                System.arraycopy(hState, b * units, h, b * up, units);
            }
        }
        float[] hNext = batch == 1 ? ws.dirty(Workspace.Slot.H_NEXT, up) : null;
        // reset_after: [batch, columns], h·U_h + b_rec_h at the candidate columns; reset_before: [batch, up], r⊙h
        float[] rb = ws.dirty(Workspace.Slot.R, Math.multiplyExact(batch, w.resetAfter ? gp : up));
        // a pipeline's writer may project (part of) our input: z is then its buffer, with every step's row
        float[] given = inputGate == null ? null : inputGate.projected();
        int chunk = given != null ? steps : Math.max(1, Math.min(steps, chunkFloats / Math.max(1, batch * gp)));
        // z: [chunk, batch, columns]; every value read is written first
        float[] z = given != null ? given : ws.dirty(Workspace.Slot.Z, Math.multiplyExact(chunk, batch * gp));
        int act = VectorMath.code(w.activation);
        int rec = VectorMath.code(w.recurrentActivation);
        int start = 0;
        boolean gated = inputGate != null || outputGate != null;
        if (batch == 1 && !gated && SplitGru.run(w, x, steps, out, sequences, carried, chunk, h, hNext, rb, act, rec)) {
            start = steps; // every step ran on the team
            if ((steps & 1) == 1) {
                h = hNext; // the final h is in the buffer the last step wrote
            }
        }
        for (int t0 = start; t0 < steps; t0 += chunk) {
            int tc = Math.min(chunk, steps - t0);
            if (batch == 1) {
                // a one-step chunk needs x_t·W only as a GEMV: fused into the step
                boolean fuseInput = tc == 1 && given == null;
                // a pipeline's consumer projects its input rows in groups as they come (see VectorLstm)
                int grain = inputGate == null ? tc : StepGate.GRAIN;
                for (int s0 = 0; s0 < tc; s0 += grain) {
                    int sc = Math.min(grain, tc - s0);
                    StepGate.projectRows(inputGate, x, t0 + s0, sc, w.kernel, w.bias, z, s0 * gp, fuseInput);
                    for (int t = s0; t < s0 + sc; t++) {
                        boolean recur = t0 + t > 0 || carried; // h is zero only at the first step of a fresh start
                        stepRow(w, fuseInput ? x : null, (t0 + t) * in, z, t * gp, h, recur, hNext, rb, act, rec,
                                ((t0 + t) & 1) == 1);
                        float[] swap = h;
                        h = hNext;
                        hNext = swap;
                        VectorLstm.finishRow(h, units, up, sequences ? out : null, t0 + t, outputGate);
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
                    PackedGemm.multiply(x, (t0 + t) * in, steps * in, batch, w.kernel, w.bias, 0, 0, z, t * batch * gp,
                            gp);
                }
            }
            for (int t = 0; t < tc; t++) {
                int zOff = t * batch * gp;
                boolean recur = t0 + t > 0 || carried;
                if (recur) { // [z r] += h·U_zr
                    PackedGemm.multiplyPanels(h, 0, up, batch, w.recurrentKernel, 0, zrPanels, z, zOff, gp, z, zOff, gp);
                }
                if (w.resetAfter) {
                    if (recur) { // rb = h·U_h + b_rec_h
                        PackedGemm.multiplyPanels(h, 0, up, batch, w.recurrentKernel, zrPanels, panels, w.recurrentBias,
                                0, 0, rb, 0, gp);
                    }
                    for (int b = 0; b < batch; b++) { // h = 0: h·U_h + b_rec_h is the bias
                        gatesAfter(w, z, zOff + b * gp, recur ? rb : w.recurrentBias, recur ? b * gp : 0, h, b * up,
                                h, b * up, 0, up, act, rec);
                    }
                } else {
                    for (int b = 0; b < batch; b++) {
                        resetGates(w, z, zOff + b * gp, h, b * up, rb, b * up, 0, up, rec);
                        VectorLstm.zeroPadding(rb, b * up, units, up);
                    }
                    if (recur) { // candidate += (r⊙h)·U_h
                        PackedGemm.multiplyPanels(rb, 0, up, batch, w.recurrentKernel, zrPanels, panels, z, zOff, gp,
                                z, zOff, gp);
                    }
                    for (int b = 0; b < batch; b++) {
                        candidateBefore(w, z, zOff + b * gp, h, b * up, h, b * up, 0, up, act);
                    }
                }
                for (int b = 0; b < batch; b++) {
                    VectorLstm.zeroPadding(h, b * up, units, up);
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
            }
        }
    }

    /**
     * One batch-1 step, fused per block of {@link #BLOCK_GROUPS} groups of units: that block's products on pairs
     * of panels, then at once its gates and blend while the values are in L1, so the gate math overlaps the next
     * block's weight stream; odd steps walk the blocks and pairs in reverse, keeping the weights touched last in
     * cache for the next step (see {@link VectorLstm}). Reads h (zero when {@code !recur}: no h·U), writes hNext.
     * With {@code x} non-null, z's row is first set to {@code bias + x[xOff..]·W} per block (a one-step chunk).
     * reset_after=False runs all blocks of [z r] (r⊙h into {@code rh}) before the candidate's blocks, since
     * every candidate column needs all of r⊙h.
     */
    private static void stepRow(PackedGru w, float[] x, int xOff, float[] z, int zOff, float[] h, boolean recur,
                                float[] hNext, float[] rb, int act, int rec, boolean reverse) {
        int groups = w.paddedUnits / L;
        stepFirstHalf(w, x, xOff, z, zOff, h, recur, hNext, rb, act, rec, reverse, 0, groups);
        if (!w.resetAfter) {
            VectorLstm.zeroPadding(rb, 0, w.units, w.paddedUnits); // r⊙h must be exactly 0 where h is padding
            stepCandidateBefore(w, x, xOff, z, zOff, h, recur, hNext, rb, act, reverse, 0, groups);
        }
    }

    /**
     * {@link #stepRow} on the groups of units {@code g0..g1-1} only ({@code g0} a multiple of 4, so the part's
     * panels are its own): reset_after=True, the whole step of those units; reset_after=False, its first half
     * (z, r and r⊙h of those units), after which every part needs all of r⊙h ({@link #stepCandidateBefore}).
     */
    static void stepFirstHalf(PackedGru w, float[] x, int xOff, float[] z, int zOff, float[] h, boolean recur,
                              float[] hNext, float[] rb, int act, int rec, boolean reverse, int g0, int g1) {
        int zrPanels = w.zrCols / PW;
        int blocks = (g1 - g0 + BLOCK_GROUPS - 1) / BLOCK_GROUPS;
        for (int q = 0; q < blocks; q++) {
            int b0 = g0 + (reverse ? blocks - 1 - q : q) * BLOCK_GROUPS;
            int b1 = Math.min(g1, b0 + BLOCK_GROUPS);
            rowProducts(x, xOff, w.kernel, w.bias, recur ? h : null, w.recurrentKernel, z, zOff, z, zOff,
                    b0 / 2, (b1 + 1) / 2, reverse); // [z r]: 2 groups per panel
            if (w.resetAfter) {
                int p0 = zrPanels + b0 / 4;
                int p1 = zrPanels + (b1 + 3) / 4; // candidate: 4 groups per panel
                rowProducts(x, xOff, w.kernel, w.bias, null, null, z, zOff, null, 0, p0, p1, reverse);
                if (recur) {
                    rowProducts(null, 0, null, null, h, w.recurrentKernel, w.recurrentBias, 0, rb, 0, p0, p1, reverse);
                }
                gatesAfter(w, z, zOff, recur ? rb : w.recurrentBias, 0, h, 0, hNext, 0, b0 * L, b1 * L, act, rec);
            } else {
                resetGates(w, z, zOff, h, 0, rb, 0, b0 * L, b1 * L, rec);
            }
        }
    }

    /** reset_after=False, second half of a step on groups g0..g1-1: candidate += (r⊙h)·U_h, its gate and blend. */
    static void stepCandidateBefore(PackedGru w, float[] x, int xOff, float[] z, int zOff, float[] h, boolean recur,
                                    float[] hNext, float[] rb, int act, boolean reverse, int g0, int g1) {
        int zrPanels = w.zrCols / PW;
        int blocks = (g1 - g0 + BLOCK_GROUPS - 1) / BLOCK_GROUPS;
        for (int q = 0; q < blocks; q++) {
            int b0 = g0 + (reverse ? blocks - 1 - q : q) * BLOCK_GROUPS;
            int b1 = Math.min(g1, b0 + BLOCK_GROUPS);
            rowProducts(x, xOff, w.kernel, w.bias, recur ? rb : null, w.recurrentKernel, z, zOff, z, zOff,
                    zrPanels + b0 / 4, zrPanels + (b1 + 3) / 4, reverse);
            candidateBefore(w, z, zOff, h, 0, hNext, 0, b0 * L, b1 * L, act);
        }
    }

    /**
     * Panels p0..p1-1 of one row, a pair at a time (reversed when asked): with {@code x} non-null
     * {@code z = bias + x·W} on those columns, then with {@code a} non-null {@code c = init + a·U} (init may be
     * z). Either half may be skipped by passing null.
     */
    private static void rowProducts(float[] x, int xOff, PackedMatrix wx, float[] bias, float[] a, PackedMatrix u,
                                    float[] init, int initOff, float[] c, int cOff, int p0, int p1, boolean reverse) {
        int pairs = (p1 - p0 + 1) / 2;
        for (int r = 0; r < pairs; r++) {
            int p = p0 + 2 * (reverse ? pairs - 1 - r : r);
            int count = Math.min(2, p1 - p);
            if (x != null) {
                PackedGemm.rowPanels(x, xOff, wx, p, count, bias, 0, init, initOff);
            }
            if (a != null) {
                PackedGemm.rowPanels(a, 0, u, p, count, init, initOff, c, cOff);
            }
        }
    }

    /**
     * reset_after=True gates of one row on units u0..u1-1 (multiples of the vector width): z, r = σ(·) in place,
     * hh = act(x̂_h + r*ĥ_h) with ĥ_h at {@code hr[hrOff + zrCols + j]}, then {@code h = z*h + (1-z)*hh} from
     * {@code hIn} into {@code hOut} (may be the same). Float operations of {@link GruKernel}'s scalar loops.
     * Separate passes over L1-resident values, each activation through {@link VectorMath#applyInPlace}'s own loop
     * method: fused into one loop beside other work, C2 judged the call to tanh cold and did not inline it, and the
     * vector operations then ran un-intrinsified (allocating per vector) even after warm-up.
     */
    private static void gatesAfter(PackedGru w, float[] z, int zo, float[] hr, int hrOff, float[] hIn, int hiOff,
                                   float[] hOut, int hoOff, int u0, int u1, int act, int rec) {
        int zrc = w.zrCols;
        VectorMath.applyInPlace(rec, w.recurrentActivation, z, zo + 2 * u0, 2 * (u1 - u0) / L, L, 1); // z, r
        for (int j = u0; j < u1; j += L) {
            FloatVector r = FloatVector.fromArray(S, z, zo + 2 * j + L);
            FloatVector.fromArray(S, z, zo + zrc + j).add(r.mul(FloatVector.fromArray(S, hr, hrOff + zrc + j)))
                    .intoArray(z, zo + zrc + j);
        }
        VectorMath.applyInPlace(act, w.activation, z, zo + zrc + u0, (u1 - u0) / L, L, 1);
        blend(z, zo, hIn, hiOff, hOut, hoOff, u0, u1, zrc);
    }

    /** reset_after=False, first half, units u0..u1-1: z, r = σ(·) in place, then {@code rh = r ⊙ h}. */
    private static void resetGates(PackedGru w, float[] z, int zo, float[] h, int hOff, float[] rh, int rhOff,
                                   int u0, int u1, int rec) {
        VectorMath.applyInPlace(rec, w.recurrentActivation, z, zo + 2 * u0, 2 * (u1 - u0) / L, L, 1);
        for (int j = u0; j < u1; j += L) {
            FloatVector.fromArray(S, z, zo + 2 * j + L).mul(FloatVector.fromArray(S, h, hOff + j))
                    .intoArray(rh, rhOff + j);
        }
    }

    /** reset_after=False, second half, units u0..u1-1: hh = act(candidate column, which holds x̂_h + (r⊙h)·U_h), blend. */
    private static void candidateBefore(PackedGru w, float[] z, int zo, float[] hIn, int hiOff, float[] hOut,
                                        int hoOff, int u0, int u1, int act) {
        int zrc = w.zrCols;
        VectorMath.applyInPlace(act, w.activation, z, zo + zrc + u0, (u1 - u0) / L, L, 1);
        blend(z, zo, hIn, hiOff, hOut, hoOff, u0, u1, zrc);
    }

    /**
     * {@code hOut = z*h + (1-z)*hh} on units u0..u1-1, hh already in the candidate columns: {@link GruKernel}'s
     * blend, the same float operations.
     */
    private static void blend(float[] z, int zo, float[] hIn, int hiOff, float[] hOut, int hoOff, int u0, int u1,
                              int zrc) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int j = u0; j < u1; j += L) {
            FloatVector zg = FloatVector.fromArray(S, z, zo + 2 * j);
            FloatVector hh = FloatVector.fromArray(S, z, zo + zrc + j);
            zg.mul(FloatVector.fromArray(S, hIn, hiOff + j)).add(one.sub(zg).mul(hh)).intoArray(hOut, hoOff + j);
        }
    }
}
