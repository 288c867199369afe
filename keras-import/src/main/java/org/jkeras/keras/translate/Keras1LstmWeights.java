package org.jkeras.keras.translate;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jkeras.keras.format.LayerWeights;
import org.jkeras.keras.format.WeightArray;
import org.jkeras.runtime.Tensor;

/**
 * Keras 1 stored an LSTM's weights per gate: {@code lstm_1_W_i}, {@code lstm_1_U_f},
 * {@code lstm_1_b_c}, ... (TensorFlow-saved names end in {@code :0}, Theano-saved ones do not).
 * Each is identified by its name's suffix and assembled into Keras 2's layout: kernel
 * {@code [in, 4u]}, recurrent kernel {@code [u, 4u]}, bias {@code [4u]}, gates in order i, f, c, o.
 */
final class Keras1LstmWeights {
    private static final Pattern NAME = Pattern.compile("(?:^|.*_)([WUb])_([ifco])(?::\\d+)?$");
    private static final String GATES = "ifco";

    private Keras1LstmWeights() {
    }

    /** True when the stored arrays are the 12 per-gate arrays of Keras 1. */
    static boolean matches(LayerWeights w) {
        if (w.size() != 12) {
            return false;
        }
        for (WeightArray a : w.arrays()) {
            if (!NAME.matcher(a.name()).matches()) {
                return false;
            }
        }
        return true;
    }

    /** The assembled kernel, recurrent kernel and bias. */
    static Tensor[] assemble(LayerSpec spec, TranslationContext ctx, LayerWeights w, int in, int units) {
        Map<String, WeightArray> byRole = new HashMap<>();
        for (WeightArray a : w.arrays()) {
            Matcher m = NAME.matcher(a.name());
            if (!m.matches()) {
                throw ctx.error(spec, "Keras 1 LSTM weight '" + a.name() + "' is not named <layer>_{W,U,b}_{i,f,c,o}");
            }
            if (byRole.put(m.group(1) + "_" + m.group(2), a) != null) {
                throw ctx.error(spec, "Keras 1 LSTM weight " + m.group(1) + "_" + m.group(2) + " is stored twice");
            }
        }
        float[] kernel = new float[Math.multiplyExact(in, 4 * units)];    // [in, 4u], gates i, f, c, o
        float[] recurrent = new float[Math.multiplyExact(units, 4 * units)]; // [u, 4u]
        float[] bias = new float[4 * units];                              // [4u]
        for (int g = 0; g < 4; g++) {
            char gate = GATES.charAt(g);
            scatter(read(spec, ctx, byRole, "W_" + gate, in, units), kernel, in, units, g);
            scatter(read(spec, ctx, byRole, "U_" + gate, units, units), recurrent, units, units, g);
            System.arraycopy(read(spec, ctx, byRole, "b_" + gate, units).data(), 0, bias, g * units, units);
        }
        return new Tensor[] {Tensor.wrap(kernel, in, 4 * units), Tensor.wrap(recurrent, units, 4 * units),
            Tensor.wrap(bias, 4 * units)};
    }

    private static Tensor read(LayerSpec spec, TranslationContext ctx, Map<String, WeightArray> byRole, String role,
                               int... shape) {
        WeightArray a = byRole.get(role);
        if (a == null) {
            throw ctx.error(spec, "Keras 1 LSTM weight '" + role + "' is missing (found " + byRole.keySet() + ")");
        }
        return Weights.read(spec, ctx, a, role, shape);
    }

    /** Copies a gate's [rows, units] block into columns [g*units, (g+1)*units) of a [rows, 4*units] matrix. */
    private static void scatter(Tensor block, float[] target, int rows, int units, int g) {
        float[] src = block.data();
        for (int r = 0; r < rows; r++) {
            System.arraycopy(src, r * units, target, r * 4 * units + g * units, units);
        }
    }
}
