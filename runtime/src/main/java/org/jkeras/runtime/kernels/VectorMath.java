package org.jkeras.runtime.kernels;

import org.jkeras.runtime.tensor.Activation;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Lanewise float32 exp, sigmoid and tanh on the Vector API for the LSTM gates, plus the
 * dispatch from {@link Activation} to them.
 *
 * <p>Own approximations (Cephes's {@code expf} polynomial, a rational function for tanh) rather than
 * {@code VectorOperators.EXP/TANH}: they inline into the gate loop, cost ~15 vector ops, and behave the same on
 * every platform (the SVML stubs exist only on x86). Relative error against double-precision {@code Math}
 * is below 1e-6 over the whole float range ({@code VectorMathTest} sweeps it); NaN propagates.
 * Hard sigmoids use the same float operations as {@link Activation}, so they are bit-identical.
 */
final class VectorMath {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** Activation codes: the switch in {@link #apply} is cheaper than enum virtual dispatch per vector. */
    static final int GENERIC = 0;
    static final int SIGMOID = 1;
    static final int TANH = 2;
    static final int HARD_SIGMOID = 3;
    static final int HARD_SIGMOID_LEGACY = 4;
    static final int LINEAR = 5;

    private static final float EXP_HI = 88.3f;     // exp(88.3) * 1.42 < Float.MAX_VALUE
    private static final float EXP_LO = -87.3f;    // 2^round(-87.3 / ln 2) = 2^-126 is still normal
    private static final float LOG2E = 1.44269504088896341f;
    private static final float ROUND_MAGIC = 12582912f; // 1.5 * 2^23: adding it rounds to an integer
    private static final int ROUND_MAGIC_BITS = Float.floatToRawIntBits(ROUND_MAGIC);
    private static final float LN2_HI = 0.693359375f;   // Cody-Waite split of ln 2
    private static final float LN2_LO = -2.12194440e-4f;

    private VectorMath() {
    }

    static int code(Activation a) {
        return switch (a) {
            case SIGMOID -> SIGMOID;
            case TANH -> TANH;
            case HARD_SIGMOID -> HARD_SIGMOID;
            case HARD_SIGMOID_LEGACY -> HARD_SIGMOID_LEGACY;
            case LINEAR -> LINEAR;
            default -> GENERIC;
        };
    }

    /**
     * The activation with code {@code code} (from {@link #code}) in place on {@code width} adjacent
     * vectors at {@code off}, {@code off + stride}, ... ({@code count} times); GENERIC goes through
     * {@code act}'s scalar definition. Each function has its own loop method so that C2 inlines
     * exactly one expansion per compiled loop.
     */
    static void applyInPlace(int code, Activation act, float[] x, int off, int count, int stride, int width) {
        int end = off + count * stride;
        int span = width * S.length();
        switch (code) {
            case SIGMOID -> sigmoidLoop(x, off, end, stride, span);
            case TANH -> tanhLoop(x, off, end, stride, span);
            case HARD_SIGMOID -> hardSigmoidLoop(x, off, end, stride, span);
            case HARD_SIGMOID_LEGACY -> hardSigmoidLegacyLoop(x, off, end, stride, span);
            case LINEAR -> {
            }
            default -> {
                for (int i = off; i < end; i += stride) {
                    for (int l = i; l < i + span; l++) {
                        x[l] = act.apply(x[l]);
                    }
                }
            }
        }
    }

    private static void sigmoidLoop(float[] x, int off, int end, int stride, int span) {
        for (int i = off; i < end; i += stride) {
            for (int v = i; v < i + span; v += S.length()) {
                sigmoid(FloatVector.fromArray(S, x, v)).intoArray(x, v);
            }
        }
    }

    private static void tanhLoop(float[] x, int off, int end, int stride, int span) {
        for (int i = off; i < end; i += stride) {
            for (int v = i; v < i + span; v += S.length()) {
                tanh(FloatVector.fromArray(S, x, v)).intoArray(x, v);
            }
        }
    }

    private static void hardSigmoidLoop(float[] x, int off, int end, int stride, int span) {
        for (int i = off; i < end; i += stride) {
            for (int v = i; v < i + span; v += S.length()) {
                hardSigmoid(FloatVector.fromArray(S, x, v)).intoArray(x, v);
            }
        }
    }

    private static void hardSigmoidLegacyLoop(float[] x, int off, int end, int stride, int span) {
        for (int i = off; i < end; i += stride) {
            for (int v = i; v < i + span; v += S.length()) {
                hardSigmoidLegacy(FloatVector.fromArray(S, x, v)).intoArray(x, v);
            }
        }
    }

    /**
     * The activation with code {@code code} in place on the contiguous range {@code x[from..to)}, whatever its
     * length: whole vectors, then one masked vector for the rest, so every element goes through the same
     * vector function (GENERIC goes through {@code act}'s scalar definition). One loop method per function,
     * as in {@link #applyInPlace}.
     */
    static void applyRange(int code, Activation act, float[] x, int from, int to) {
        switch (code) {
            case SIGMOID -> sigmoidRange(x, from, to);
            case TANH -> tanhRange(x, from, to);
            case HARD_SIGMOID -> hardSigmoidRange(x, from, to);
            case HARD_SIGMOID_LEGACY -> hardSigmoidLegacyRange(x, from, to);
            case LINEAR -> {
            }
            default -> {
                for (int i = from; i < to; i++) {
                    x[i] = act.apply(x[i]);
                }
            }
        }
    }

    private static void sigmoidRange(float[] x, int from, int to) {
        int i = from;
        for (; i <= to - S.length(); i += S.length()) {
            sigmoid(FloatVector.fromArray(S, x, i)).intoArray(x, i);
        }
        if (i < to) {
            sigmoidTail(x, i, to);
        }
    }

    private static void sigmoidTail(float[] x, int i, int to) {
        VectorMask<Float> m = S.indexInRange(i, to);
        sigmoid(FloatVector.fromArray(S, x, i, m)).intoArray(x, i, m);
    }

    private static void tanhRange(float[] x, int from, int to) {
        int i = from;
        for (; i <= to - S.length(); i += S.length()) {
            tanh(FloatVector.fromArray(S, x, i)).intoArray(x, i);
        }
        if (i < to) {
            tanhTail(x, i, to);
        }
    }

    private static void tanhTail(float[] x, int i, int to) {
        VectorMask<Float> m = S.indexInRange(i, to);
        tanh(FloatVector.fromArray(S, x, i, m)).intoArray(x, i, m);
    }

    private static void hardSigmoidRange(float[] x, int from, int to) {
        for (int i = from; i < to; i += S.length()) {
            VectorMask<Float> m = S.indexInRange(i, to);
            hardSigmoid(FloatVector.fromArray(S, x, i, m)).intoArray(x, i, m);
        }
    }

    private static void hardSigmoidLegacyRange(float[] x, int from, int to) {
        for (int i = from; i < to; i += S.length()) {
            VectorMask<Float> m = S.indexInRange(i, to);
            hardSigmoidLegacy(FloatVector.fromArray(S, x, i, m)).intoArray(x, i, m);
        }
    }

    /** Keras 3's relu6(x + 3) / 6 with {@link Activation#HARD_SIGMOID}'s float operations. */
    static FloatVector hardSigmoid(FloatVector v) {
        return clamp(v.add(3f), 0f, 6f).div(6f);
    }

    /** Keras 1/2's clip(0.2x + 0.5, 0, 1) with {@link Activation#HARD_SIGMOID_LEGACY}'s float operations. */
    static FloatVector hardSigmoidLegacy(FloatVector v) {
        return clamp(v.mul(0.2f).add(0.5f), 0f, 1f);
    }

    /**
     * v limited to [lo, hi] by compare and blend rather than {@code max(lo).min(hi)}: Java's max and min order NaN
     * and -0.0 against 0.0, which costs C2 several instructions each (sigmoid 8.1 → 5.2 ns per 16 lanes, AVX-512
     * Xeon). NaN stays NaN (no comparison holds), so the values are max/min's for every v but a zero against a zero
     * bound: -0.0 stays -0.0 where {@code max(0f)} gives 0.0 (and 0.0 where {@code min(-0f)} gives -0.0). No caller
     * has such a pair: its bounds are not zero, or its v is a sum with a non-zero constant, never -0.0.
     */
    static FloatVector clamp(FloatVector v, float lo, float hi) {
        FloatVector low = v.blend(lo, v.lt(lo));
        return low.blend(hi, low.compare(VectorOperators.GT, hi));
    }

    /** e^x: round x/ln2 to n, reduce r = x - n ln2 (|r| <= ln2/2), degree-7 polynomial, scale by 2^n. */
    static FloatVector exp(FloatVector x) {
        FloatVector xc = clamp(x, EXP_LO, EXP_HI);
        FloatVector t = xc.fma(LOG2E, ROUND_MAGIC);
        FloatVector n = t.sub(ROUND_MAGIC);
        FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HI), xc);
        r = n.fma(FloatVector.broadcast(S, -LN2_LO), r);
        FloatVector p = r.fma(1.9875691500e-4f, 1.3981999507e-3f);
        p = p.fma(r, FloatVector.broadcast(S, 8.3334519073e-3f));
        p = p.fma(r, FloatVector.broadcast(S, 4.1665795894e-2f));
        p = p.fma(r, FloatVector.broadcast(S, 1.6666665459e-1f));
        p = p.fma(r, FloatVector.broadcast(S, 5.0000001201e-1f));
        FloatVector y = p.fma(r.mul(r), r).add(1f);
        // × 2^23, not << 23 (the same bits): Java 21's C2 leaves the reinterpretAsFloats of a shifted vector
        // un-intrinsified inside tanh, boxing 2.8 KB per S1 step; JDK 25 runs both alike (S1, S2 within noise)
        IntVector e = t.reinterpretAsInts().sub(ROUND_MAGIC_BITS - 127).mul(1 << 23);
        return y.mul(e.reinterpretAsFloats());
    }

    /** 1 / (1 + e^-x). */
    static FloatVector sigmoid(FloatVector x) {
        return FloatVector.broadcast(S, 1f).div(exp(x.neg()).add(1f));
    }

    /**
     * tanh as x·P(x²)/Q(x²), a 13/6-degree rational interpolant (the coefficients of Eigen's
     * {@code generic_fast_tanh_float}) on x clamped to [-9, 9], where float32's tanh is already ±1. One division and
     * no second branch: the exp-based form for large |x| blended with a polynomial for small |x| cost about twice
     * the operations. x multiplies last, so tiny and subnormal x keep their precision; NaN stays NaN (the clamp's
     * comparisons fail), -0.0 stays -0.0.
     */
    static FloatVector tanh(FloatVector x) {
        FloatVector xc = clamp(x, -9f, 9f);
        FloatVector z = xc.mul(xc);
        FloatVector p = z.fma(-2.76076847742355e-16f, 2.00018790482477e-13f);
        p = p.fma(z, FloatVector.broadcast(S, -8.60467152213735e-11f));
        p = p.fma(z, FloatVector.broadcast(S, 5.12229709037114e-08f));
        p = p.fma(z, FloatVector.broadcast(S, 1.48572235717979e-05f));
        p = p.fma(z, FloatVector.broadcast(S, 6.37261928875436e-04f));
        p = p.fma(z, FloatVector.broadcast(S, 4.89352455891786e-03f));
        FloatVector q = z.fma(1.19825839466702e-06f, 1.18534705686654e-04f);
        q = q.fma(z, FloatVector.broadcast(S, 2.26843463243900e-03f));
        q = q.fma(z, FloatVector.broadcast(S, 4.89352518554385e-03f));
        return xc.mul(p.div(q));
    }
}
