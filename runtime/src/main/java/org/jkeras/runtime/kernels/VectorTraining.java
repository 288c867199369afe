package org.jkeras.runtime.kernels;

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
}
