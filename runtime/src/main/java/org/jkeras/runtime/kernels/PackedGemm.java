package org.jkeras.runtime.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register-blocked GEMM on the Vector API against a {@link PackedMatrix}:
 * {@code C[m, n] = init[m, n] + A[m, k] · B[k, n]}.
 *
 * <p>Why it is fast: a panel of B is {@code 4 × lanes} columns wide and k-major, so the micro-kernel
 * keeps a block of 2 rows × 4 vectors (8 accumulators, enough independent FMA chains to cover the
 * FMA latency on two ports) in registers for the whole k loop and touches C only twice (load the
 * initial value, store the result). A 3 × 4 block needs all 16 AVX2 registers and C2 spills it:
 * measured 36 GFLOP/s against 64-70 for 2 × 4 on the same panel. Panels are the outer loop so each panel stays in L1 while every row
 * block passes over it. A single row (batch-1 recurrence, a GEMV) runs over two panels at once
 * so 8 independent FMA chains hide the FMA latency. Columns past {@code n} in the last panel are
 * computed on a scratch row and dropped. Every float op is a product or FMA in k order, so results
 * differ from {@link ScalarGemm} only by rounding.
 *
 * <p>Loaded only when the {@code jdk.incubator.vector} module is present; correct for any lane count.
 */
public final class PackedGemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int PW = 4 * L;

    private PackedGemm() {
    }

    /** Floats per vector of the preferred species. */
    public static int lanes() {
        return L;
    }

    /** The panel width every {@link PackedMatrix} used here must have. */
    public static int panelWidth() {
        return PW;
    }

    /**
     * {@code C = init + A · B} on rows {@code 0..m-1}; columns {@code 0..b.columns()-1} are stored.
     * {@code init} may be {@code c} itself (accumulate in place) or a single row with {@code ldInit = 0}
     * (a bias).
     *
     * @param a      A, row r at {@code aOff + r*lda}, {@code b.rows()} values per row
     * @param init   initial values, row r at {@code initOff + r*ldInit}
     * @param c      C, row r at {@code cOff + r*ldc}
     */
    public static void multiply(float[] a, int aOff, int lda, int m, PackedMatrix b,
                                float[] init, int initOff, int ldInit, float[] c, int cOff, int ldc) {
        if (b.panelWidth() != PW) {
            throw new IllegalArgumentException("matrix packed for panel width " + b.panelWidth() + ", kernel uses " + PW);
        }
        float[] bd = b.data();
        int k = b.rows();
        int n = b.columns();
        int full = n / PW;             // panels whose columns are all stored
        int panelSize = k * PW;
        if (m == 1) {
            int p = 0;
            for (; p + 1 < full; p += 2) {
                kernel1x2(a, aOff, bd, p * panelSize, k, init, initOff + p * PW, c, cOff + p * PW);
            }
            if (p < full) {
                kernel1(a, aOff, bd, p * panelSize, k, init, initOff + p * PW, c, cOff + p * PW);
            }
        } else {
            for (int p = 0; p < full; p++) {
                int bOff = p * panelSize;
                int col = p * PW;
                int r = 0;
                for (; r + 2 <= m; r += 2) {
                    kernel2(a, aOff + r * lda, lda, bd, bOff, k, init, initOff + r * ldInit + col, ldInit,
                            c, cOff + r * ldc + col, ldc);
                }
                if (r < m) {
                    kernel1(a, aOff + r * lda, bd, bOff, k, init, initOff + r * ldInit + col, c, cOff + r * ldc + col);
                }
            }
        }
        if (full * PW < n) {
            lastPanel(a, aOff, lda, m, bd, full * panelSize, k, n - full * PW, init, initOff + full * PW, ldInit,
                    c, cOff + full * PW, ldc);
        }
    }

    /**
     * One row against {@code count} (1 or 2) whole panels from panel {@code p}:
     * {@code c[cOff + col] = init[initOff + col] + a · B[:, col]} for the columns col of those panels
     * ({@code init} may be {@code c}). The batch-1 LSTM step calls it a pair of panels at a time
     * and runs a block's gate math before the next block's product, so the two overlap.
     */
    static void rowPanels(float[] a, int aOff, PackedMatrix b, int p, int count,
                          float[] init, int initOff, float[] c, int cOff) {
        if (b.panelWidth() != PW) {
            throw new IllegalArgumentException("matrix packed for panel width " + b.panelWidth() + ", kernel uses " + PW);
        }
        float[] bd = b.data();
        int k = b.rows();
        int col = p * PW;
        if (count == 2) {
            kernel1x2(a, aOff, bd, p * k * PW, k, init, initOff + col, c, cOff + col);
        } else {
            kernel1(a, aOff, bd, p * k * PW, k, init, initOff + col, c, cOff + col);
        }
    }

    /** Rows of B per packed chunk in {@link #multiplyTn}: a chunk of one panel is 64 × PW floats (16 KiB at 16 lanes). */
    static final int TN_CHUNK = 64;
    private static final float[] ZEROS = new float[PW];

    /**
     * {@code C[:, j0..j1) (+)= At · B[:, j0..j1)} with At [m, k] row-major ({@code lda} floats per row) and
     * B [k, *] row-major with {@code ldb} floats per row, read in place: a weight gradient {@code Aᵀ·B} over
     * many rows k (all the steps of a sequence) once A is transposed. B is packed a chunk of {@link #TN_CHUNK}
     * rows and one panel at a time into a small buffer that stays in L1 while every row pair of At passes
     * over it; the chunks' partial sums stay in C. Each element is still one FMA chain in k order from its
     * initial value, so the result is bit-identical to the unchunked {@link #multiply} on a packed B, and a
     * split of the columns between threads changes nothing.
     *
     * @param accumulate add to C (else overwrite)
     */
    static void multiplyTn(float[] at, int lda, int m, int k, float[] b, int bOff, int ldb,
                           float[] c, int cOff, int ldc, int j0, int j1, boolean accumulate) {
        float[] buf = new float[TN_CHUNK * PW];
        float[] scratch = null;
        for (int k0 = 0; k0 < k; k0 += TN_CHUNK) {
            int kc = Math.min(TN_CHUNK, k - k0);
            boolean fresh = !accumulate && k0 == 0;
            for (int j = j0; j < j1; j += PW) {
                int w = Math.min(PW, j1 - j);
                for (int q = 0; q < kc; q++) {
                    System.arraycopy(b, bOff + (k0 + q) * ldb + j, buf, q * PW, w);
                }
                if (w == PW) {
                    int r = 0;
                    for (; r + 2 <= m; r += 2) {
                        int co = cOff + r * ldc + j;
                        kernel2(at, r * lda + k0, lda, buf, 0, kc, fresh ? ZEROS : c, fresh ? 0 : co,
                                fresh ? 0 : ldc, c, co, ldc);
                    }
                    if (r < m) {
                        int co = cOff + r * ldc + j;
                        kernel1(at, r * lda + k0, buf, 0, kc, fresh ? ZEROS : c, fresh ? 0 : co, c, co);
                    }
                } else {
                    if (scratch == null) {
                        scratch = new float[PW];
                    }
                    for (int q = 0; q < kc; q++) { // zero the padding columns of this chunk
                        java.util.Arrays.fill(buf, q * PW + w, (q + 1) * PW, 0f);
                    }
                    for (int r = 0; r < m; r++) {
                        int co = cOff + r * ldc + j;
                        if (fresh) {
                            java.util.Arrays.fill(scratch, 0f);
                        } else {
                            System.arraycopy(c, co, scratch, 0, w);
                        }
                        kernel1(at, r * lda + k0, buf, 0, kc, scratch, 0, scratch, 0);
                        System.arraycopy(scratch, 0, c, co, w);
                    }
                }
            }
        }
    }

    /** The partial last panel: each row goes through a zero-padded scratch row. */
    private static void lastPanel(float[] a, int aOff, int lda, int m, float[] bd, int bOff, int k, int cols,
                                  float[] init, int initOff, int ldInit, float[] c, int cOff, int ldc) {
        float[] scratch = new float[PW];
        for (int r = 0; r < m; r++) {
            System.arraycopy(init, initOff + r * ldInit, scratch, 0, cols);
            kernel1(a, aOff + r * lda, bd, bOff, k, scratch, 0, scratch, 0);
            System.arraycopy(scratch, 0, c, cOff + r * ldc, cols);
        }
    }

    // Micro-kernels: one panel (4 vectors) unless named x2; bOff is the panel's start, row p of it at bOff + p*PW.

    private static void kernel2(float[] a, int aOff, int lda, float[] bd, int bOff, int k,
                                float[] init, int iOff, int ldi, float[] c, int cOff, int ldc) {
        int i1 = iOff + ldi;
        FloatVector c00 = FloatVector.fromArray(S, init, iOff);
        FloatVector c01 = FloatVector.fromArray(S, init, iOff + L);
        FloatVector c02 = FloatVector.fromArray(S, init, iOff + 2 * L);
        FloatVector c03 = FloatVector.fromArray(S, init, iOff + 3 * L);
        FloatVector c10 = FloatVector.fromArray(S, init, i1);
        FloatVector c11 = FloatVector.fromArray(S, init, i1 + L);
        FloatVector c12 = FloatVector.fromArray(S, init, i1 + 2 * L);
        FloatVector c13 = FloatVector.fromArray(S, init, i1 + 3 * L);
        int a1 = aOff + lda;
        for (int p = 0; p < k; p++) {
            int bi = bOff + p * PW;
            FloatVector x0 = FloatVector.broadcast(S, a[aOff + p]);
            FloatVector x1 = FloatVector.broadcast(S, a[a1 + p]);
            FloatVector w = FloatVector.fromArray(S, bd, bi);
            c00 = x0.fma(w, c00);
            c10 = x1.fma(w, c10);
            w = FloatVector.fromArray(S, bd, bi + L);
            c01 = x0.fma(w, c01);
            c11 = x1.fma(w, c11);
            w = FloatVector.fromArray(S, bd, bi + 2 * L);
            c02 = x0.fma(w, c02);
            c12 = x1.fma(w, c12);
            w = FloatVector.fromArray(S, bd, bi + 3 * L);
            c03 = x0.fma(w, c03);
            c13 = x1.fma(w, c13);
        }
        int o1 = cOff + ldc;
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + L);
        c02.intoArray(c, cOff + 2 * L);
        c03.intoArray(c, cOff + 3 * L);
        c10.intoArray(c, o1);
        c11.intoArray(c, o1 + L);
        c12.intoArray(c, o1 + 2 * L);
        c13.intoArray(c, o1 + 3 * L);
    }

    private static void kernel1(float[] a, int aOff, float[] bd, int bOff, int k,
                                float[] init, int iOff, float[] c, int cOff) {
        FloatVector c0 = FloatVector.fromArray(S, init, iOff);
        FloatVector c1 = FloatVector.fromArray(S, init, iOff + L);
        FloatVector c2 = FloatVector.fromArray(S, init, iOff + 2 * L);
        FloatVector c3 = FloatVector.fromArray(S, init, iOff + 3 * L);
        for (int p = 0; p < k; p++) {
            int bi = bOff + p * PW;
            FloatVector x = FloatVector.broadcast(S, a[aOff + p]);
            c0 = x.fma(FloatVector.fromArray(S, bd, bi), c0);
            c1 = x.fma(FloatVector.fromArray(S, bd, bi + L), c1);
            c2 = x.fma(FloatVector.fromArray(S, bd, bi + 2 * L), c2);
            c3 = x.fma(FloatVector.fromArray(S, bd, bi + 3 * L), c3);
        }
        c0.intoArray(c, cOff);
        c1.intoArray(c, cOff + L);
        c2.intoArray(c, cOff + 2 * L);
        c3.intoArray(c, cOff + 3 * L);
    }

    /** One row over two adjacent panels: 8 accumulators for the batch-1 (GEMV) case. */
    private static void kernel1x2(float[] a, int aOff, float[] bd, int bOff, int k,
                                  float[] init, int iOff, float[] c, int cOff) {
        int b2 = bOff + k * PW;
        FloatVector c0 = FloatVector.fromArray(S, init, iOff);
        FloatVector c1 = FloatVector.fromArray(S, init, iOff + L);
        FloatVector c2 = FloatVector.fromArray(S, init, iOff + 2 * L);
        FloatVector c3 = FloatVector.fromArray(S, init, iOff + 3 * L);
        FloatVector c4 = FloatVector.fromArray(S, init, iOff + 4 * L);
        FloatVector c5 = FloatVector.fromArray(S, init, iOff + 5 * L);
        FloatVector c6 = FloatVector.fromArray(S, init, iOff + 6 * L);
        FloatVector c7 = FloatVector.fromArray(S, init, iOff + 7 * L);
        for (int p = 0; p < k; p++) {
            int bi = bOff + p * PW;
            int bj = b2 + p * PW;
            FloatVector x = FloatVector.broadcast(S, a[aOff + p]);
            c0 = x.fma(FloatVector.fromArray(S, bd, bi), c0);
            c1 = x.fma(FloatVector.fromArray(S, bd, bi + L), c1);
            c2 = x.fma(FloatVector.fromArray(S, bd, bi + 2 * L), c2);
            c3 = x.fma(FloatVector.fromArray(S, bd, bi + 3 * L), c3);
            c4 = x.fma(FloatVector.fromArray(S, bd, bj), c4);
            c5 = x.fma(FloatVector.fromArray(S, bd, bj + L), c5);
            c6 = x.fma(FloatVector.fromArray(S, bd, bj + 2 * L), c6);
            c7 = x.fma(FloatVector.fromArray(S, bd, bj + 3 * L), c7);
        }
        c0.intoArray(c, cOff);
        c1.intoArray(c, cOff + L);
        c2.intoArray(c, cOff + 2 * L);
        c3.intoArray(c, cOff + 3 * L);
        c4.intoArray(c, cOff + 4 * L);
        c5.intoArray(c, cOff + 5 * L);
        c6.intoArray(c, cOff + 6 * L);
        c7.intoArray(c, cOff + 7 * L);
    }
}
