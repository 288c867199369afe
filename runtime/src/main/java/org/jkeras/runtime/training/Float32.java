package org.jkeras.runtime.training;

/**
 * Float32 arithmetic as TensorFlow's CPU kernels do it. Java float {@code + - * /} already are
 * IEEE float32 operations (never fused); this adds the elementary functions, each computed in
 * double and rounded once, which gives the correctly rounded float32 result in all but rare
 * ties (TensorFlow's own float32 kernels are within an ulp of that).
 */
public final class Float32 {
    private Float32() {
    }

    /** {@code b^e} in float32. */
    public static float pow(float b, float e) {
        return (float) Math.pow(b, e);
    }

    /** Square root in float32 (correctly rounded). */
    public static float sqrt(float x) {
        return (float) Math.sqrt(x);
    }

    /** Natural logarithm in float32. */
    public static float log(float x) {
        return (float) Math.log(x);
    }

    /** {@code log(1 + x)} in float32. */
    public static float log1p(float x) {
        return (float) Math.log1p(x);
    }

    /** {@code e^x} in float32. */
    public static float exp(float x) {
        return (float) Math.exp(x);
    }

    /** Cosine in float32. */
    public static float cos(float x) {
        return (float) Math.cos(x);
    }

    /**
     * Sum of {@code n} values from {@code offset}, accumulated in double and rounded once: the
     * float32 sum TensorFlow's reductions approximate (they differ by their own rounding only).
     */
    public static float sum(float[] a, int offset, int n) {
        double s = 0;
        for (int i = offset; i < offset + n; i++) {
            s += a[i];
        }
        return (float) s;
    }

    /**
     * Sum of squares of {@code a}: each square rounded to float32 (TensorFlow squares first, as
     * its own op), the sum accumulated in double and rounded once.
     */
    public static float sumOfSquares(float[] a) {
        double s = 0;
        for (float v : a) {
            float sq = v * v;
            s += sq;
        }
        return (float) s;
    }

    /** TensorFlow's {@code div_no_nan}: {@code x / y}, or 0 when {@code y == 0}. */
    public static float divNoNan(float x, float y) {
        return y == 0f ? 0f : x / y;
    }
}
