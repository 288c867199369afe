package org.jkeras.runtime.kernels;

/** Row-vector operations every layer's passes share: adding a bias to every row, summing rows. */
public final class RowOps {
    private RowOps() {
    }

    /** m[r, j] += v[j] for a [rows, cols] matrix. */
    public static void addRowVector(float[] m, int rows, int cols, float[] v) {
        for (int r = 0; r < rows; r++) {
            int row = r * cols;
            for (int j = 0; j < cols; j++) {
                m[row + j] += v[j];
            }
        }
    }

    /** sums[j] += Σ_r m[r, j] for a [rows, cols] matrix (a bias gradient). */
    public static void addColumnSums(float[] m, int rows, int cols, float[] sums) {
        addColumnSums(m, rows, cols, sums, 0);
    }

    /** sums[sumsOff + j] += Σ_r m[r, j] for a [rows, cols] matrix. */
    public static void addColumnSums(float[] m, int rows, int cols, float[] sums, int sumsOff) {
        for (int r = 0; r < rows; r++) {
            int row = r * cols;
            for (int j = 0; j < cols; j++) {
                sums[sumsOff + j] += m[row + j];
            }
        }
    }
}
