package org.jkeras.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * Pins both GEMMs to an independent double-precision triple loop, and the vector one to the
 * scalar one, over odd sizes (primes, around the vector width), offsets and accumulation.
 */
class GemmTest {
    private static final int SENTINEL_PAD = 5;

    static Stream<Arguments> sizes() {
        int[] dims = {1, 2, 3, 7, 8, 13, 16, 17, 31, 33, 47, 64, 67, 70};
        Random r = new Random(20240611);
        List<Arguments> list = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int m = i < 14 ? dims[i] : 1 + r.nextInt(70);
            int k = dims[(i * 5 + 3) % dims.length];
            int n = i < 14 ? dims[13 - i] : 1 + r.nextInt(70);
            list.add(Arguments.of(m, k, n, r.nextInt(9), r.nextInt(9), r.nextInt(9), i % 2 == 0, 1000L + i));
        }
        return list.stream();
    }

    @ParameterizedTest(name = "m={0} k={1} n={2} offsets=({3},{4},{5}) accumulate={6}")
    @MethodSource("sizes")
    void vectorAndScalarGemmMatchDoublePrecisionProduct(int m, int k, int n, int aOff, int bOff, int cOff,
                                                        boolean accumulate, long seed) {
        Random r = new Random(seed);
        float[] a = random(r, aOff + m * k + SENTINEL_PAD);
        float[] b = random(r, bOff + k * n + SENTINEL_PAD);
        float[] c0 = random(r, cOff + m * n + SENTINEL_PAD);
        float[] scalar = c0.clone();
        float[] vector = c0.clone();
        ScalarGemm.INSTANCE.multiply(a, aOff, b, bOff, scalar, cOff, m, k, n, accumulate);
        VectorGemm.INSTANCE.multiply(a, aOff, b, bOff, vector, cOff, m, k, n, accumulate);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double exact = accumulate ? c0[cOff + i * n + j] : 0;
                double magnitude = Math.abs(exact);
                for (int p = 0; p < k; p++) {
                    double term = (double) a[aOff + i * k + p] * b[bOff + p * n + j];
                    exact += term;
                    magnitude += Math.abs(term);
                }
                // float32 summation error grows with the sum of |terms|, not with the (possibly cancelled) result.
                double allowed = 1e-5 * magnitude + 1e-30;
                int at = cOff + i * n + j;
                String where = "C[" + i + "," + j + "]";
                assertTrue(Math.abs(scalar[at] - exact) <= allowed, "scalar " + where + " = " + scalar[at] + ", exact " + exact);
                assertTrue(Math.abs(vector[at] - exact) <= allowed, "vector " + where + " = " + vector[at] + ", exact " + exact);
                assertTrue(Math.abs(vector[at] - scalar[at]) <= allowed, "vector vs scalar " + where);
            }
        }
        // Outside C's window nothing may change.
        for (float[] out : List.of(scalar, vector)) {
            assertEquals(Arrays.toString(Arrays.copyOfRange(c0, 0, cOff)), Arrays.toString(Arrays.copyOfRange(out, 0, cOff)));
            assertEquals(Arrays.toString(Arrays.copyOfRange(c0, cOff + m * n, c0.length)),
                    Arrays.toString(Arrays.copyOfRange(out, cOff + m * n, out.length)));
        }
    }

    @Test
    void smallProductByHand() {
        // [[1, 2], [3, 4]] · [[5, 6, 7], [8, 9, 10]] = [[21, 24, 27], [47, 54, 61]]
        float[] a = {1, 2, 3, 4};
        float[] b = {5, 6, 7, 8, 9, 10};
        for (Gemm g : List.of(ScalarGemm.INSTANCE, VectorGemm.INSTANCE)) {
            float[] c = {100, 100, 100, 100, 100, 100};
            g.multiply(a, 0, b, 0, c, 0, 2, 2, 3, false);
            assertEquals("[21.0, 24.0, 27.0, 47.0, 54.0, 61.0]", Arrays.toString(c), g.getClass().getSimpleName());
            g.multiply(a, 0, b, 0, c, 0, 2, 2, 3, true);
            assertEquals("[42.0, 48.0, 54.0, 94.0, 108.0, 122.0]", Arrays.toString(c), g.getClass().getSimpleName());
        }
    }

    @Test
    void emptyInnerDimensionGivesZerosOrLeavesCAlone() {
        for (Gemm g : List.of(ScalarGemm.INSTANCE, VectorGemm.INSTANCE)) {
            float[] c = {1, 2, 3, 4};
            g.multiply(new float[0], 0, new float[0], 0, c, 0, 2, 0, 2, true);
            assertEquals("[1.0, 2.0, 3.0, 4.0]", Arrays.toString(c));
            g.multiply(new float[0], 0, new float[0], 0, c, 0, 2, 0, 2, false);
            assertEquals("[0.0, 0.0, 0.0, 0.0]", Arrays.toString(c));
        }
    }

    private static float[] random(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextGaussian() * (r.nextInt(4) == 0 ? 10 : 1));
        }
        return x;
    }
}
