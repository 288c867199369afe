package org.jkeras.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

/**
 * Shared by the tests of the batch-1 kernels' other copies of the weights (aligned off-heap, 16-bit): both the
 * one-row product and the fused step's pair-of-panels calls give the heap kernels' results bit for bit, and those
 * are right (against a double-precision product).
 */
final class BatchOneAgreement {
    private static final int PW = PackedGemm.panelWidth();

    private BatchOneAgreement() {
    }

    /**
     * Asserts that {@code copy} (a {@code heap.aligned()}) multiplies like {@code heap}, B = {@code b} [k, n], for a
     * random row and bias from {@code r}.
     */
    static void assertAgree(Random r, float[] b, int k, int n, PackedMatrix heap, PackedMatrix copy) {
        float[] a = random(r, k + 3);
        float[] bias = random(r, n + 1);
        float[] want = new float[n + 2];
        float[] got = new float[n + 2];
        PackedGemm.multiply(a, 3, k, 1, heap, bias, 1, 0, want, 2, n);
        PackedGemm.multiply(a, 3, k, 1, copy, bias, 1, 0, got, 2, n);
        assertBitsEqual(want, got);
        for (int j = 0; j < n; j++) { // and both right
            double sum = bias[1 + j];
            for (int p = 0; p < k; p++) {
                sum += (double) a[3 + p] * b[p * n + j];
            }
            assertEquals(sum, want[2 + j], 1e-5 * (1 + Math.abs(sum)) * Math.sqrt(k), "column " + j);
        }
        int panels = n / PW;
        for (int p = 0; p < panels; p++) { // the fused step's calls: a pair of panels, or the last one alone
            int count = Math.min(2, panels - p);
            float[] w = new float[n];
            float[] g = new float[n];
            PackedGemm.rowPanels(a, 3, heap, p, count, bias, 1, w, 0);
            PackedGemm.rowPanels(a, 3, copy, p, count, bias, 1, g, 0);
            assertBitsEqual(w, g);
        }
    }

    static void assertBitsEqual(float[] want, float[] got) {
        for (int i = 0; i < want.length; i++) {
            assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]), "element " + i);
        }
    }

    static float[] random(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }
}
