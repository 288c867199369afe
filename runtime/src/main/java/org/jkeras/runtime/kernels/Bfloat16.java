package org.jkeras.runtime.kernels;

/**
 * bfloat16 weights: float32 values rounded to the 8 significand bits of bfloat16 (float32's upper 16 bits), and the
 * packed layout the batch-1 kernels read them from at half the bytes of float32.
 *
 * <p>A rounded value is still a float32 (its low 16 bits zero), so every kernel computes with it in float32 as
 * before; only the batch-1 product ({@link PackedGemm}'s one-row kernels) reads it from 16 bits, widened exactly,
 * with the same FMAs in the same order: bit for bit what the float32 kernels give on the rounded weights.
 */
public final class Bfloat16 {
    private Bfloat16() {
    }

    /**
     * {@code x} rounded to the nearest bfloat16, ties to even, as float32: what {@code keras.ops.cast(x, "bfloat16")}
     * gives (TensorFlow's and NumPy's {@code ml_dtypes} conversion). A finite value past bfloat16's largest rounds to
     * infinity; a NaN becomes the quiet NaN of its sign (never rounded into an infinity); infinities and zeros keep their sign.
     *
     * @param x any float
     * @return the bfloat16 value nearest {@code x}, widened to float32
     */
    public static float round(float x) {
        int bits = Float.floatToRawIntBits(x);
        if ((bits & 0x7F800000) == 0x7F800000 && (bits & 0x007FFFFF) != 0) {
            return Float.intBitsToFloat((bits & 0x80000000) | 0x7FC00000); // the quiet NaN Eigen's conversion gives
        }
        int rounded = bits + 0x7FFF + ((bits >>> 16) & 1);
        return Float.intBitsToFloat(rounded & 0xFFFF0000);
    }

    /**
     * A copy of {@code values} with every element {@link #round rounded}.
     *
     * @param values float32 values
     * @return a new array of the rounded values
     */
    public static float[] round(float[] values) {
        float[] r = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            r[i] = round(values[i]);
        }
        return r;
    }

    /** Whether every value is a bfloat16 already (low 16 bits zero), so its 16-bit form loses nothing. */
    static boolean exact(float[] values) {
        for (float v : values) {
            if ((Float.floatToRawIntBits(v) & 0xFFFF) != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The 16-bit form of packed panels ({@code [panels][k][panelWidth]}, every value {@link #exact}) as pairs: in
     * each group of {@code 2*lanes} floats (two float vectors), int {@code j} holds the first vector's lane {@code j}
     * in its low half and the second's in its high half. So {@code bits << 16} and {@code bits & 0xFFFF0000} give two
     * whole float vectors from one int vector load, with no lane shuffle; a panel row of {@code 4*lanes} floats is
     * two int vectors.
     *
     * @param data  packed float32 panels, a whole number of rows of {@code 2*lanes} floats
     * @param lanes floats per vector
     */
    static int[] pairs(float[] data, int lanes) {
        int[] p = new int[data.length / 2];
        for (int row = 0; row < data.length; row += 2 * lanes) {
            int at = row / 2;
            for (int j = 0; j < lanes; j++) {
                int low = Float.floatToRawIntBits(data[row + j]) >>> 16;
                int high = Float.floatToRawIntBits(data[row + lanes + j]) & 0xFFFF0000;
                p[at + j] = high | low;
            }
        }
        return p;
    }
}
