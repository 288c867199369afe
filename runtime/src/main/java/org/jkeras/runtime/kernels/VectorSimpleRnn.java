package org.jkeras.runtime.kernels;

/**
 * The SimpleRNN recurrence of {@link SimpleRnnKernel}, {@code h = act(x_t·W + b + h·U)}, on packed weights
 * ({@link PackedSimpleRnn}) and the Vector API, built like {@link VectorLstm}: the input projection of a chunk of
 * steps is one packed GEMM (bias as the initial accumulator), per step {@code z += h·U} in place on the packed
 * GEMM (skipped at t = 0 when h = 0), then the activation in place ({@link VectorMath}) and h taken from z.
 * Batch 1 fuses the activation into the GEMV by blocks of panels ({@link #stepRow}), split across cores by
 * {@link SplitSimpleRnn} when asked for threads. h is kept padded to a
 * multiple of the vector width; scratch comes from the calling thread's {@link Workspace}, nothing is allocated
 * inside the step loop. Loaded only when the {@code jdk.incubator.vector} module is present.
 */
public final class VectorSimpleRnn {
    private static final int L = VectorMath.S.length();
    private static final int PW = 4 * L;
    /** Panels per fused batch-1 block: 4 panels = 16 vectors of units per activation pass, as in {@link VectorLstm}. */
    static final int BLOCK = 4;

    private VectorSimpleRnn() {
    }

    /**
     * Runs the layer from a zero state.
     *
     * @param x   inputs, [batch, steps, in]
     * @param out [batch, steps, units] when {@code sequences}, else [batch, units]
     */
    public static void forward(PackedSimpleRnn w, float[] x, int batch, int steps, float[] out, boolean sequences) {
        forward(w, x, batch, steps, out, sequences, null, VectorLstm.CHUNK_FLOATS);
    }

    /**
     * Runs the layer from a given state and leaves the final state in it.
     *
     * @param hState h, [batch, units], read then overwritten
     */
    public static void forward(PackedSimpleRnn w, float[] x, int batch, int steps, float[] out, boolean sequences,
                               float[] hState) {
        forward(w, x, batch, steps, out, sequences, hState, VectorLstm.CHUNK_FLOATS);
    }

    /** As above with an explicit chunk budget, so tests can exercise chunk boundaries. */
    static void forward(PackedSimpleRnn w, float[] x, int batch, int steps, float[] out, boolean sequences,
                        float[] hState, int chunkFloats) {
        forward(w, x, batch, steps, out, sequences, hState, chunkFloats, null, null);
    }

    /**
     * As above, at batch 1 optionally one half of a layer-to-layer pipeline ({@link RecurrentPipeline}), as
     * {@link VectorLstm}'s: with {@code inputGate}, step t's input row is read only once the gate has published it
     * (in groups of {@link StepGate#GRAIN} rows); with {@code outputGate}, each step's output row is published as soon
     * as it is written. The arithmetic is that without gates.
     */
    static void forward(PackedSimpleRnn w, float[] x, int batch, int steps, float[] out, boolean sequences,
                        float[] hState, int chunkFloats, StepGate inputGate, StepGate outputGate) {
        if (w.lanes != L) {
            throw new IllegalArgumentException("SimpleRNN packed for " + w.lanes + " lanes, kernels use " + L);
        }
        int in = w.in;
        int units = w.units;
        int up = w.paddedUnits;
        int cp = w.columns;
        Workspace ws = Workspace.get();
        float[] h = ws.zeroed(Workspace.Slot.H, Math.multiplyExact(batch, up)); // h: [batch, paddedUnits]
        boolean carried = hState != null;
        if (carried) {
            for (int b = 0; b < batch; b++) {
                System.arraycopy(hState, b * units, h, b * up, units);
            }
        }
        float[] hNext = batch == 1 ? ws.dirty(Workspace.Slot.H_NEXT, up) : null;
        int chunk = Math.max(1, Math.min(steps, chunkFloats / Math.max(1, batch * cp)));
        // z: [chunk, batch, columns]; every value read is written first
        float[] z = ws.dirty(Workspace.Slot.Z, Math.multiplyExact(chunk, batch * cp));
        int act = VectorMath.code(w.activation);
        int start = 0;
        boolean gated = inputGate != null || outputGate != null;
        if (batch == 1 && !gated && SplitSimpleRnn.run(w, x, steps, out, sequences, carried, chunk, h, hNext, act)) {
            start = steps; // every step ran on the team
            if ((steps & 1) == 1) {
                h = hNext; // the final h is in the buffer the last step wrote
            }
        }
        for (int t0 = start; t0 < steps; t0 += chunk) {
            int tc = Math.min(chunk, steps - t0);
            if (batch == 1) {
                boolean fuseInput = tc == 1; // a one-step chunk needs x_t·W only as a GEMV: fused into the step
                // a pipeline's consumer projects its input rows in groups as they come (see VectorLstm)
                int grain = inputGate == null ? tc : StepGate.GRAIN;
                for (int s0 = 0; s0 < tc; s0 += grain) {
                    int sc = Math.min(grain, tc - s0);
                    StepGate.projectRows(inputGate, x, t0 + s0, sc, w.kernel, w.bias, z, s0 * cp, fuseInput);
                    for (int t = s0; t < s0 + sc; t++) {
                        boolean recur = t0 + t > 0 || carried; // h is zero only at the first step of a fresh start
                        stepRow(w, fuseInput ? x : null, (t0 + t) * in, z, t * cp, recur ? h : null, hNext, act,
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
                    PackedGemm.multiply(x, (b * steps + t0) * in, in, tc, w.kernel, w.bias, 0, 0, z, b * cp, batch * cp);
                }
            } else {
                for (int t = 0; t < tc; t++) {
                    PackedGemm.multiply(x, (t0 + t) * in, steps * in, batch, w.kernel, w.bias, 0, 0, z, t * batch * cp,
                            cp);
                }
            }
            for (int t = 0; t < tc; t++) {
                int zOff = t * batch * cp;
                if (t0 + t > 0 || carried) {
                    PackedGemm.multiply(h, 0, up, batch, w.recurrentKernel, z, zOff, cp, z, zOff, cp);
                }
                for (int b = 0; b < batch; b++) {
                    activate(w, z, zOff + b * cp, h, b * up, 0, up, act);
                    VectorLstm.zeroPadding(h, b * up, units, up);
                    if (sequences) {
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
     * One batch-1 step, fused per block of {@link #BLOCK} panels: {@code z += h·U} on that block's columns a pair
     * of panels at a time, then the block's activation into hNext while z is in L1; odd steps walk the blocks and
     * pairs in reverse, so the weights touched last are touched first by the next step (see {@link VectorLstm}).
     * Reads h (null: h = 0, no h·U), writes hNext. With {@code x} non-null, z's row is first set to
     * {@code bias + x[xOff..]·W} per pair (a one-step chunk).
     */
    private static void stepRow(PackedSimpleRnn w, float[] x, int xOff, float[] z, int zOff, float[] h,
                                float[] hNext, int act, boolean reverse) {
        stepRow(w, x, xOff, z, zOff, h, hNext, act, reverse, 0, w.columns / PW);
    }

    /** {@link #stepRow} on panels {@code from..to-1} only (units {@code from*PW ..}): a part of a split step. */
    static void stepRow(PackedSimpleRnn w, float[] x, int xOff, float[] z, int zOff, float[] h,
                        float[] hNext, int act, boolean reverse, int from, int to) {
        int blocks = (to - from + BLOCK - 1) / BLOCK;
        for (int q = 0; q < blocks; q++) {
            int p0 = from + (reverse ? blocks - 1 - q : q) * BLOCK;
            int end = Math.min(to, p0 + BLOCK);
            int pairs = (end - p0 + 1) / 2;
            for (int r = 0; r < pairs; r++) {
                int p = p0 + 2 * (reverse ? pairs - 1 - r : r);
                int count = Math.min(2, end - p);
                if (x != null) {
                    PackedGemm.rowPanels(x, xOff, w.kernel, p, count, w.bias, 0, z, zOff);
                }
                if (h != null) {
                    PackedGemm.rowPanels(h, 0, w.recurrentKernel, p, count, z, zOff, z, zOff);
                }
            }
            activate(w, z, zOff, hNext, 0, p0 * PW, Math.min(w.paddedUnits, end * PW), act);
        }
    }

    /** {@code h[hOff + j] = act(z[zo + j])} for units u0..u1-1 (multiples of the vector width), z in place. */
    private static void activate(PackedSimpleRnn w, float[] z, int zo, float[] h, int hOff, int u0, int u1, int act) {
        VectorMath.applyInPlace(act, w.activation, z, zo + u0, (u1 - u0) / L, L, 1);
        System.arraycopy(z, zo + u0, h, hOff + u0, u1 - u0);
    }
}
