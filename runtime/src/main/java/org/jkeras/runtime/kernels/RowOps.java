package org.jkeras.runtime.kernels;

/** Row-vector operations every layer's passes share: adding a bias to every row, summing rows. */
public final class RowOps {
    private RowOps() {
    }

    /** m[r, j] += v[j] for a [rows, cols] matrix. */
    public static void addRowVector(float[] m, int rows, int cols, float[] v) {
        addRowVector(m, 0, rows, cols, v);
    }

    /** m[off + r*cols + j] += v[j] for a [rows, cols] matrix starting at {@code off}. */
    public static void addRowVector(float[] m, int off, int rows, int cols, float[] v) {
        for (int r = 0; r < rows; r++) {
            int row = off + r * cols;
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
        addColumnSums(m, rows, cols, sums, sumsOff, 0, cols);
    }

    /** sums[sumsOff + j] += Σ_r m[mOff + r*cols + j], rows in order. */
    public static void addColumnSums(float[] m, int mOff, int rows, int cols, float[] sums, int sumsOff) {
        for (int r = 0; r < rows; r++) {
            int row = mOff + r * cols;
            for (int j = 0; j < cols; j++) {
                sums[sumsOff + j] += m[row + j];
            }
        }
    }

    /** sums[sumsOff + j] += Σ_r m[r, j] for the columns j0..j1-1 of a [rows, cols] matrix, rows in order. */
    public static void addColumnSums(float[] m, int rows, int cols, float[] sums, int sumsOff, int j0, int j1) {
        for (int r = 0; r < rows; r++) {
            int row = r * cols;
            for (int j = j0; j < j1; j++) {
                sums[sumsOff + j] += m[row + j];
            }
        }
    }

    /** Columns {@code from..from+count-1} of a row-major [rows, cols] matrix, as a [rows, count] copy. */
    public static float[] columns(float[] m, int rows, int cols, int from, int count) {
        return columns(m, 0, rows, cols, from, count);
    }

    /** Columns {@code from..from+count-1} of a [rows, cols] matrix starting at {@code off}, as a [rows, count] copy. */
    public static float[] columns(float[] m, int off, int rows, int cols, int from, int count) {
        float[] out = new float[Math.multiplyExact(rows, count)];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(m, off + r * cols + from, out, r * count, count);
        }
        return out;
    }
}
