package org.jkeras.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.jkeras.runtime.kernels.BatchOneAgreement.random;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The batch-1 kernels over aligned off-heap weights ({@link AlignedWeights}): loaded on Java 22 and later, read from
 * the copy (not the heap array), and bit for bit the heap kernels' results, which are pinned to a double-precision
 * product. On Java 21 (scripts/java21-tests.sh runs the tests there too) there are no copies: every matrix stays on
 * the heap and the heap kernels run.
 */
class AlignedWeightsTest {
    private static final int PW = PackedGemm.panelWidth();
    private static final boolean JAVA_22 = Runtime.version().feature() >= 22;

    @Test
    void onJava22AndLaterTheAlignedKernelsAreLoadedOnJava21NothingIsCopied() {
        if (!JAVA_22) {
            assertNull(AlignedWeights.INSTANCE, "Java " + Runtime.version());
            assertFalse(org.jkeras.runtime.Simd.alignedWeights());
            assertFalse(Kernels.description().contains("aligned off-heap weights"), Kernels.description());
            PackedMatrix plain = PackedMatrix.pack(notBfloat16(PW * 3), 0, 3, PW, PW);
            assertSame(plain, plain.aligned());
            return;
        }
        // the build runs its tests on JDK 25 with the Vector API module in both passes
        assertNotNull(AlignedWeights.INSTANCE, "Java " + Runtime.version());
        // the layers make the copies on the Vector API kernels only (the scalar ones pack nothing)
        assertEquals(Kernels.vectorized(), org.jkeras.runtime.Simd.alignedWeights());
        assertEquals(Kernels.vectorized(), Kernels.description().contains("aligned off-heap weights"));
        PackedMatrix plain = PackedMatrix.pack(notBfloat16(PW * 3), 0, 3, PW, PW);
        assertNull(plain.alignedData());
        PackedMatrix aligned = plain.aligned();
        assertNotSame(plain, aligned);
        assertNotNull(aligned.alignedData());
        assertSame(aligned, aligned.aligned(), "aligning twice copies once");
        assertSame(plain.data(), aligned.data(), "the heap data is shared, not copied");
    }

    @Test
    void matricesOfAnotherPanelWidthOrOverTheCapStayOnTheHeap() {
        PackedMatrix other = PackedMatrix.pack(notBfloat16(2 * PW * 3), 0, 3, 2 * PW, 2 * PW);
        assertSame(other, other.aligned());
        int rows = PackedMatrix.MAX_ALIGNED_FLOATS / PW;
        PackedMatrix atCap = PackedMatrix.pack(notBfloat16(rows * PW), 0, rows, PW, PW);
        assertEquals(JAVA_22, atCap != atCap.aligned(), "copied at the cap on Java 22+ only");
        PackedMatrix over = PackedMatrix.pack(notBfloat16((rows + 1) * PW), 0, rows + 1, PW, PW);
        assertSame(over, over.aligned(), "a large model's weights are not held twice");
    }

    @ParameterizedTest(name = "k={0} n={1}")
    @CsvSource({"1,1", "3,16", "7,64", "64,256", "64,257", "129,320", "17,200", "256,1024"})
    void alignedAndHeapKernelsAgreeBitForBit(int k, int n) {
        Random r = new Random(31L * k + n);
        float[] b = random(r, k * n);
        PackedMatrix plain = PackedMatrix.pack(b, 0, k, n, PW);
        BatchOneAgreement.assertAgree(r, b, k, n, plain, plain.aligned());
    }

    @Test
    void theKernelsReadTheAlignedCopy() {
        int k = 5;
        Random r = new Random(3);
        PackedMatrix plain = PackedMatrix.pack(random(r, k * 2 * PW), 0, k, 2 * PW, PW);
        PackedMatrix aligned = plain.aligned();
        float[] a = random(r, k);
        float[] before = new float[2 * PW];
        PackedGemm.rowPanels(a, 0, aligned, 0, 2, new float[2 * PW], 0, before, 0);
        plain.data()[0] += 1f; // packed data is never changed in use: this only shows which copy is read
        float[] heap = new float[2 * PW];
        float[] copy = new float[2 * PW];
        PackedGemm.rowPanels(a, 0, plain, 0, 2, new float[2 * PW], 0, heap, 0);
        PackedGemm.rowPanels(a, 0, aligned, 0, 2, new float[2 * PW], 0, copy, 0);
        assertFalse(Arrays.equals(before, heap), "the heap kernel sees the change");
        if (JAVA_22) {
            assertArrayEquals(before, copy, "the aligned kernel reads its own copy");
        } else {
            assertArrayEquals(heap, copy, "Java 21: aligned() is the heap matrix itself");
        }
    }

    /** Values that are not bfloat16 (a zero matrix is, and gets the 16-bit copy instead: Bfloat16Test). */
    private static float[] notBfloat16(int n) {
        float[] v = new float[n];
        Arrays.fill(v, 0.1f);
        return v;
    }
}
