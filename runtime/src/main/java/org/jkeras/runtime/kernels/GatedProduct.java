package org.jkeras.runtime.kernels;

/**
 * The products of recurrent dropout (Keras's "implementation 1" cells): each gate block of the output
 * columns reads its own masked copy of the input, {@code z[:, g] += (a ⊙ m_g) · B[:, g]} with
 * {@code g} the column block {@code g*u .. g*u+u-1}, and their backward passes. Rows are time-major
 * ({@code t*batch + b}) and the masks are per sample ([batch, k]), so row {@code r} uses mask row
 * {@code r % batch}: the same mask at every time step, as Keras caches it for the sequence.
 */
final class GatedProduct {
    private GatedProduct() {
    }

    /** A ⊙ m for rows {@code 0..rows-1} of A [rows, k] from {@code aOff}, mask [batch, k] tiled over time. */
    static float[] masked(float[] a, int aOff, int rows, int k, float[] mask, int batch) {
        float[] out = new float[Math.multiplyExact(rows, k)];
        for (int r = 0; r < rows; r++) {
            int mr = (r % batch) * k;
            for (int p = 0; p < k; p++) {
                out[r * k + p] = a[aOff + r * k + p] * mask[mr + p];
            }
        }
        return out;
    }

    /** Every gate block of B [k, gates*u] as its own [k, u] matrix. */
    static float[][] blocks(float[] b, int k, int gates, int u) {
        float[][] out = new float[gates][];
        for (int g = 0; g < gates; g++) {
            out[g] = RowOps.columns(b, k, gates * u, g * u, u);
        }
        return out;
    }

    /**
     * z[:, g] += (a ⊙ m_g) · B_g for every gate g, over {@code rows} rows.
     *
     * @param bBlocks B's gate blocks, {@link #blocks}
     * @param z       [rows, gates*u] from {@code zOff}
     */
    static void forward(float[] a, int aOff, int rows, int k, float[][] masks, int batch, float[][] bBlocks, int u,
                        float[] z, int zOff) {
        int cols = bBlocks.length * u;
        float[] part = new float[Math.multiplyExact(rows, u)];
        for (int g = 0; g < bBlocks.length; g++) {
            Matmul.nn(masked(a, aOff, rows, k, masks[g], batch), 0, bBlocks[g], 0, part, 0, rows, k, u, false);
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < u; j++) {
                    z[zOff + r * cols + g * u + j] += part[r * u + j];
                }
            }
        }
    }

    /**
     * The input gradient: da (+)= Σ_g (dz[:, g] · B_gᵀ) ⊙ m_g over {@code rows} rows.
     *
     * @param da         [rows, k] from {@code daOff}
     * @param accumulate add to {@code da} rather than overwrite it
     */
    static void backwardInput(float[] dz, int dzOff, int rows, int k, float[][] masks, int batch, float[][] bBlocks,
                              int u, float[] da, int daOff, boolean accumulate) {
        int cols = bBlocks.length * u;
        if (!accumulate) {
            java.util.Arrays.fill(da, daOff, daOff + rows * k, 0f);
        }
        float[] part = new float[Math.multiplyExact(rows, k)];
        for (int g = 0; g < bBlocks.length; g++) {
            float[] dzg = RowOps.columns(dz, dzOff, rows, cols, g * u, u);
            Matmul.nt(dzg, 0, bBlocks[g], 0, part, 0, rows, u, k, false);
            for (int r = 0; r < rows; r++) {
                int mr = (r % batch) * k;
                for (int p = 0; p < k; p++) {
                    da[daOff + r * k + p] += part[r * k + p] * masks[g][mr + p];
                }
            }
        }
    }

    /** The weight gradient: dB[:, g] += (a ⊙ m_g)ᵀ · dz[:, g] for every gate, over {@code rows} rows. */
    static void backwardWeight(float[] a, int aOff, int rows, int k, float[][] masks, int batch, float[] dz, int u,
                               int gates, float[] dB) {
        int cols = gates * u;
        float[] part = new float[Math.multiplyExact(k, u)];
        for (int g = 0; g < gates; g++) {
            float[] dzg = RowOps.columns(dz, 0, rows, cols, g * u, u);
            Matmul.tn(masked(a, aOff, rows, k, masks[g], batch), 0, dzg, 0, part, 0, k, rows, u, false);
            for (int p = 0; p < k; p++) {
                for (int j = 0; j < u; j++) {
                    dB[p * cols + g * u + j] += part[p * u + j];
                }
            }
        }
    }
}
