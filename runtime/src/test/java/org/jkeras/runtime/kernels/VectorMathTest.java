package org.jkeras.runtime.kernels;

import org.jkeras.runtime.tensor.Activation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * Bounds the error of the vectorized exp, sigmoid and tanh against double-precision
 * {@code java.lang.Math} on a sweep of every 2053rd float in the working range plus a fine grid
 * around zero; checks the hard sigmoids are bit-identical to the scalar {@link Activation}s and
 * that NaN propagates.
 */
class VectorMathTest {
    private static final int L = VectorMath.S.length();
    /** Bit-pattern stride of the sweep: odd, so every mantissa bit position is exercised. */
    private static final int STRIDE = Integer.getInteger("jkeras.test.sweepStride", 2053);

    /** Every 2053rd float bit pattern in [-limit, limit], and a 1e-4 grid on [-12, 12]. */
    private static float[] sweep(float limit) {
        int top = Float.floatToRawIntBits(limit);
        int count = top / STRIDE + 1;
        float[] x = new float[2 * count + 240_001];
        int i = 0;
        for (int bits = 0; bits <= top; bits += STRIDE) {
            float v = Float.intBitsToFloat(bits);
            x[i++] = v;
            x[i++] = -v;
        }
        for (int g = -120_000; g <= 120_000; g++) {
            x[i++] = g * 1e-4f;
        }
        return java.util.Arrays.copyOf(x, i);
    }

    private static float[] apply(float[] x, UnaryOperator<FloatVector> f) {
        float[] y = new float[x.length + L];
        float[] in = java.util.Arrays.copyOf(x, x.length + L);
        for (int i = 0; i < x.length; i += L) {
            f.apply(FloatVector.fromArray(VectorMath.S, in, i)).intoArray(y, i);
        }
        return y;
    }

    private static double maxRelativeError(float[] x, float[] y, DoubleUnaryOperator exact) {
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            double e = exact.applyAsDouble(x[i]);
            double err = Math.abs(y[i] - e) / Math.abs(e);
            assertTrue(err <= 1e-6 || e == 0 && y[i] == 0, "at x = " + x[i] + ": got " + y[i] + ", exact " + e);
            worst = Math.max(worst, err);
        }
        return worst;
    }

    @Test
    void expIsWithinOneMillionthRelativeOverItsRange() {
        float[] x = sweep(87.3f);
        maxRelativeError(x, apply(x, VectorMath::exp), Math::exp);
    }

    @Test
    void sigmoidIsWithinOneMillionthRelativeDownToItsDenormalRange() {
        float[] x = sweep(87f);
        maxRelativeError(x, apply(x, VectorMath::sigmoid), v -> 1 / (1 + Math.exp(-v)));
    }

    @Test
    void sigmoidAndTanhSaturateForHugeInputs() {
        float[] x = {1e30f, -1e30f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 100f, -100f, 90f, -90f};
        float[] s = apply(x, VectorMath::sigmoid);
        float[] t = apply(x, VectorMath::tanh);
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i] > 0 ? 1f : 0f, s[i], 1e-30, "sigmoid(" + x[i] + ")");
            assertEquals(Math.signum(x[i]), t[i], 1e-7, "tanh(" + x[i] + ")");
        }
    }

    @Test
    void tanhIsWithinOneMillionthRelativeEverywhere() {
        float[] x = sweep(Float.MAX_VALUE);
        maxRelativeError(x, apply(x, VectorMath::tanh), Math::tanh);
    }

    @Test
    void clampGivesWhatMaxAndMinGiveIncludingNanInfinitiesAndZeros() {
        float[] sweep = sweep(Float.MAX_VALUE);
        float[] x = java.util.Arrays.copyOf(sweep, sweep.length + 8);
        float[] extra = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, -87.3f, 88.3f, 6f};
        System.arraycopy(extra, 0, x, sweep.length, extra.length);
        float[][] bounds = {{-87.3f, 88.3f}, {-1f, 1f}, {0.5f, 6f}};
        for (float[] b : bounds) {
            float[] got = apply(x, v -> VectorMath.clamp(v, b[0], b[1]));
            float[] want = apply(x, v -> v.max(b[0]).min(b[1]));
            for (int i = 0; i < x.length; i++) {
                assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]),
                        "clamp(" + x[i] + ", " + b[0] + ", " + b[1] + ")");
            }
        }
    }

    @Test
    void nanPropagatesThroughExpSigmoidAndTanh() {
        float[] x = {Float.NaN, 1f, -1f, Float.NaN};
        for (UnaryOperator<FloatVector> f : java.util.List.<UnaryOperator<FloatVector>>of(
                VectorMath::exp, VectorMath::sigmoid, VectorMath::tanh)) {
            float[] y = apply(x, f);
            assertTrue(Float.isNaN(y[0]) && Float.isNaN(y[3]) && !Float.isNaN(y[1]));
        }
    }

    @Test
    void dispatchedActivationsMatchScalarDefinitions() {
        float[] all = sweep(20f);
        float[] x = new float[all.length / 3]; // every 3rd point (both signs): the scalar fallback is slow
        for (int i = 0; i < x.length; i++) {
            x[i] = all[3 * i];
        }
        for (Activation a : Activation.values()) {
            if (!a.isElementwise()) {
                continue;
            }
            int code = VectorMath.code(a);
            float[] y = java.util.Arrays.copyOf(x, x.length + L);
            VectorMath.applyInPlace(code, a, y, 0, y.length / L, L, 1);
            boolean exactOps = code != VectorMath.SIGMOID && code != VectorMath.TANH;
            for (int i = 0; i < x.length; i++) {
                float want = a.apply(x[i]);
                if (exactOps) {
                    // hard sigmoids, linear and the scalar fallback use the very same float operations
                    assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(y[i]), a + " at " + x[i]);
                } else {
                    assertEquals(want, y[i], 1e-6 * Math.abs(want) + 1e-37, a + " at " + x[i]);
                }
            }
        }
    }
}
