package org.jkeras.keras.translate;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jkeras.keras.format.LayerWeights;
import org.jkeras.keras.format.WeightArray;
import org.jkeras.runtime.tensor.Tensor;

/**
 * Keras 1 stored gated recurrent layers' weights per gate: {@code lstm_1_W_i}, {@code lstm_1_U_f},
 * {@code gru_1_b_z}, ... (TensorFlow-saved names end in {@code :0}, Theano-saved ones do not).
 * Each is identified by its name's suffix and assembled into Keras 2's layout: kernel
 * {@code [in, g*u]}, recurrent kernel {@code [u, g*u]}, bias {@code [g*u]}, gates side by side in
 * Keras's order ({@link #LSTM}: i, f, c, o; {@link #GRU}: z, r, h).
 */
final class Keras1GateWeights {
    /** LSTM: gates i, f, c, o. */
    static final Keras1GateWeights LSTM = new Keras1GateWeights("LSTM", "ifco");
    /** GRU: gates z, r, h. */
    static final Keras1GateWeights GRU = new Keras1GateWeights("GRU", "zrh");

    private final String kind;
    private final String gates;
    private final Pattern name;

    private Keras1GateWeights(String kind, String gates) {
        this.kind = kind;
        this.gates = gates;
        this.name = Pattern.compile("(?:^|.*_)([WUb])_([" + gates + "])(?::\\d+)?$");
    }

    /** True when the stored arrays are the 3 per gate arrays of Keras 1. */
    boolean matches(LayerWeights w) {
        if (w.size() != 3 * gates.length()) {
            return false;
        }
        for (WeightArray a : w.arrays()) {
            if (!name.matcher(a.name()).matches()) {
                return false;
            }
        }
        return true;
    }

    /** The assembled kernel, recurrent kernel and bias. */
    Tensor[] assemble(LayerSpec spec, TranslationContext ctx, LayerWeights w, int in, int units) {
        Map<String, WeightArray> byRole = new HashMap<>();
        for (WeightArray a : w.arrays()) {
            Matcher m = name.matcher(a.name());
            if (!m.matches()) {
                throw ctx.error(spec, "Keras 1 " + kind + " weight '" + a.name() + "' is not named <layer>_{W,U,b}_{"
                        + String.join(",", gates.split("")) + "}");
            }
            if (byRole.put(m.group(1) + "_" + m.group(2), a) != null) {
                throw ctx.error(spec, "Keras 1 " + kind + " weight " + m.group(1) + "_" + m.group(2) + " is stored twice");
            }
        }
        int g = gates.length();
        int width = Math.multiplyExact(g, units);
        float[] kernel = new float[Math.multiplyExact(in, width)];       // [in, g*u]
        float[] recurrent = new float[Math.multiplyExact(units, width)]; // [u, g*u]
        float[] bias = new float[width];                                 // [g*u]
        for (int k = 0; k < g; k++) {
            char gate = gates.charAt(k);
            scatter(read(spec, ctx, byRole, "W_" + gate, in, units), kernel, in, units, g, k);
            scatter(read(spec, ctx, byRole, "U_" + gate, units, units), recurrent, units, units, g, k);
            System.arraycopy(read(spec, ctx, byRole, "b_" + gate, units).data(), 0, bias, k * units, units);
        }
        return new Tensor[] {Tensor.wrap(kernel, in, width), Tensor.wrap(recurrent, units, width),
            Tensor.wrap(bias, width)};
    }

    private Tensor read(LayerSpec spec, TranslationContext ctx, Map<String, WeightArray> byRole, String role,
                        int... shape) {
        WeightArray a = byRole.get(role);
        if (a == null) {
            throw ctx.error(spec, "Keras 1 " + kind + " weight '" + role + "' is missing (found " + byRole.keySet() + ")");
        }
        return Weights.read(spec, ctx, a, role, shape);
    }

    /** Copies gate k's [rows, units] block into columns [k*units, (k+1)*units) of a [rows, g*units] matrix. */
    private static void scatter(Tensor block, float[] target, int rows, int units, int g, int k) {
        float[] src = block.data();
        for (int r = 0; r < rows; r++) {
            System.arraycopy(src, r * units, target, r * g * units + k * units, units);
        }
    }
}
