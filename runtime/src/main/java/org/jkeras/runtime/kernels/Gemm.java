package org.jkeras.runtime.kernels;

/**
 * Row-major matrix product {@code C[m, n] (+)= A[m, k] · B[k, n]}, the one heavy operation of
 * the recurrent layers. Two implementations exist side by side: {@link ScalarGemm}, the
 * reference, and {@link VectorGemm} on the JDK Vector API; {@link Kernels#gemm()} picks one.
 */
public interface Gemm {
    /**
     * Multiplies.
     *
     * @param a          A, {@code m} rows of {@code k} values from {@code aOffset}
     * @param b          B, {@code k} rows of {@code n} values from {@code bOffset}
     * @param c          C, {@code m} rows of {@code n} values from {@code cOffset}
     * @param accumulate add to C when true, overwrite it when false
     */
    void multiply(float[] a, int aOffset, float[] b, int bOffset, float[] c, int cOffset,
                  int m, int k, int n, boolean accumulate);
}
