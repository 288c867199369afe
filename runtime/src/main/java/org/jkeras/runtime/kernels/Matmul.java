package org.jkeras.runtime.kernels;

/**
 * The matrix products of training, with either operand transposed: {@code A·B} (forward passes),
 * {@code A·Bᵀ} (gradients flowing back through a weight) and {@code Aᵀ·B} (weight gradients). All
 * arrays are row-major and contiguous from their offsets. With the Vector API the operand B is packed
 * for {@link PackedGemm}, the kernel inference uses, so training runs at the same speed per FLOP; a
 * transposed A is read in place, down its columns ({@link PackedGemm#multiplyTn}). Otherwise the scalar
 * references run.
 *
 * <p>Stateless and thread-safe. A {@link Prepared} operand is packed once for the many products that
 * share it (a recurrent kernel used at every time step).
 */
public final class Matmul {
    private Matmul() {
    }

    /** C[m, n] (+)= A[m, k] · B[k, n]. */
    public static void nn(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int m, int k, int n,
                          boolean accumulate) {
        if (m == 0 || n == 0) {
            return;
        }
        if (Kernels.vectorized() && k > 0) {
            packedNn(a, aOff, b, bOff, c, cOff, m, k, n, accumulate);
        } else {
            ScalarGemm.INSTANCE.multiply(a, aOff, b, bOff, c, cOff, m, k, n, accumulate);
        }
    }

    /** C[m, n] (+)= A[m, k] · Bᵀ, with B stored [n, k] (e.g. a kernel [in, out] applied backwards). */
    public static void nt(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int m, int k, int n,
                          boolean accumulate) {
        if (m == 0 || n == 0) {
            return;
        }
        if (Kernels.vectorized() && k > 0) {
            packedNt(a, aOff, b, bOff, c, cOff, m, k, n, accumulate);
        } else {
            ScalarMatmul.nt(a, aOff, b, bOff, c, cOff, m, k, n, accumulate);
        }
    }

    /** C[m, n] (+)= Aᵀ · B[k, n], with A stored [k, m] (e.g. inputsᵀ · output gradients = weight gradient). */
    public static void tn(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int m, int k, int n,
                          boolean accumulate) {
        if (m == 0 || n == 0) {
            return;
        }
        if (Kernels.vectorized() && k > 0) {
            packedTn(a, aOff, b, bOff, c, cOff, m, k, n, accumulate);
        } else {
            ScalarMatmul.tn(a, aOff, b, bOff, c, cOff, m, k, n, accumulate);
        }
    }

    // The Vector API paths, callable directly so tests can pin them to the scalar references.

    static void packedNn(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int m, int k, int n,
                         boolean accumulate) {
        multiply(a, aOff, m, packed(PackedMatrix.pack(b, bOff, k, n, PackedGemm.panelWidth()), k, n), c, cOff,
                accumulate);
    }

    static void packedNt(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int m, int k, int n,
                         boolean accumulate) {
        multiply(a, aOff, m, packed(PackedMatrix.packTransposed(b, bOff, k, n, PackedGemm.panelWidth()), k, n), c,
                cOff, accumulate);
    }

    static void packedTn(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int m, int k, int n,
                         boolean accumulate) {
        packedTn(a, aOff, b, bOff, c, cOff, m, k, n, accumulate, 1);
    }

    /** Aᵀ·B with the columns of C cut into panel-aligned parts, one per thread (bit-identical for any count). */
    static void packedTn(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int m, int k, int n,
                         boolean accumulate, int threads) {
        packedTn(a, aOff, b, bOff, c, cOff, m, k, n, accumulate, threads, null, 0);
    }

    private static void packedTn(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int m, int k, int n,
                                 boolean accumulate, int threads, float[] sums, int sumsOff) {
        int pw = PackedGemm.panelWidth();
        int panels = (n + pw - 1) / pw;
        int parts = Parallel.parts(threads, panels, (double) m * k * n);
        Parallel.run(parts, i -> {
            int j0 = Parallel.start(panels, parts, i) * pw;
            int j1 = Math.min(n, Parallel.start(panels, parts, i + 1) * pw);
            PackedGemm.multiplyTn(a, aOff, m, k, b, bOff, n, c, cOff, n, j0, j1, accumulate, sums, sumsOff);
        });
    }

    /**
     * C[m, n] (+)= Aᵀ · B[k, n] (A stored [k, m]) on up to {@code threads} threads; the same values as
     * {@link #tn(float[], int, float[], int, float[], int, int, int, int, boolean)} for any thread count.
     */
    public static void tn(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int m, int k, int n,
                          boolean accumulate, int threads) {
        tn(a, aOff, b, bOff, c, cOff, m, k, n, accumulate, threads, null, 0);
    }

    /**
     * As {@link #tn(float[], int, float[], int, float[], int, int, int, int, boolean, int)}, also adding the column
     * sums of B to {@code sums[sumsOff..sumsOff+n)} when {@code sums} is non-null (rows in order, as
     * {@link RowOps#addColumnSums}): a bias gradient in the same pass over B as the weight gradient.
     */
    public static void tn(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int m, int k, int n,
                          boolean accumulate, int threads, float[] sums, int sumsOff) {
        if (m == 0 || n == 0) {
            if (sums != null && n > 0) {
                RowOps.addColumnSums(b, bOff, k, n, sums, sumsOff);
            }
            return;
        }
        if (Kernels.vectorized() && k > 0) {
            packedTn(a, aOff, b, bOff, c, cOff, m, k, n, accumulate, threads, sums, sumsOff);
        } else {
            ScalarMatmul.tn(a, aOff, b, bOff, c, cOff, m, k, n, accumulate);
            if (sums != null) {
                RowOps.addColumnSums(b, bOff, k, n, sums, sumsOff);
            }
        }
    }

    /**
     * Two weight gradients from the same right operand: {@code C (+)= Aᵀ·B} and {@code C2 (+)= A2ᵀ·B} (A [k, m],
     * A2 [k, m2], B [k, n], C [m, n] and C2 [m2, n] all from offset 0), plus the column sums of B into
     * {@code sums[sumsOff..)} when non-null, in one pass over B; the same values as separate {@link #tn} calls
     * for any thread count.
     */
    public static void tn2(float[] a, int m, float[] a2, int m2, float[] b, int k, int n, float[] c, float[] c2,
                           boolean accumulate, int threads, float[] sums, int sumsOff) {
        if (!Kernels.vectorized() || k == 0 || n == 0 || m == 0 || m2 == 0) {
            tn(a, 0, b, 0, c, 0, m, k, n, accumulate, threads, sums, sumsOff);
            tn(a2, 0, b, 0, c2, 0, m2, k, n, accumulate, threads);
            return;
        }
        int pw = PackedGemm.panelWidth();
        int panels = (n + pw - 1) / pw;
        int parts = Parallel.parts(threads, panels, (double) (m + m2) * k * n);
        Parallel.run(parts, i -> {
            int j0 = Parallel.start(panels, parts, i) * pw;
            int j1 = Math.min(n, Parallel.start(panels, parts, i + 1) * pw);
            PackedGemm.multiplyTn(a, 0, m, a2, 0, m2, k, b, 0, n, c, 0, n, c2, 0, n, j0, j1, accumulate, sums, sumsOff);
        });
    }

    /**
     * C[m, n] (+)= A[m, k] · B for a prepared B, the rows cut into one part per thread; the same values as
     * {@link #multiply(float[], int, int, Prepared, float[], int, boolean)} for any thread count.
     */
    public static void multiply(float[] a, int aOff, int m, Prepared b, float[] c, int cOff, boolean accumulate,
                                int threads) {
        int parts = Parallel.parts(threads, m / 8, (double) m * b.k * b.n);
        Parallel.run(parts, i -> {
            int r0 = Parallel.start(m, parts, i);
            int r1 = Parallel.start(m, parts, i + 1);
            multiply(a, aOff + r0 * b.k, r1 - r0, b, c, cOff + r0 * b.n, accumulate);
        });
    }

    /**
     * C[m, n] = bias + A[m, k] · B for a prepared B, rows cut into one part per thread: the bias is the initial
     * value of every sum on the Vector API path (one rounding fewer than adding it afterwards, as inference does);
     * the scalar path adds it after the product.
     *
     * @param bias [n], or null for none
     */
    public static void multiplyBias(float[] a, int aOff, int m, Prepared b, float[] bias, float[] c, int cOff,
                                    int threads) {
        if (bias == null || b.packed == null) {
            multiply(a, aOff, m, b, c, cOff, false, threads);
            if (bias != null) {
                int parts = Parallel.parts(threads, m / 8, (double) m * b.k * b.n);
                Parallel.run(parts, i -> {
                    int r0 = Parallel.start(m, parts, i);
                    int r1 = Parallel.start(m, parts, i + 1);
                    RowOps.addRowVector(c, cOff + r0 * b.n, r1 - r0, b.n, bias);
                });
            }
            return;
        }
        int parts = Parallel.parts(threads, m / 8, (double) m * b.k * b.n);
        Parallel.run(parts, i -> {
            int r0 = Parallel.start(m, parts, i);
            int r1 = Parallel.start(m, parts, i + 1);
            if (r1 > r0) {
                PackedGemm.multiply(a, aOff + r0 * b.k, b.k, r1 - r0, b.packed, bias, 0, 0, c, cOff + r0 * b.n, b.n);
            }
        });
    }

    private static Prepared packed(PackedMatrix p, int k, int n) {
        return new Prepared(k, n, p, null, new float[n]);
    }

    /**
     * Prepares B for repeated products {@code A·B}.
     *
     * @param b          B [k, n] row-major, or, when {@code transposed}, the array holding Bᵀ as [n, k]
     * @param transposed true when {@code b} holds Bᵀ ({@code A·Bᵀ} products with the stored matrix)
     */
    public static Prepared prepare(float[] b, int bOff, int k, int n, boolean transposed) {
        if (Kernels.vectorized() && k > 0 && n > 0) {
            return packed(transposed ? PackedMatrix.packTransposed(b, bOff, k, n, PackedGemm.panelWidth())
                    : PackedMatrix.pack(b, bOff, k, n, PackedGemm.panelWidth()), k, n);
        }
        float[] rowMajor = new float[Math.multiplyExact(k, n)]; // [k, n]
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) {
                rowMajor[p * n + j] = transposed ? b[bOff + j * k + p] : b[bOff + p * n + j];
            }
        }
        return new Prepared(k, n, null, rowMajor, null);
    }

    /** C[m, n] (+)= A[m, k] · B for a prepared B. */
    public static void multiply(float[] a, int aOff, int m, Prepared b, float[] c, int cOff, boolean accumulate) {
        if (m == 0 || b.n == 0) {
            return;
        }
        if (b.packed != null) {
            if (accumulate) {
                PackedGemm.multiply(a, aOff, b.k, m, b.packed, c, cOff, b.n, c, cOff, b.n);
            } else {
                PackedGemm.multiply(a, aOff, b.k, m, b.packed, b.zeros, 0, 0, c, cOff, b.n);
            }
        } else {
            ScalarGemm.INSTANCE.multiply(a, aOff, b.rowMajor, 0, c, cOff, m, b.k, b.n, accumulate);
        }
    }

    /** A right-hand operand [k, n] laid out once for {@link #multiply}. Immutable. */
    public static final class Prepared {
        private final int k;
        private final int n;
        private final PackedMatrix packed; // Vector API path
        private final float[] rowMajor;    // scalar path: [k, n]
        private final float[] zeros;       // [n]: the initial value of an overwriting product

        private Prepared(int k, int n, PackedMatrix packed, float[] rowMajor, float[] zeros) {
            this.k = k;
            this.n = n;
            this.packed = packed;
            this.rowMajor = rowMajor;
            this.zeros = zeros;
        }

        /** Rows (the inner dimension of the product). */
        public int rows() {
            return k;
        }

        /** Columns. */
        public int columns() {
            return n;
        }
    }
}
