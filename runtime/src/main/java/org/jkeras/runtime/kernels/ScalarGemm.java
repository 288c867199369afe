package org.jkeras.runtime.kernels;

import java.util.Arrays;

/** Plain-Java GEMM: the reference every faster kernel is tested against, and the fallback. */
public final class ScalarGemm implements Gemm {
    /** The shared instance (stateless). */
    public static final ScalarGemm INSTANCE = new ScalarGemm();

    private ScalarGemm() {
    }

    @Override
    public void multiply(float[] a, int aOffset, float[] b, int bOffset, float[] c, int cOffset,
                         int m, int k, int n, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int cRow = cOffset + i * n;
            if (!accumulate) {
                Arrays.fill(c, cRow, cRow + n, 0f);
            }
            for (int p = 0; p < k; p++) {
                float aip = a[aOffset + i * k + p];
                int bRow = bOffset + p * n;
                for (int j = 0; j < n; j++) {
                    c[cRow + j] += aip * b[bRow + j];
                }
            }
        }
    }
}
