package org.jkeras.runtime.kernels;

import org.jkeras.runtime.tensor.Activation;

/**
 * SimpleRNN weights packed once for {@link VectorSimpleRnn}: W [in, units] and U [units, units] in
 * {@link PackedGemm}'s panels, Keras's column order, the columns padded with zeros to whole panels and the rows
 * of U to a multiple of the vector width (the padded rows are zero, so padded units never reach a real one).
 * Plain Java, immutable; built by the layer's constructor when the Vector API kernels are in use.
 */
public final class PackedSimpleRnn {
    final int in;
    final int units;
    final int lanes;
    final int paddedUnits;
    final int columns;                  // paddedUnits rounded up to whole panels
    final PackedMatrix kernel;          // W: [in, columns]
    final PackedMatrix recurrentKernel; // U: [paddedUnits, columns], zero rows past units
    final float[] bias;                 // [columns], zeros when the layer has none
    final Activation activation;

    /**
     * Packs Keras-layout weights.
     *
     * @param kernel          W, [in, units]
     * @param recurrentKernel U, [units, units]
     * @param bias            [units], or null
     * @param lanes           the vector width the kernels run with ({@link Kernels#lanes()})
     */
    public PackedSimpleRnn(float[] kernel, float[] recurrentKernel, float[] bias, int in, int units,
                           Activation activation, int lanes) {
        this.in = in;
        this.units = units;
        this.lanes = lanes;
        this.paddedUnits = PackedMatrix.paddedUnits(units, lanes);
        int pw = 4 * lanes; // PackedGemm's panel width
        this.columns = PackedMatrix.roundUp(paddedUnits, pw);
        int[] columnOf = identity(units);
        this.kernel = PackedMatrix.packColumns(kernel, in, columnOf, columns, in, pw).aligned();
        this.recurrentKernel = PackedMatrix.packColumns(recurrentKernel, units, columnOf, columns, paddedUnits, pw).aligned();
        this.bias = PackedMatrix.scatterRow(bias, 0, columnOf, columns);
        this.activation = activation;
    }

    /** W [in, units] in Keras's layout, unpacked into a fresh array. */
    public float[] kernel() {
        return kernel.unpackColumns(in, identity(units));
    }

    /** U [units, units] in Keras's layout, unpacked into a fresh array. */
    public float[] recurrentKernel() {
        return recurrentKernel.unpackColumns(units, identity(units));
    }

    private static int[] identity(int n) {
        int[] map = new int[n];
        for (int i = 0; i < n; i++) {
            map[i] = i;
        }
        return map;
    }
}
