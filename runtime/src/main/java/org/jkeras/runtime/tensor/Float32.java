package org.jkeras.runtime.tensor;

/**
 * Float32 arithmetic as TensorFlow's CPU kernels do it. Java float {@code + - * /} already are
 * IEEE float32 operations (never fused); this adds the elementary functions, each computed in
 * double and rounded once, which gives the correctly rounded float32 result in all but rare
 * ties (TensorFlow's own float32 kernels are within an ulp of that).
 */
public final class Float32 {
    private Float32() {
    }

    /**
     * {@code b^e} in float32.
     *
     * @param b the base
     * @param e the exponent
     * @return {@code b^e} computed in double, rounded to float32 (NaN for a negative base and non-integer exponent)
     */
    public static float pow(float b, float e) {
        return (float) Math.pow(b, e);
    }

    /**
     * Square root in float32 (correctly rounded).
     *
     * @param x the operand; negative gives NaN
     * @return the float32 square root of {@code x}
     */
    public static float sqrt(float x) {
        return (float) Math.sqrt(x);
    }

    /**
     * Natural logarithm in float32.
     *
     * @param x the operand; 0 gives negative infinity, a negative value NaN
     * @return {@code ln(x)} rounded to float32
     */
    public static float log(float x) {
        return (float) Math.log(x);
    }

    /**
     * {@code log(1 + x)} in float32.
     *
     * @param x the operand, {@code > -1} for a finite result
     * @return {@code ln(1 + x)} rounded to float32, accurate for {@code x} near 0
     */
    public static float log1p(float x) {
        return (float) Math.log1p(x);
    }

    /**
     * {@code e^x} in float32.
     *
     * @param x the exponent
     * @return {@code e^x} rounded to float32; overflows to infinity above about 88.7
     */
    public static float exp(float x) {
        return (float) Math.exp(x);
    }

    /**
     * Cosine in float32.
     *
     * @param x the angle in radians
     * @return {@code cos(x)} rounded to float32
     */
    public static float cos(float x) {
        return (float) Math.cos(x);
    }

    /**
     * Sum of {@code n} values from {@code offset}, accumulated in double and rounded once: the
     * float32 sum TensorFlow's reductions approximate (they differ by their own rounding only).
     *
     * @param a the values
     * @param offset the index of the first value summed
     * @param n how many consecutive values to sum
     * @return the sum rounded to float32; 0 for {@code n == 0}
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
     *
     * @param a the values
     * @return the sum of the float32 squares, rounded to float32; 0 for an empty array
     */
    public static float sumOfSquares(float[] a) {
        double s = 0;
        for (float v : a) {
            float sq = v * v;
            s += sq;
        }
        return (float) s;
    }

    /**
     * TensorFlow's {@code div_no_nan}: {@code x / y}, or 0 when {@code y == 0}.
     *
     * @param x the numerator
     * @param y the denominator
     * @return {@code x / y} in float32, or 0 when {@code y} is 0 (even if {@code x} is 0 or NaN)
     */
    public static float divNoNan(float x, float y) {
        return y == 0f ? 0f : x / y;
    }
}
