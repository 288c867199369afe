package org.jkeras.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins the training products (A·B, A·Bᵀ, Aᵀ·B) of both paths — the scalar references and the packed
 * Vector API ones — to a double-precision triple loop, over odd sizes around the vector width, offsets,
 * and accumulation.
 */
class MatmulTest {
    static Stream<Arguments> sizes() {
        int[] dims = {1, 2, 3, 7, 8, 13, 16, 17, 31, 33, 47, 64, 67};
        Random r = new Random(7);
        List<Arguments> list = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            int m = i < 13 ? dims[i] : 1 + r.nextInt(70);
            int k = dims[(i * 5 + 3) % dims.length];
            int n = i < 13 ? dims[12 - i] : 1 + r.nextInt(70);
            list.add(Arguments.of(m, k, n, r.nextInt(5), r.nextInt(5), r.nextInt(5), i % 2 == 0, 500L + i));
        }
        return list.stream();
    }

    @ParameterizedTest(name = "m={0} k={1} n={2} offsets=({3},{4},{5}) accumulate={6}")
    @MethodSource("sizes")
    void everyProductOfBothPathsMatchesDoublePrecision(int m, int k, int n, int aOff, int bOff, int cOff,
                                                       boolean accumulate, long seed) {
        Random r = new Random(seed);
        float[] a = random(r, aOff + m * k);
        float[] b = random(r, bOff + k * n);
        float[] c0 = random(r, cOff + m * n);
        for (String op : new String[] {"nn", "nt", "tn"}) {
            double[] want = new double[m * n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = accumulate ? c0[cOff + i * n + j] : 0;
                    for (int p = 0; p < k; p++) {
                        double av = op.equals("tn") ? a[aOff + p * m + i] : a[aOff + i * k + p];
                        double bv = op.equals("nt") ? b[bOff + j * k + p] : b[bOff + p * n + j];
                        s += av * bv;
                    }
                    want[i * n + j] = s;
                }
            }
            float[] scalar = c0.clone();
            float[] vector = c0.clone();
            switch (op) {
                case "nn" -> {
                    ScalarGemm.INSTANCE.multiply(a, aOff, b, bOff, scalar, cOff, m, k, n, accumulate);
                    Matmul.packedNn(a, aOff, b, bOff, vector, cOff, m, k, n, accumulate);
                }
                case "nt" -> {
                    ScalarMatmul.nt(a, aOff, b, bOff, scalar, cOff, m, k, n, accumulate);
                    Matmul.packedNt(a, aOff, b, bOff, vector, cOff, m, k, n, accumulate);
                }
                default -> {
                    ScalarMatmul.tn(a, aOff, b, bOff, scalar, cOff, m, k, n, accumulate);
                    Matmul.packedTn(a, aOff, b, bOff, vector, cOff, m, k, n, accumulate);
                }
            }
            for (int i = 0; i < m * n; i++) {
                double tol = 1e-5 * (k + 1);
                assertEquals(want[i], scalar[cOff + i], tol, op + " scalar at " + i);
                assertEquals(want[i], vector[cOff + i], tol, op + " vector at " + i);
            }
            for (int i = 0; i < cOff; i++) { // nothing before C's offset is touched
                assertEquals(c0[i], scalar[i], 0.0);
                assertEquals(c0[i], vector[i], 0.0);
            }
        }
    }

    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextFloat() * 2 - 1;
        }
        return a;
    }
}
