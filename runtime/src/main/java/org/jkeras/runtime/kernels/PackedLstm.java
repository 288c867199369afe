package org.jkeras.runtime.kernels;

import org.jkeras.runtime.tensor.Activation;

/**
 * LSTM weights packed once for {@link VectorLstm}: W [in, 4u] and U [u, 4u] in the gate-interleaved
 * panel layout of {@link PackedMatrix#packLstmGates}, the bias in the same column order, units padded
 * to a multiple of the vector width. Plain Java, immutable; built by the layer's constructor when
 * the Vector API kernels are in use.
 */
public final class PackedLstm {
    final int in;
    final int units;
    final int lanes;
    final int paddedUnits;
    final PackedMatrix kernel;          // [in, 4*paddedUnits], gate-interleaved
    final PackedMatrix recurrentKernel; // [paddedUnits, 4*paddedUnits], gate-interleaved, zero rows past units
    final float[] bias;                 // [4*paddedUnits], gate-interleaved, zeros when the layer has none
    final Activation activation;
    final Activation recurrentActivation;

    /**
     * Packs Keras-layout weights.
     *
     * @param kernel          W, [in, 4*units] (gates i, f, c, o)
     * @param recurrentKernel U, [units, 4*units]
     * @param bias            [4*units], or null
     * @param lanes           the vector width the kernels run with ({@link Kernels#lanes()})
     */
    public PackedLstm(float[] kernel, float[] recurrentKernel, float[] bias, int in, int units,
                      Activation activation, Activation recurrentActivation, int lanes) {
        this.in = in;
        this.units = units;
        this.lanes = lanes;
        this.paddedUnits = PackedMatrix.paddedUnits(units, lanes);
        this.kernel = PackedMatrix.packLstmGates(kernel, in, units, lanes, in).aligned();
        this.recurrentKernel = PackedMatrix.packLstmGates(recurrentKernel, units, units, lanes, paddedUnits).aligned();
        this.bias = PackedMatrix.lstmGateRow(bias, units, lanes);
        this.activation = activation;
        this.recurrentActivation = recurrentActivation;
    }

    /** W [in, 4*units] in Keras's layout (i, f, c, o), unpacked into a fresh array. */
    public float[] kernel() {
        return kernel.unpackLstmGates(in, units, lanes);
    }

    /** U [units, 4*units] in Keras's layout, unpacked into a fresh array. */
    public float[] recurrentKernel() {
        return recurrentKernel.unpackLstmGates(units, units, lanes);
    }

    /** The bias [4*units] in Keras's layout, unpacked into a fresh array (zeros when the layer has none). */
    public float[] bias() {
        return PackedMatrix.unpackLstmGateRow(bias, units, lanes);
    }
}
