package org.jkeras.keras;

import java.util.List;
import org.jkeras.fixtures.FixtureArray;
import org.jkeras.runtime.tensor.Tensor;

/** Cutting fixture sequences into pieces of time and joining sequence outputs back, for session tests. */
final class TimeSlices {
    private TimeSlices() {
    }

    /** x[:, t0:t0+len, :] of a [batch, time, features] array. */
    static Tensor timeSlice(FixtureArray x, int t0, int len) {
        int batch = x.dim(0);
        int steps = x.dim(1);
        int f = x.dim(2);
        float[] out = new float[batch * len * f];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(x.data(), (b * steps + t0) * f, out, b * len * f, len * f);
        }
        return Tensor.wrap(out, batch, len, f);
    }

    /** Concatenates [batch, t_i, units] pieces along time. */
    static Tensor concatTime(List<Tensor> pieces) {
        int batch = pieces.get(0).dim(0);
        int units = pieces.get(0).dim(2);
        int steps = pieces.stream().mapToInt(p -> p.dim(1)).sum();
        float[] out = new float[batch * steps * units];
        int t0 = 0;
        for (Tensor p : pieces) {
            int len = p.dim(1);
            for (int b = 0; b < batch; b++) {
                System.arraycopy(p.data(), b * len * units, out, (b * steps + t0) * units, len * units);
            }
            t0 += len;
        }
        return Tensor.wrap(out, batch, steps, units);
    }

    /** The rows (axis 0) of an array in the given order. */
    static FixtureArray rows(FixtureArray a, int[] order) {
        int row = a.size() / a.dim(0);
        float[] out = new float[order.length * row];
        for (int r = 0; r < order.length; r++) {
            System.arraycopy(a.data(), order[r] * row, out, r * row, row);
        }
        int[] shape = a.shape().clone();
        shape[0] = order.length;
        return FixtureArray.ofFloats(a.path() + " rows " + java.util.Arrays.toString(order), out, shape);
    }
}
