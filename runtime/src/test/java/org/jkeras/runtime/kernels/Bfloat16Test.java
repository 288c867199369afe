package org.jkeras.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.jkeras.runtime.kernels.BatchOneAgreement.assertBitsEqual;
import static org.jkeras.runtime.kernels.BatchOneAgreement.random;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * bfloat16 kernels: the rounding (ties to even, as Keras's cast; the precision fixtures check it against Keras on
 * real weights) and the batch-1 kernels over the 16-bit copy, bit for bit the float32 kernels on the same values.
 */
class Bfloat16Test {
    private static final int PW = PackedGemm.panelWidth();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "3F800000, 3F800000", // 1 is a bfloat16
        "3F808000, 3F800000", // halfway between 1 and the next bfloat16: to the even one below
        "3F818000, 3F820000", // halfway, odd below: up to the even one
        "3F808001, 3F810000", // past halfway: up
        "3F807FFF, 3F800000", // short of halfway: down
        "BF818000, BF820000", // the sign does not change the rounding of the magnitude
        "7F7FFFFF, 7F800000", // the largest float rounds past the largest bfloat16: infinity
        "FF7FFFFF, FF800000",
        "7F800000, 7F800000", // infinities stay
        "FF800000, FF800000",
        "7F800001, 7FC00000", // a signalling NaN whose payload would round into infinity: quiet NaN
        "FF800001, FFC00000",
        "7FC12345, 7FC00000",
        "80000000, 80000000", // -0 keeps its sign
        "00000001, 00000000", // the smallest subnormal: to zero
        "00018000, 00020000", // subnormals round like the rest
        "00008000, 00000000",
    })
    void roundsToNearestEven(String in, String out) {
        float x = Float.intBitsToFloat(Integer.parseUnsignedInt(in, 16));
        assertEquals(out, String.format("%08X", Float.floatToRawIntBits(Bfloat16.round(x))));
    }

    @Test
    void exactValuesGetTheSixteenBitCopyOthersDoNot() {
        Random r = new Random(5);
        float[] values = random(r, 3 * PW);
        PackedMatrix plain = PackedMatrix.pack(values, 0, 3, PW, PW);
        assertNull(plain.aligned().pairs(), "float32 values keep float32");
        PackedMatrix rounded = PackedMatrix.pack(Bfloat16.round(values), 0, 3, PW, PW).aligned();
        assertNotNull(rounded.pairs());
        assertNull(rounded.alignedData(), "no aligned float32 copy beside the 16-bit one");
        assertSame(rounded, rounded.aligned(), "copied once");
        assertEquals(rounded.data().length / 2, rounded.pairs().length, "half the floats' bytes");
        PackedMatrix other = PackedMatrix.pack(Bfloat16.round(random(r, 6 * PW)), 0, 3, 2 * PW, 2 * PW);
        assertSame(other, other.aligned(), "another panel width than the kernels'");
    }

    @ParameterizedTest(name = "k={0} n={1}")
    @CsvSource({"1,1", "3,16", "7,64", "64,256", "64,257", "129,320", "17,200", "256,1024", "40,192"})
    void sixteenBitAndFloat32KernelsAgreeBitForBit(int k, int n) {
        Random r = new Random(17L * k + n);
        float[] b = Bfloat16.round(random(r, k * n));
        PackedMatrix heap = PackedMatrix.pack(b, 0, k, n, PW);
        PackedMatrix half = PackedMatrix.pack(b, 0, k, n, PW).aligned();
        assertNotNull(half.pairs());
        BatchOneAgreement.assertAgree(r, b, k, n, heap, half);
        float[] bias = random(r, n + 1);
        if (k > 1) { // more rows than one take the batch kernels over the float32 values
            float[] rows = random(r, 2 * k);
            float[] c1 = new float[2 * n];
            float[] c2 = new float[2 * n];
            PackedGemm.multiply(rows, 0, k, 2, heap, bias, 1, 0, c1, 0, n);
            PackedGemm.multiply(rows, 0, k, 2, half, bias, 1, 0, c2, 0, n);
            assertBitsEqual(c1, c2);
        }
    }

    @Test
    void theBatchOneKernelsReadTheSixteenBitCopy() {
        int k = 5;
        Random r = new Random(3);
        PackedMatrix half = PackedMatrix.pack(Bfloat16.round(random(r, k * 2 * PW)), 0, k, 2 * PW, PW).aligned();
        float[] a = random(r, k);
        float[] before = new float[2 * PW];
        PackedGemm.rowPanels(a, 0, half, 0, 2, new float[2 * PW], 0, before, 0);
        half.data()[0] += 1f; // packed data is never changed in use: this only shows which copy is read
        float[] after = new float[2 * PW];
        PackedGemm.rowPanels(a, 0, half, 0, 2, new float[2 * PW], 0, after, 0);
        assertArrayEquals(before, after, "the 16-bit kernel reads its own copy");
        PackedGemm.multiply(a, 0, k, 1, half, new float[2 * PW], 0, 0, after, 0, 2 * PW);
        assertArrayEquals(before, after, "and so does the one-row product");
        float[] heap = new float[2 * PW];
        PackedGemm.multiply(a, 0, k, 1, PackedMatrix.pack(half.unpack(), 0, k, 2 * PW, PW), new float[2 * PW], 0, 0,
                heap, 0, 2 * PW);
        assertFalse(Arrays.equals(before, heap), "the float32 kernel sees the change");
    }

}
