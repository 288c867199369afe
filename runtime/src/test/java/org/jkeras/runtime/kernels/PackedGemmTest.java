package org.jkeras.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins the packed, register-blocked GEMM to the scalar reference and a double-precision product on
 * odd sizes (1, primes, around the panel width of 4 vectors), strided rows, a bias row as the
 * initial value and in-place accumulation, and checks that nothing outside C's rows and columns moves.
 */
class PackedGemmTest {
    private static final int PW = PackedGemm.panelWidth();

    static Stream<Arguments> sizes() {
        int[] dims = {1, 2, 3, 5, 7, 13, 17, PW - 1, PW, PW + 1, 2 * PW + 3, 67, 97};
        Random r = new Random(77);
        List<Arguments> list = new ArrayList<>();
        for (int i = 0; i < 48; i++) {
            int m = i < dims.length ? dims[i] : 1 + r.nextInt(70);
            int k = dims[(i * 5 + 2) % dims.length];
            int n = i < dims.length ? dims[dims.length - 1 - i] : 1 + r.nextInt(3 * PW);
            list.add(Arguments.of(m, k, n, i % 3, 1000L + i));
        }
        list.add(Arguments.of(64, 256, 1024, 1, 5L));
        list.add(Arguments.of(1, 129, 4 * 129, 2, 6L));
        return list.stream();
    }

    /** initMode 0: bias row (ldInit 0); 1: separate init matrix; 2: accumulate in C itself. */
    @ParameterizedTest(name = "m={0} k={1} n={2} initMode={3}")
    @MethodSource("sizes")
    void packedGemmMatchesScalarAndDoublePrecision(int m, int k, int n, int initMode, long seed) {
        Random r = new Random(seed);
        int lda = k + r.nextInt(3);   // strided A rows, as the LSTM reads x[b, t] across a batch
        int ldc = n + r.nextInt(3);
        int aOff = r.nextInt(4);
        int cOff = r.nextInt(4);
        float[] a = random(r, aOff + m * lda + 3);
        float[] b = random(r, k * n);
        float[] c0 = random(r, cOff + m * ldc + 3);
        float[] init;
        int initOff;
        int ldInit;
        switch (initMode) {
            case 0 -> { init = random(r, n + 2); initOff = 2; ldInit = 0; }
            case 1 -> { init = random(r, 1 + m * n); initOff = 1; ldInit = n; }
            default -> { init = null; initOff = cOff; ldInit = ldc; }
        }
        float[] packedOut = c0.clone();
        PackedGemm.multiply(a, aOff, lda, m, PackedMatrix.pack(b, 0, k, n, PW),
                init == null ? packedOut : init, initOff, ldInit, packedOut, cOff, ldc);

        // Scalar reference on contiguous copies.
        float[] ac = new float[m * k];
        float[] cs = new float[m * n];
        for (int i = 0; i < m; i++) {
            System.arraycopy(a, aOff + i * lda, ac, i * k, k);
            float[] src = init == null ? c0 : init;
            System.arraycopy(src, initOff + i * ldInit, cs, i * n, n);
        }
        ScalarGemm.INSTANCE.multiply(ac, 0, b, 0, cs, 0, m, k, n, true);

        float[] expectedWhole = c0.clone();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double exact = (init == null ? c0 : init)[initOff + i * ldInit + j];
                double magnitude = Math.abs(exact);
                for (int p = 0; p < k; p++) {
                    double term = (double) ac[i * k + p] * b[p * n + j];
                    exact += term;
                    magnitude += Math.abs(term);
                }
                double allowed = 1e-5 * magnitude + 1e-30;
                float got = packedOut[cOff + i * ldc + j];
                String where = "C[" + i + "," + j + "]";
                assertTrue(Math.abs(got - exact) <= allowed, where + " = " + got + ", exact " + exact);
                assertTrue(Math.abs(got - cs[i * n + j]) <= allowed, where + " = " + got + ", scalar " + cs[i * n + j]);
                expectedWhole[cOff + i * ldc + j] = got;
            }
        }
        // Row padding (ldc > n), offsets and the tail beyond C are untouched.
        assertEquals(Arrays.toString(expectedWhole), Arrays.toString(packedOut));
    }

    /**
     * Each element is one FMA chain in k order whatever micro-kernel (4, 2 or 1 rows) computes it, so a row's result
     * is bit-identical whether it is multiplied alone or among any number of rows (what lets the batch split between
     * threads and the row blocking change nothing), also when the batch product splits k into blocks and the single
     * row does not; also for the panel ranges GRU uses.
     */
    @ParameterizedTest(name = "m={0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 17, 32, 64})
    void rowsAreBitIdenticalWhateverTheRowBlock(int m) {
        for (int k : new int[] {37, 2 * PackedGemm.K_BLOCK_FLOATS / PW + 5}) { // unblocked, then in 3 blocks of k
            rowsAreBitIdentical(m, k);
        }
    }

    private static void rowsAreBitIdentical(int m, int k) {
        Random r = new Random(4242 + m);
        int n = 3 * PW;
        float[] a = random(r, m * k);
        PackedMatrix b = PackedMatrix.pack(random(r, k * n), 0, k, n, PW);
        float[] bias = random(r, n);
        float[] together = new float[m * n];
        PackedGemm.multiply(a, 0, k, m, b, bias, 0, 0, together, 0, n);
        float[] alone = new float[m * n];
        for (int i = 0; i < m; i++) {
            PackedGemm.multiply(a, i * k, k, 1, b, bias, 0, 0, alone, i * n, n);
        }
        assertEquals(Arrays.toString(alone), Arrays.toString(together));
        float[] ranged = new float[m * n];
        PackedGemm.multiplyPanels(a, 0, k, m, b, 0, 1, bias, 0, 0, ranged, 0, n);
        PackedGemm.multiplyPanels(a, 0, k, m, b, 1, 3, bias, 0, 0, ranged, 0, n);
        assertEquals(Arrays.toString(together), Arrays.toString(ranged));
    }

    @Test
    void smallProductByHandWithBiasRow() {
        // [[1, 2], [3, 4]] · [[5, 6, 7], [8, 9, 10]] + [1, 2, 3] = [[22, 26, 30], [48, 56, 64]]
        PackedMatrix b = PackedMatrix.pack(new float[] {5, 6, 7, 8, 9, 10}, 0, 2, 3, PW);
        float[] c = new float[6];
        PackedGemm.multiply(new float[] {1, 2, 3, 4}, 0, 2, 2, b, new float[] {1, 2, 3}, 0, 0, c, 0, 3);
        assertEquals("[22.0, 26.0, 30.0, 48.0, 56.0, 64.0]", Arrays.toString(c));
    }

    @Test
    void matrixPackedForAnotherPanelWidthIsRefused() {
        PackedMatrix b = PackedMatrix.pack(new float[] {1}, 0, 1, 1, PW + 1);
        assertThrows(IllegalArgumentException.class,
                () -> PackedGemm.multiply(new float[] {1}, 0, 1, 1, b, new float[PW + 1], 0, 0, new float[1], 0, 1));
    }

    static float[] random(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextGaussian() * (r.nextInt(4) == 0 ? 10 : 1));
        }
        return x;
    }
}
