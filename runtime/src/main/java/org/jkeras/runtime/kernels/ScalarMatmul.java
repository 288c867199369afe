package org.jkeras.runtime.kernels;

import java.util.Arrays;

/**
 * Plain-Java matrix products with transposed operands, the reference that {@link Matmul}'s Vector API
 * path is tested against. Every sum runs over k in order with float products and additions, like
 * {@link ScalarGemm}.
 */
final class ScalarMatmul {
    private ScalarMatmul() {
    }

    /** C[m, n] (+)= A[m, k] · B^T, where B is stored [n, k]. */
    static void nt(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int m, int k, int n,
                   boolean accumulate) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = accumulate ? c[cOff + i * n + j] : 0f;
                int ar = aOff + i * k;
                int br = bOff + j * k;
                for (int p = 0; p < k; p++) {
                    sum += a[ar + p] * b[br + p];
                }
                c[cOff + i * n + j] = sum;
            }
        }
    }

    /** C[m, n] (+)= A^T · B[k, n], where A is stored [k, m]. */
    static void tn(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int m, int k, int n,
                   boolean accumulate) {
        if (!accumulate) {
            Arrays.fill(c, cOff, cOff + m * n, 0f);
        }
        for (int p = 0; p < k; p++) {
            int ar = aOff + p * m;
            int br = bOff + p * n;
            for (int i = 0; i < m; i++) {
                float api = a[ar + i];
                int cr = cOff + i * n;
                for (int j = 0; j < n; j++) {
                    c[cr + j] += api * b[br + j];
                }
            }
        }
    }
}
