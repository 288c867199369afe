package org.jkeras.runtime.kernels;

import org.jkeras.runtime.tensor.Activation;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The elementwise passes of the LSTM and GRU training kernels on the Vector API: the gate activations and
 * state updates of a training forward step, and the gradients of a backward step, on the time-major Keras-layout
 * tapes of {@link LstmKernel} and {@link GruKernel}. They do the float operations of the scalar loops there in
 * the same order; the only difference is that sigmoid and tanh are {@link VectorMath}'s float polynomials
 * (< 1e-6 relative) instead of double {@code Math}. The derivatives are exact: σ' = y - y·y and tanh' = 1 - a·a
 * as one fused multiply-add each, which rounds once like the scalar double expression rounded to float.
 * Ranges of any length: whole vectors, then one masked vector, so every element takes the same path. Each loop
 * method inlines at most one exp expansion (see {@link VectorLstm#cells}). Loaded only with the Vector API.
 */
final class VectorTraining {
    private static final VectorSpecies<Float> S = VectorMath.S;
    private static final int L = S.length();

    private VectorTraining() {
    }

    /** True when {@link #lstmBackwardRows} covers these activations (Keras's defaults); else the scalar loop runs. */
    static boolean lstmBackwardSupported(Activation activation, Activation recurrentActivation) {
        return activation == Activation.TANH && recurrentActivation == Activation.SIGMOID;
    }

    /**
     * One LSTM training forward step for batch rows {@code b0..b1-1}: gate values from the pre-activations
     * already in {@code g} (Keras order i, f, c, o per row of {@code 4*units}), then c(t), act(c(t)) and h(t).
     * Offsets as in {@link LstmKernel#forwardTrain}: {@code zr} is step t's first row of {@code g}, the state
     * blocks of c and h hold t = -1 at 0, and {@code actC} step t at {@code t*bu}.
     */
    static void lstmForwardRows(float[] g, int zr, int units, int b0, int b1, float[] c, float[] h, float[] actC,
                                int t, int bu, int act, int rec, Activation activation,
                                Activation recurrentActivation) {
        int gates = 4 * units;
        for (int b = b0; b < b1; b++) {
            int row = zr + b * gates;
            VectorMath.applyRange(rec, recurrentActivation, g, row, row + 2 * units);          // i, f
            VectorMath.applyRange(act, activation, g, row + 2 * units, row + 3 * units);       // g
            VectorMath.applyRange(rec, recurrentActivation, g, row + 3 * units, row + 4 * units); // o
            int prev = t * bu + b * units;
            int next = prev + bu;
            int ac = t * bu + b * units;
            if (act == VectorMath.TANH) {
                int j = 0;
                for (; j <= units - L; j += L) {
                    cellTanh(g, row, units, c, prev, next, actC, ac, h, j);
                }
                if (j < units) {
                    cellTanhTail(g, row, units, c, prev, next, actC, ac, h, j);
                }
                continue;
            }
            cellUpdate(g, row, units, c, prev, next, actC, ac);
            VectorMath.applyRange(act, activation, actC, ac, ac + units);
            hidden(g, row, units, h, next, actC, ac);
        }
    }

    /** c(t) = f*c(t-1) + i*g, also copied to actC for the activation pass (any activation). */
    private static void cellUpdate(float[] g, int row, int units, float[] c, int prev, int next, float[] actC, int ac) {
        for (int j = 0; j < units; j += L) {
            VectorMask<Float> m = S.indexInRange(j, units);
            FloatVector gi = FloatVector.fromArray(S, g, row + j, m);
            FloatVector gf = FloatVector.fromArray(S, g, row + units + j, m);
            FloatVector gg = FloatVector.fromArray(S, g, row + 2 * units + j, m);
            FloatVector cn = gf.mul(FloatVector.fromArray(S, c, prev + j, m)).add(gi.mul(gg));
            cn.intoArray(c, next + j, m);
            cn.intoArray(actC, ac + j, m);
        }
    }

    /** h(t) = o*act(c(t)). */
    private static void hidden(float[] g, int row, int units, float[] h, int next, float[] actC, int ac) {
        for (int j = 0; j < units; j += L) {
            VectorMask<Float> m = S.indexInRange(j, units);
            FloatVector go = FloatVector.fromArray(S, g, row + 3 * units + j, m);
            go.mul(FloatVector.fromArray(S, actC, ac + j, m)).intoArray(h, next + j, m);
        }
    }

    private static void cellTanh(float[] g, int row, int units, float[] c, int prev, int next, float[] actC, int ac,
                                 float[] h, int j) {
        FloatVector gi = FloatVector.fromArray(S, g, row + j);
        FloatVector gf = FloatVector.fromArray(S, g, row + units + j);
        FloatVector gg = FloatVector.fromArray(S, g, row + 2 * units + j);
        FloatVector go = FloatVector.fromArray(S, g, row + 3 * units + j);
        FloatVector cn = gf.mul(FloatVector.fromArray(S, c, prev + j)).add(gi.mul(gg));
        cn.intoArray(c, next + j);
        FloatVector a = VectorMath.tanh(cn);
        a.intoArray(actC, ac + j);
        go.mul(a).intoArray(h, next + j);
    }

    private static void cellTanhTail(float[] g, int row, int units, float[] c, int prev, int next, float[] actC,
                                     int ac, float[] h, int j) {
        VectorMask<Float> m = S.indexInRange(j, units);
        FloatVector gi = FloatVector.fromArray(S, g, row + j, m);
        FloatVector gf = FloatVector.fromArray(S, g, row + units + j, m);
        FloatVector gg = FloatVector.fromArray(S, g, row + 2 * units + j, m);
        FloatVector go = FloatVector.fromArray(S, g, row + 3 * units + j, m);
        FloatVector cn = gf.mul(FloatVector.fromArray(S, c, prev + j, m)).add(gi.mul(gg));
        cn.intoArray(c, next + j, m);
        FloatVector a = VectorMath.tanh(cn);
        a.intoArray(actC, ac + j, m);
        go.mul(a).intoArray(h, next + j, m);
    }

    /**
     * One LSTM backward step for batch rows {@code b0..b1-1} with tanh / sigmoid ({@link #lstmBackwardSupported}):
     * overwrites step t's rows of {@code dz} with d(loss)/d(pre-activation), and carries dc back one step. The
     * operations of {@link LstmKernel#backward}'s scalar loop in its order.
     */
    static void lstmBackwardRows(float[] g, float[] dz, int zr, int units, int b0, int b1, float[] c, float[] actC,
                                 float[] dh, float[] dc, int t, int bu) {
        int gates = 4 * units;
        for (int b = b0; b < b1; b++) {
            int row = zr + b * gates;
            int s = b * units;
            int prev = t * bu + s;
            int j = 0;
            for (; j <= units - L; j += L) {
                lstmBackwardLanes(g, dz, row, units, c, actC, dh, dc, prev, bu, s, j);
            }
            if (j < units) {
                lstmBackwardTail(g, dz, row, units, c, actC, dh, dc, prev, bu, s, j);
            }
        }
    }

    // The lanes j..j+L-1 of one row, whole vectors. Small methods on purpose: C1 gives up on a method with this
    // many vector values plus masked loads ("out of virtual registers"), and a method stuck below C2 runs the
    // Vector API's Java fallbacks, two orders of magnitude slower.
    private static void lstmBackwardLanes(float[] g, float[] dz, int row, int units, float[] c, float[] actC,
                                          float[] dh, float[] dc, int prev, int bu, int s, int j) {
        FloatVector gi = FloatVector.fromArray(S, g, row + j);
        FloatVector gf = FloatVector.fromArray(S, g, row + units + j);
        FloatVector gg = FloatVector.fromArray(S, g, row + 2 * units + j);
        FloatVector go = FloatVector.fromArray(S, g, row + 3 * units + j);
        FloatVector a = FloatVector.fromArray(S, actC, prev + j);
        FloatVector dhj = FloatVector.fromArray(S, dh, s + j);
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector dcj = FloatVector.fromArray(S, dc, s + j).add(dhj.mul(go).mul(a.neg().fma(a, one))); // tanh'
        dcj.mul(gg).mul(gi.neg().fma(gi, gi)).intoArray(dz, row + j);                                   // σ' = y - y²
        dcj.mul(FloatVector.fromArray(S, c, prev + j)).mul(gf.neg().fma(gf, gf)).intoArray(dz, row + units + j);
        dcj.mul(gi).mul(gg.neg().fma(gg, one)).intoArray(dz, row + 2 * units + j);
        dhj.mul(a).mul(go.neg().fma(go, go)).intoArray(dz, row + 3 * units + j);
        dcj.mul(gf).intoArray(dc, s + j);
    }

    /** {@link #lstmBackwardLanes} for the last, partial vector of a row. */
    private static void lstmBackwardTail(float[] g, float[] dz, int row, int units, float[] c, float[] actC,
                                         float[] dh, float[] dc, int prev, int bu, int s, int j) {
        VectorMask<Float> m = S.indexInRange(j, units);
        FloatVector gi = FloatVector.fromArray(S, g, row + j, m);
        FloatVector gf = FloatVector.fromArray(S, g, row + units + j, m);
        FloatVector gg = FloatVector.fromArray(S, g, row + 2 * units + j, m);
        FloatVector go = FloatVector.fromArray(S, g, row + 3 * units + j, m);
        FloatVector a = FloatVector.fromArray(S, actC, prev + j, m);
        FloatVector dhj = FloatVector.fromArray(S, dh, s + j, m);
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector dcj = FloatVector.fromArray(S, dc, s + j, m).add(dhj.mul(go).mul(a.neg().fma(a, one)));
        dcj.mul(gg).mul(gi.neg().fma(gi, gi)).intoArray(dz, row + j, m);
        dcj.mul(FloatVector.fromArray(S, c, prev + j, m)).mul(gf.neg().fma(gf, gf)).intoArray(dz, row + units + j, m);
        dcj.mul(gi).mul(gg.neg().fma(gg, one)).intoArray(dz, row + 2 * units + j, m);
        dhj.mul(a).mul(go.neg().fma(go, go)).intoArray(dz, row + 3 * units + j, m);
        dcj.mul(gf).intoArray(dc, s + j, m);
    }

    /** True when {@link #gruBackwardRows} covers these activations (Keras's defaults); else the scalar loops run. */
    static boolean gruBackwardSupported(Activation activation, Activation recurrentActivation) {
        return activation == Activation.TANH && recurrentActivation == Activation.SIGMOID;
    }

    /**
     * One GRU (reset_after) training forward step for batch rows {@code b0..b1-1}, after {@code rec} holds
     * {@code h(t-1)·U + b_rec} for them ([batch, 3u]): z and r, the candidate, and h(t); the tape layout and float
     * operations of {@link GruKernel#forwardTrain}'s scalar loops.
     */
    static void gruForwardRows(float[] a, float[] g, float[] rec, float[] reset, float[] h, int t, int batch,
                               int units, int b0, int b1, int act, int recAct, Activation activation,
                               Activation recurrentActivation) {
        int gates = 3 * units;
        int bu = batch * units;
        for (int b = b0; b < b1; b++) {
            int row = (t * batch + b) * gates;
            int rb = b * gates;
            int rr = (t * batch + b) * units;
            int hp = t * bu + b * units;
            gruGateInputs(a, g, rec, row, rb, 2 * units);                                   // a += ĥ for z, r
            VectorMath.applyRange(recAct, recurrentActivation, g, row, row + 2 * units);
            gruCandidateInput(a, g, rec, reset, row, rb, rr, units);                        // a_h += r * ĥ_h
            VectorMath.applyRange(act, activation, g, row + 2 * units, row + 3 * units);
            gruBlend(g, h, row, hp, bu, units);                                             // h = z*h + (1-z)*hh
        }
    }

    private static void gruGateInputs(float[] a, float[] g, float[] rec, int row, int rb, int n) {
        for (int j = 0; j < n; j += L) {
            VectorMask<Float> m = S.indexInRange(j, n);
            FloatVector v = FloatVector.fromArray(S, a, row + j, m).add(FloatVector.fromArray(S, rec, rb + j, m));
            v.intoArray(a, row + j, m);
            v.intoArray(g, row + j, m);
        }
    }

    private static void gruCandidateInput(float[] a, float[] g, float[] rec, float[] reset, int row, int rb, int rr,
                                          int units) {
        for (int j = 0; j < units; j += L) {
            VectorMask<Float> m = S.indexInRange(j, units);
            FloatVector rs = FloatVector.fromArray(S, rec, rb + 2 * units + j, m);
            rs.intoArray(reset, rr + j, m);
            FloatVector r = FloatVector.fromArray(S, g, row + units + j, m);
            FloatVector v = FloatVector.fromArray(S, a, row + 2 * units + j, m).add(r.mul(rs));
            v.intoArray(a, row + 2 * units + j, m);
            v.intoArray(g, row + 2 * units + j, m);
        }
    }

    private static void gruBlend(float[] g, float[] h, int row, int hp, int bu, int units) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int j = 0; j < units; j += L) {
            VectorMask<Float> m = S.indexInRange(j, units);
            FloatVector z = FloatVector.fromArray(S, g, row + j, m);
            FloatVector hh = FloatVector.fromArray(S, g, row + 2 * units + j, m);
            z.mul(FloatVector.fromArray(S, h, hp + j, m)).add(one.sub(z).mul(hh)).intoArray(h, hp + bu + j, m);
        }
    }

    /**
     * One GRU (reset_after, tanh / sigmoid) backward step for batch rows {@code b0..b1-1}: from dh(t), the
     * pre-activation gradients of step t into {@code da} and {@code dRec}, and {@code dhNext = dh·z} (the direct
     * part of dh(t-1); the caller adds dRec·Uᵀ). The operations of {@link GruKernel#backward}'s scalar loops.
     */
    static void gruBackwardRows(float[] da, float[] g, float[] dRec, float[] reset, float[] h, float[] dh,
                                float[] dhNext, int t, int batch, int units, int b0, int b1) {
        int gates = 3 * units;
        int bu = batch * units;
        for (int b = b0; b < b1; b++) {
            int row = (t * batch + b) * gates;
            int rr = (t * batch + b) * units;
            int hp = t * bu + b * units;
            int s = b * units;
            int j = 0;
            for (; j <= units - L; j += L) {
                gruBackwardLanes(da, g, dRec, reset, h, dh, dhNext, row, rr, hp, s, units, j);
            }
            if (j < units) {
                gruBackwardTail(da, g, dRec, reset, h, dh, dhNext, row, rr, hp, s, units, j);
            }
        }
    }

    private static void gruBackwardLanes(float[] da, float[] g, float[] dRec, float[] reset, float[] h, float[] dh,
                                         float[] dhNext, int row, int rr, int hp, int s, int units, int j) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector z = FloatVector.fromArray(S, g, row + j);
        FloatVector r = FloatVector.fromArray(S, g, row + units + j);
        FloatVector hh = FloatVector.fromArray(S, g, row + 2 * units + j);
        FloatVector d = FloatVector.fromArray(S, dh, s + j);
        FloatVector daz = d.mul(FloatVector.fromArray(S, h, hp + j).sub(hh)).mul(z.neg().fma(z, z));  // σ'
        FloatVector dah = d.mul(one.sub(z)).mul(hh.neg().fma(hh, one));                                // tanh'
        d.mul(z).intoArray(dhNext, s + j);
        dah.mul(r).intoArray(dRec, row + 2 * units + j);
        FloatVector dar = dah.mul(FloatVector.fromArray(S, reset, rr + j)).mul(r.neg().fma(r, r));
        daz.intoArray(da, row + j);
        dar.intoArray(da, row + units + j);
        dah.intoArray(da, row + 2 * units + j);
        daz.intoArray(dRec, row + j);
        dar.intoArray(dRec, row + units + j);
    }

    /** {@link #gruBackwardLanes} for the last, partial vector of a row. */
    private static void gruBackwardTail(float[] da, float[] g, float[] dRec, float[] reset, float[] h, float[] dh,
                                        float[] dhNext, int row, int rr, int hp, int s, int units, int j) {
        VectorMask<Float> m = S.indexInRange(j, units);
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector z = FloatVector.fromArray(S, g, row + j, m);
        FloatVector r = FloatVector.fromArray(S, g, row + units + j, m);
        FloatVector hh = FloatVector.fromArray(S, g, row + 2 * units + j, m);
        FloatVector d = FloatVector.fromArray(S, dh, s + j, m);
        FloatVector daz = d.mul(FloatVector.fromArray(S, h, hp + j, m).sub(hh)).mul(z.neg().fma(z, z));
        FloatVector dah = d.mul(one.sub(z)).mul(hh.neg().fma(hh, one));
        d.mul(z).intoArray(dhNext, s + j, m);
        dah.mul(r).intoArray(dRec, row + 2 * units + j, m);
        FloatVector dar = dah.mul(FloatVector.fromArray(S, reset, rr + j, m)).mul(r.neg().fma(r, r));
        daz.intoArray(da, row + j, m);
        dar.intoArray(da, row + units + j, m);
        dah.intoArray(da, row + 2 * units + j, m);
        daz.intoArray(dRec, row + j, m);
        dar.intoArray(dRec, row + units + j, m);
    }
}
