package org.jkeras.runtime.training;

import java.util.ArrayList;
import java.util.List;
import org.jkeras.runtime.tensor.InputMismatchException;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.training.loss.Loss;

/** The checks {@link Fit} makes on its data before any step, and batch slicing along axis 0. */
final class FitData {
    private FitData() {
    }

    /**
     * Fails, naming the tensor and what was expected, unless {@code x} and {@code y} fit the model and its
     * losses: one tensor per input and output, one batch size, declared shapes, targets the loss accepts,
     * only finite values.
     *
     * @param what "training data" or "validation data", for messages
     */
    static void check(Model model, List<Tensor> x, List<Tensor> y, Tensor sampleWeight, List<Loss> losses,
                      String what) {
        List<String> inputs = model.inputNames();
        if (x.size() != inputs.size()) {
            throw new InputMismatchException(what + ": the model takes " + inputs.size() + " input(s) " + inputs
                    + ", got " + x.size());
        }
        int outputs = model.graph().outputs().size();
        if (y.size() != outputs) {
            throw new InputMismatchException(what + ": the model has " + outputs + " output(s), got " + y.size()
                    + " target(s)");
        }
        int n = -1;
        for (int i = 0; i < x.size(); i++) {
            Tensor t = x.get(i);
            Shape declared = model.inputShapes().get(i);
            // axis 0 is the sample count here; a fixed batch (stateful model) is checked per batch
            if (t == null || t.rank() == 0 || !declared.with(0, Shape.UNKNOWN).accepts(t.shape())) {
                throw new InputMismatchException(what + ": input '" + inputs.get(i) + "' expects shape " + declared
                        + ", got " + (t == null ? "null" : Shape.format(t.shape())));
            }
            n = sameBatch(n, t, what + ": input '" + inputs.get(i) + "'");
            requireFinite(t, what + ": input '" + inputs.get(i) + "'");
        }
        for (int k = 0; k < y.size(); k++) {
            Tensor t = y.get(k);
            String name = what + ": target " + k;
            if (t == null || t.rank() == 0) {
                throw new InputMismatchException(name + " must have a batch axis, got "
                        + (t == null ? "null" : Shape.format(t.shape())));
            }
            n = sameBatch(n, t, name);
            requireFinite(t, name);
            try {
                losses.get(k).checkTargets(t, model.outputShapes().get(k).with(0, Shape.UNKNOWN));
            } catch (IllegalArgumentException e) {
                throw new InputMismatchException(name + " does not fit output " + k + " "
                        + model.outputShapes().get(k).with(0, Shape.UNKNOWN) + " with loss " + losses.get(k).name()
                        + ": " + e.getMessage());
            }
        }
        if (sampleWeight != null) {
            if (sampleWeight.rank() < 1 || sampleWeight.rank() > 2) {
                throw new InputMismatchException(what + ": sample weights must be [samples] or [samples, time], got "
                        + Shape.format(sampleWeight.shape()));
            }
            n = sameBatch(n, sampleWeight, what + ": sample weights");
            requireFinite(sampleWeight, what + ": sample weights");
        }
        if (n == 0) {
            throw new InputMismatchException(what + " has no samples");
        }
    }

    private static int sameBatch(int n, Tensor t, String name) {
        int b = t.dim(0);
        if (n >= 0 && b != n) {
            throw new InputMismatchException(name + " has " + b + " samples but the data before it has " + n
                    + ": every input, target and weight needs the same number of samples (axis 0)");
        }
        return b;
    }

    private static void requireFinite(Tensor t, String name) {
        float[] v = t.data();
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new InputMismatchException(name + " holds " + v[i] + " at position "
                        + java.util.Arrays.toString(index(i, t.shape())) + ": training data must be finite");
            }
        }
    }

    private static int[] index(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] > 0) {
                idx[d] = flat % shape[d];
                flat /= shape[d];
            }
        }
        return idx;
    }

    /** Rows {@code from..to-1} (axis 0) of every tensor, copied. */
    static List<Tensor> rows(List<Tensor> ts, int from, int to) {
        int[] idx = new int[to - from];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = from + i;
        }
        return take(ts, idx);
    }

    /** The given rows (axis 0) of every tensor, in that order, copied. */
    static List<Tensor> take(List<Tensor> ts, int[] rows) {
        List<Tensor> out = new ArrayList<>(ts.size());
        for (Tensor t : ts) {
            int[] shape = t.shape();
            int width = shape[0] == 0 ? 0 : t.size() / shape[0];
            float[] src = t.data();
            float[] dst = new float[Math.multiplyExact(rows.length, width)];
            for (int r = 0; r < rows.length; r++) {
                System.arraycopy(src, rows[r] * width, dst, r * width, width);
            }
            shape[0] = rows.length;
            out.add(Tensor.wrap(dst, shape));
        }
        return out;
    }
}
