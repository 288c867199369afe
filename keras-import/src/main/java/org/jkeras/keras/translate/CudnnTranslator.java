package org.jkeras.keras.translate;

import org.jkeras.keras.format.LayerWeights;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.tensor.Activation;
import org.jkeras.runtime.layers.Gru;
import org.jkeras.runtime.layers.Lstm;
import org.jkeras.runtime.layers.RecurrentLayer;

/**
 * Keras 2's GPU-only {@code CuDNNLSTM} and {@code CuDNNGRU}, run as the LSTM and the {@code reset_after=True} GRU
 * they equal (tanh, sigmoid gates, biases), with their weights converted exactly as Keras 2 converts them when
 * it loads such weights into an LSTM / GRU ({@code hdf5_format._convert_rnn_weights}): each gate's input kernel
 * {@code k [in, units]} becomes {@code k.T.reshape(k.shape, order='F')} (cuDNN reads the row-major kernel as
 * {@code [units, in]}), each gate's recurrent kernel is transposed, and the bias is the sum of its input and
 * recurrent halves (LSTM, {@code [8u] -> [4u]}) or reshaped to {@code [2, 3u]} (GRU).
 */
final class CudnnTranslator implements LayerTranslator {
    private final boolean lstm;

    /** The translator of CuDNNLSTM ({@code lstm}) or CuDNNGRU. */
    CudnnTranslator(boolean lstm) {
        this.lstm = lstm;
    }

    @Override
    public RecurrentLayer translate(LayerSpec spec, Shape input, LayerWeights weights, TranslationContext ctx) {
        RecurrentConfig rc = RecurrentConfig.read(spec, input, ctx);
        int units = rc.units();
        int in = rc.in();
        int gates = lstm ? 4 : 3;
        int width = Math.multiplyExact(gates, units);
        Weights.requireCount(spec, ctx, weights, 3, "kernel, recurrent_kernel, bias");
        float[] kernel = Weights.read(spec, ctx, weights.get(0), "kernel", in, width).toFloatArray();
        float[] recurrent = Weights.read(spec, ctx, weights.get(1), "recurrent_kernel", units, width).toFloatArray();
        float[] bias = Weights.read(spec, ctx, weights.get(2), "bias", 2 * width).toFloatArray();
        Tensor k = Tensor.wrap(perGate(kernel, in, units, gates, true), in, width);
        Tensor r = Tensor.wrap(perGate(recurrent, units, units, gates, false), units, width);
        if (lstm) {
            float[] b = new float[width];
            for (int j = 0; j < width; j++) {
                b[j] = bias[j] + bias[width + j]; // np.sum(np.split(bias, 2), axis=0), in float32
            }
            return new Lstm(spec.name(), units, k, r, Tensor.wrap(b, width), Activation.TANH, Activation.SIGMOID,
                    rc.returnSequences(), rc.stateful(), rc.goBackwards(), 0.0, 0.0);
        }
        return new Gru(spec.name(), units, k, r, Tensor.wrap(bias, 2, width), true, Activation.TANH,
                Activation.SIGMOID, rc.returnSequences(), rc.stateful(), rc.goBackwards(), 0.0, 0.0);
    }

    /**
     * Applies Keras 2's per-gate transform to a {@code [rows, gates*units]} matrix: for an input kernel
     * ({@code fortran}) {@code k.T.reshape(k.shape, order='F')}, i.e. {@code new[i, j] = k[p / units, p % units]}
     * with {@code p = i + j*rows}; for a recurrent kernel ({@code rows == units}) the transpose.
     */
    static float[] perGate(float[] m, int rows, int units, int gates, boolean fortran) {
        int width = gates * units;
        float[] out = new float[m.length];
        for (int g = 0; g < gates; g++) {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < units; j++) {
                    int si;
                    int sj;
                    if (fortran) {
                        int p = i + j * rows;
                        si = p / units;
                        sj = p % units;
                    } else {
                        si = j;
                        sj = i;
                    }
                    out[i * width + g * units + j] = m[si * width + g * units + sj];
                }
            }
        }
        return out;
    }
}
