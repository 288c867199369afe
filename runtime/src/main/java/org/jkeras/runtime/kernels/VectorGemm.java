package org.jkeras.runtime.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * GEMM on the JDK Vector API: each row of C is built as a sum of rows of B scaled by A's
 * entries, so B is read row-wise with full-width FMAs and no transposition is needed.
 * Loaded only when the {@code jdk.incubator.vector} module is present.
 */
public final class VectorGemm implements Gemm {
    /** The shared instance (stateless). */
    public static final VectorGemm INSTANCE = new VectorGemm();

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private VectorGemm() {
    }

    @Override
    public void multiply(float[] a, int aOffset, float[] b, int bOffset, float[] c, int cOffset,
                         int m, int k, int n, boolean accumulate) {
        int lanes = SPECIES.length();
        int vectorEnd = n - n % lanes;
        for (int i = 0; i < m; i++) {
            int cRow = cOffset + i * n;
            if (!accumulate) {
                Arrays.fill(c, cRow, cRow + n, 0f);
            }
            for (int p = 0; p < k; p++) {
                float aip = a[aOffset + i * k + p];
                FloatVector va = FloatVector.broadcast(SPECIES, aip);
                int bRow = bOffset + p * n;
                int j = 0;
                for (; j < vectorEnd; j += lanes) {
                    FloatVector vb = FloatVector.fromArray(SPECIES, b, bRow + j);
                    FloatVector vc = FloatVector.fromArray(SPECIES, c, cRow + j);
                    va.fma(vb, vc).intoArray(c, cRow + j);
                }
                for (; j < n; j++) {
                    c[cRow + j] = Math.fma(aip, b[bRow + j], c[cRow + j]);
                }
            }
        }
    }
}
