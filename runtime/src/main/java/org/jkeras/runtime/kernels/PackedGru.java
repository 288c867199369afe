package org.jkeras.runtime.kernels;

import org.jkeras.runtime.tensor.Activation;

/**
 * GRU weights packed once for {@link VectorGru}, in one column layout shared by W and U:
 * <pre>
 *   columns [0, zrCols):        z and r interleaved per group of {@code lanes} units: group g holds z of units
 *                                g*lanes.. then r of the same units (a gate update reads one 2-vector slot)
 *   columns [zrCols, columns):  the candidate h of unit u at zrCols + u
 * </pre>
 * each part padded with zero columns to whole panels of {@link PackedGemm#panelWidth()}, so the [z r] part and
 * the candidate part are separate runs of whole panels ({@link PackedGemm#multiplyPanels}): reset_after=False
 * needs r before the candidate's product, and reset_after=True keeps h·U_h + b_rec_h apart from the input side.
 * Units are padded to a multiple of the vector width (the padded rows of U are zero, so padded units never reach
 * a real one). Plain Java, immutable; built by the layer's constructor when the Vector API kernels are in use.
 */
public final class PackedGru {
    final int in;
    final int units;
    final int lanes;
    final int paddedUnits;
    final int zrCols;                   // [z r] columns, a multiple of the panel width
    final int columns;                  // zrCols + the candidate columns, a multiple of the panel width
    final boolean resetAfter;
    final PackedMatrix kernel;          // W: [in, columns]
    final PackedMatrix recurrentKernel; // U: [paddedUnits, columns], zero rows past units
    /** The input-side bias [columns]: reset_after folds b_rec of z and r in (they are only ever summed). */
    final float[] bias;
    /** reset_after only: b_rec of the candidate at its columns of a [columns] row (zeros elsewhere); else null. */
    final float[] recurrentBias;
    final Activation activation;
    final Activation recurrentActivation;

    /**
     * Packs Keras-layout weights.
     *
     * @param kernel          W, [in, 3*units] (gates z, r, h)
     * @param recurrentKernel U, [units, 3*units]
     * @param bias            reset_after: [2, 3*units] (input bias, then recurrent bias); else [3*units]; or null
     * @param lanes           the vector width the kernels run with ({@link Kernels#lanes()})
     */
    public PackedGru(float[] kernel, float[] recurrentKernel, float[] bias, int in, int units, boolean resetAfter,
                     Activation activation, Activation recurrentActivation, int lanes) {
        this.in = in;
        this.units = units;
        this.lanes = lanes;
        this.resetAfter = resetAfter;
        this.paddedUnits = PackedMatrix.paddedUnits(units, lanes);
        int pw = 4 * lanes; // PackedGemm's panel width
        this.zrCols = PackedMatrix.roundUp(2 * paddedUnits, pw);
        this.columns = Math.addExact(zrCols, PackedMatrix.roundUp(paddedUnits, pw));
        int[] columnOf = columnMap(units, lanes, zrCols);
        this.kernel = PackedMatrix.packColumns(kernel, in, columnOf, columns, in, pw).aligned();
        this.recurrentKernel = PackedMatrix.packColumns(recurrentKernel, units, columnOf, columns, paddedUnits, pw).aligned();
        int gates = 3 * units;
        float[] inputBias = bias == null ? null : java.util.Arrays.copyOf(bias, gates);
        if (resetAfter && bias != null) {
            for (int j = 0; j < 2 * units; j++) { // z, r: x̂ + ĥ sums the two biases anyway
                inputBias[j] += bias[gates + j];
            }
            float[] candidate = new float[gates];
            System.arraycopy(bias, gates + 2 * units, candidate, 2 * units, units);
            this.recurrentBias = PackedMatrix.scatterRow(candidate, 0, columnOf, columns);
        } else {
            this.recurrentBias = resetAfter ? new float[columns] : null;
        }
        this.bias = PackedMatrix.scatterRow(inputBias, 0, columnOf, columns);
        this.activation = activation;
        this.recurrentActivation = recurrentActivation;
    }

    /** W [in, 3*units] in Keras's layout (z, r, h), unpacked into a fresh array. */
    public float[] kernel() {
        return kernel.unpackColumns(in, columnMap(units, lanes, zrCols));
    }

    /** U [units, 3*units] in Keras's layout, unpacked into a fresh array. */
    public float[] recurrentKernel() {
        return recurrentKernel.unpackColumns(units, columnMap(units, lanes, zrCols));
    }

    /** Keras column q*units + u (gate q of z, r, h; unit u) to its packed column. */
    private static int[] columnMap(int units, int lanes, int zrCols) {
        int[] map = new int[3 * units];
        for (int u = 0; u < units; u++) {
            int group = (u / lanes) * 2 * lanes + u % lanes;
            map[u] = group;                      // z
            map[units + u] = group + lanes;      // r
            map[2 * units + u] = zrCols + u;     // h
        }
        return map;
    }
}
