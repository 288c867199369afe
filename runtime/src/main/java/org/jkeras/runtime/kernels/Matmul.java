package org.jkeras.runtime.kernels;

/**
 * The matrix products of training, with either operand transposed: {@code A·B} (forward passes),
 * {@code A·Bᵀ} (gradients flowing back through a weight) and {@code Aᵀ·B} (weight gradients). All
 * arrays are row-major and contiguous from their offsets. With the Vector API the operand B is packed
 * for {@link PackedGemm}, the kernel inference uses, so training runs at the same speed per FLOP; a
 * transposed A is copied once to row-major first. Otherwise the scalar references run.
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
        float[] at = new float[Math.multiplyExact(m, k)]; // at: [m, k], A transposed once
        for (int p = 0; p < k; p++) {
            for (int i = 0; i < m; i++) {
                at[i * k + p] = a[aOff + p * m + i];
            }
        }
        packedNn(at, 0, b, bOff, c, cOff, m, k, n, accumulate);
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
