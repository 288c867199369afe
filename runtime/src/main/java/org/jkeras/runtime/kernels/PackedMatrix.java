package org.jkeras.runtime.kernels;

/**
 * A weight matrix B [k, n] re-laid out once for {@link PackedGemm}: columns are cut into panels
 * of {@code panelWidth} (a few vector widths), and each panel is stored k-major, so the kernel
 * streams one panel contiguously while it keeps its accumulators in registers. The last panel
 * (and, for LSTM weights, the padded rows and units) are zero, which changes no result: padded
 * columns are never stored, padded rows meet zero inputs.
 *
 * <p>Plain Java (no Vector API types), so layers may hold one whatever kernels are in use.
 * Immutable after construction.
 */
public final class PackedMatrix {
    private final int k;
    private final int n;
    private final int panelWidth;
    private final float[] data; // [panels][k][panelWidth]
    private final Object aligned; // an AlignedWeights copy of data for the batch-1 kernels, or null
    private final int[] pairs; // data in 16 bits (Bfloat16.pairs) for the batch-1 kernels, or null

    private PackedMatrix(int k, int n, int panelWidth) {
        if (k < 0 || n <= 0 || panelWidth <= 0) {
            throw new IllegalArgumentException("bad packed shape k=" + k + " n=" + n + " panel=" + panelWidth);
        }
        this.k = k;
        this.n = n;
        this.panelWidth = panelWidth;
        int panels = (n + panelWidth - 1) / panelWidth;
        this.data = new float[Math.multiplyExact(Math.multiplyExact(panels, k), panelWidth)];
        this.aligned = null;
        this.pairs = null;
    }

    /**
     * The largest matrix {@link #aligned()} copies: 4 MiB. Alignment pays while the weights stream from a core's
     * caches; a larger matrix streams from L3 or memory, where split lines cost nothing measurable (4 MiB and 16 MiB
     * both at 29 GB/s aligned or not, 2-vCPU Xeon with 2 MiB of L2 per core), and a large model's weights would
     * otherwise take twice their memory.
     */
    static final int MAX_ALIGNED_FLOATS = 1 << 20;

    private PackedMatrix(PackedMatrix packed, Object aligned, int[] pairs) {
        this.k = packed.k;
        this.n = packed.n;
        this.panelWidth = packed.panelWidth;
        this.data = packed.data;
        this.aligned = aligned;
        this.pairs = pairs;
    }

    /**
     * This matrix with the copy of its data that the batch-1 kernels read instead, where there is one worth making:
     * <ul>
     *   <li>every value a bfloat16 (low 16 bits zero, as {@code Model.withBfloat16Kernels()} leaves the kernels):
     *       the values in 16 bits ({@link Bfloat16#pairs}), half the bytes of float32 streamed per batch-1 step, on
     *       any Java version and at any size;</li>
     *   <li>else an aligned off-heap copy ({@link AlignedWeights}: about 1.5× faster at batch 1, where each step
     *       streams all of a recurrent kernel), unless that copy is not available (Java 21) or not worth it (over
     *       {@link #MAX_ALIGNED_FLOATS}).</li>
     * </ul>
     * Itself when neither applies or for another panel width than the kernels'. Either copy gives the same results
     * bit for bit. For weights a layer keeps, not for matrices packed per call: the copy costs half the matrix's
     * size (bfloat16) or all of it again (aligned, off the heap).
     */
    public PackedMatrix aligned() {
        if (aligned != null || pairs != null || panelWidth != PackedGemm.panelWidth()) {
            return this;
        }
        if (Bfloat16.exact(data)) {
            return new PackedMatrix(this, null, Bfloat16.pairs(data, panelWidth / 4));
        }
        AlignedWeights rows = AlignedWeights.INSTANCE;
        if (rows == null || data.length > MAX_ALIGNED_FLOATS) {
            return this;
        }
        Object copy = rows.copy(data);
        return copy == null ? this : new PackedMatrix(this, copy, null);
    }

    /** The 16-bit copy of {@link #data()} ({@link #aligned()}, {@link Bfloat16#pairs}), or null. */
    int[] pairs() {
        return pairs;
    }

    /** The aligned copy of {@link #data()} ({@link #aligned()}), or null. */
    Object alignedData() {
        return aligned;
    }

    /**
     * Packs a row-major B [k, n] keeping its column order.
     *
     * @param b          B, {@code k} rows of {@code n} values from {@code offset}
     * @param panelWidth columns per panel, a multiple of the vector width
     */
    public static PackedMatrix pack(float[] b, int offset, int k, int n, int panelWidth) {
        PackedMatrix p = new PackedMatrix(k, n, panelWidth);
        int panels = p.panels();
        for (int row = 0; row < k; row++) { // one copy per row and panel: a training step packs its weights anew
            int src = offset + row * n;
            for (int q = 0; q < panels; q++) {
                int col = q * panelWidth;
                System.arraycopy(b, src + col, p.data, (q * k + row) * panelWidth, Math.min(panelWidth, n - col));
            }
        }
        return p;
    }

    /**
     * Packs the logical matrix B [k, n] from an array that stores Bᵀ row-major as [n, k] (element
     * (row, col) of B at {@code bt[offset + col*k + row]}): how a weight [in, out] is applied backwards.
     */
    public static PackedMatrix packTransposed(float[] bt, int offset, int k, int n, int panelWidth) {
        PackedMatrix p = new PackedMatrix(k, n, panelWidth);
        for (int col = 0; col < n; col++) {
            int src = offset + col * k;
            int dst = (col / panelWidth) * k * panelWidth + col % panelWidth;
            for (int row = 0; row < k; row++) {
                p.data[dst + row * panelWidth] = bt[src + row];
            }
        }
        return p;
    }

    /**
     * Packs LSTM weights W [rows, 4*units] (gates i, f, c, o side by side, Keras's layout) with the
     * gates interleaved per group of {@code lanes} units, in the order i, f, o, c: packed column
     * {@code g*4*lanes + s*lanes + l} is gate slot s of unit {@code g*lanes + l}. So one panel of
     * {@code 4*lanes} columns holds all four gates of the same {@code lanes} units (a cell update needs
     * only that panel), and the three gates with the recurrent activation are adjacent. Units are padded
     * up to a multiple of {@code lanes} and rows up to {@code paddedRows} with zeros.
     *
     * @param w          [rows, 4*units], row-major
     * @param paddedRows rows of the result, at least {@code rows}
     */
    public static PackedMatrix packLstmGates(float[] w, int rows, int units, int lanes, int paddedRows) {
        int paddedUnits = paddedUnits(units, lanes);
        PackedMatrix p = new PackedMatrix(paddedRows, 4 * paddedUnits, 4 * lanes);
        p.copyLstmGates(w, rows, units, lanes, true);
        return p;
    }

    /**
     * The inverse of {@link #packLstmGates}: W [rows, 4*units] in Keras's layout, a fresh array. Lets an LSTM hold
     * its weights once, packed, and still hand them out as Keras stores them (to save or train a model).
     */
    public float[] unpackLstmGates(int rows, int units, int lanes) {
        float[] w = new float[Math.multiplyExact(rows, 4 * units)];
        copyLstmGates(w, rows, units, lanes, false);
        return w;
    }

    /**
     * Copies between Keras's layout W [rows, 4*units] and this gate-interleaved one (panel width {@code 4*lanes}):
     * the {@code lanes} units of gate q in group g are contiguous on both sides, one array copy each (a 200 MB
     * model packs in a fraction of a second, not element by element).
     */
    private void copyLstmGates(float[] w, int rows, int units, int lanes, boolean pack) {
        int groups = (units + lanes - 1) / lanes;
        for (int row = 0; row < rows; row++) {
            for (int q = 0; q < 4; q++) {
                int slot = q == 2 ? 3 : q == 3 ? 2 : q;
                int src = row * 4 * units + q * units;
                for (int g = 0; g < groups; g++) {
                    int at = (g * k + row) * panelWidth + slot * lanes; // index(row, gateColumn(q, g*lanes, lanes))
                    int n = Math.min(lanes, units - g * lanes);
                    if (pack) {
                        System.arraycopy(w, src + g * lanes, data, at, n);
                    } else {
                        System.arraycopy(data, at, w, src + g * lanes, n);
                    }
                }
            }
        }
    }

    /**
     * Packs W [rows, columnOf.length] (row-major) into a matrix of {@code n} columns and {@code paddedRows}
     * rows with source column s at column {@code columnOf[s]}; every other column and row is zero. How the GRU
     * and SimpleRNN weights get the column layouts of {@link PackedGru} and {@link PackedSimpleRnn}.
     *
     * @param columnOf   distinct columns below {@code n}, one per source column
     * @param paddedRows rows of the result, at least {@code rows}
     */
    public static PackedMatrix packColumns(float[] w, int rows, int[] columnOf, int n, int paddedRows,
                                           int panelWidth) {
        PackedMatrix p = new PackedMatrix(paddedRows, n, panelWidth);
        p.copyColumns(w, rows, columnOf, true);
        return p;
    }

    /**
     * The inverse of {@link #packColumns}: W [rows, columnOf.length] row-major, a fresh array (how a layer that
     * holds only its packed weights hands them out in Keras's layout).
     */
    public float[] unpackColumns(int rows, int[] columnOf) {
        float[] w = new float[Math.multiplyExact(rows, columnOf.length)];
        copyColumns(w, rows, columnOf, false);
        return w;
    }

    /**
     * Copies between W [rows, columnOf.length] row-major and this matrix, source column s at column
     * {@code columnOf[s]}: consecutive source columns that land on consecutive columns of one panel are copied as
     * one run (whole vector groups for the GRU and SimpleRNN layouts), not element by element.
     */
    private void copyColumns(float[] w, int rows, int[] columnOf, boolean pack) {
        int cols = columnOf.length;
        int[] runs = new int[2 * cols + 2]; // (first source column, length) pairs
        int nRuns = 0;
        for (int s = 0; s < cols; ) {
            int len = 1;
            while (s + len < cols && columnOf[s + len] == columnOf[s] + len
                    && (columnOf[s] + len) / panelWidth == columnOf[s] / panelWidth) {
                len++;
            }
            runs[2 * nRuns] = s;
            runs[2 * nRuns + 1] = len;
            nRuns++;
            s += len;
        }
        for (int row = 0; row < rows; row++) {
            for (int r = 0; r < nRuns; r++) {
                int s = runs[2 * r];
                int at = index(row, columnOf[s]);
                if (pack) {
                    System.arraycopy(w, row * cols + s, data, at, runs[2 * r + 1]);
                } else {
                    System.arraycopy(data, at, w, row * cols + s, runs[2 * r + 1]);
                }
            }
        }
    }

    /** The inverse of {@link #pack} at offset 0: B [k, n] row-major, a fresh array. */
    public float[] unpack() {
        float[] b = new float[Math.multiplyExact(k, n)];
        int panels = panels();
        for (int row = 0; row < k; row++) {
            for (int q = 0; q < panels; q++) {
                int col = q * panelWidth;
                System.arraycopy(data, (q * k + row) * panelWidth, b, row * n + col, Math.min(panelWidth, n - col));
            }
        }
        return b;
    }

    /**
     * A row of {@code n} values with {@code values[offset + s]} at {@code columnOf[s]} and zeros elsewhere (all
     * zeros when {@code values} is null): a bias in the column layout of {@link #packColumns}.
     */
    public static float[] scatterRow(float[] values, int offset, int[] columnOf, int n) {
        float[] row = new float[n];
        if (values != null) {
            for (int s = 0; s < columnOf.length; s++) {
                row[columnOf[s]] = values[offset + s];
            }
        }
        return row;
    }

    /** {@code n} rounded up to a multiple of {@code m}. */
    public static int roundUp(int n, int m) {
        return Math.multiplyExact((n + m - 1) / m, m);
    }

    /** The LSTM bias [4*units] in the gate-interleaved column order of {@link #packLstmGates}, zero-padded. */
    public static float[] lstmGateRow(float[] bias, int units, int lanes) {
        float[] row = new float[4 * paddedUnits(units, lanes)];
        if (bias != null) {
            for (int q = 0; q < 4; q++) {
                for (int u = 0; u < units; u++) {
                    row[gateColumn(q, u, lanes)] = bias[q * units + u];
                }
            }
        }
        return row;
    }

    /** The inverse of {@link #lstmGateRow}: the bias [4*units] in Keras's gate order, a fresh array. */
    public static float[] unpackLstmGateRow(float[] row, int units, int lanes) {
        float[] bias = new float[4 * units];
        for (int q = 0; q < 4; q++) {
            for (int u = 0; u < units; u++) {
                bias[q * units + u] = row[gateColumn(q, u, lanes)];
            }
        }
        return bias;
    }

    /** Units rounded up to a multiple of {@code lanes}. */
    public static int paddedUnits(int units, int lanes) {
        return Math.multiplyExact((units + lanes - 1) / lanes, lanes);
    }

    /** Keras gate q (i, f, c, o) of unit u to its packed column (slots i, f, o, c). */
    private static int gateColumn(int q, int u, int lanes) {
        int slot = q == 2 ? 3 : q == 3 ? 2 : q;
        return (u / lanes) * 4 * lanes + slot * lanes + u % lanes;
    }

    private int index(int row, int col) {
        return ((col / panelWidth) * k + row) * panelWidth + col % panelWidth;
    }

    /** Rows (the inner dimension of the product). */
    public int rows() {
        return k;
    }

    /** Logical columns. */
    public int columns() {
        return n;
    }

    /** Columns per panel. */
    public int panelWidth() {
        return panelWidth;
    }

    /** Number of panels. */
    public int panels() {
        return (n + panelWidth - 1) / panelWidth;
    }

    /** Columns including the zero padding of the last panel. */
    public int paddedColumns() {
        return panels() * panelWidth;
    }

    /** The packed values, [panels][rows][panelWidth]; read-only by contract. */
    float[] data() {
        return data;
    }
}
