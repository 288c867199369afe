package org.jkeras.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.graph.Node;
import org.jkeras.runtime.layers.RecurrentLayer;
import org.jkeras.runtime.session.Session;

/**
 * {@code predict --stateful-calls N}: inputs hold N calls stacked on a leading axis; the calls
 * run in one Keras-semantics session (stateful layers carry state, {@code --resets} resets it
 * before the listed calls) and their outputs are stacked the same way.
 */
final class StatefulPredict {
    private StatefulPredict() {
    }

    /** Runs the N calls and stacks each output over them. */
    static List<Tensor> run(Model model, List<Tensor> stacked, int calls, int[] resetBefore) {
        Session session = Session.keras(model);
        List<List<Tensor>> perCall = new ArrayList<>(calls);
        for (int k = 0; k < calls; k++) {
            if (contains(resetBefore, k)) {
                session.reset();
            }
            List<Tensor> xs = new ArrayList<>(stacked.size());
            for (Tensor x : stacked) {
                xs.add(slice(x, k, calls));
            }
            perCall.add(session.predict(xs));
        }
        List<Tensor> out = new ArrayList<>();
        for (int o = 0; o < perCall.get(0).size(); o++) {
            out.add(stack(perCall, o));
        }
        return out;
    }

    /** Checks that an input file holds {@code calls} arrays of the model input's shape. */
    static void checkStacked(String name, Shape declared, Path file, Tensor x, int calls) {
        int[] dims = x.shape();
        if (dims.length == 0 || dims[0] != calls || !declared.accepts(Arrays.copyOfRange(dims, 1, dims.length))) {
            int[] expected = new int[declared.rank() + 1];
            expected[0] = calls;
            System.arraycopy(declared.dims(), 0, expected, 1, declared.rank());
            throw new CliException(ExitCode.BAD_INPUT, "with --stateful-calls " + calls + ", input '" + name
                    + "' expects shape " + Shape.format(expected) + " (calls first), but " + file + " holds "
                    + Shape.format(dims));
        }
    }

    /** The call indices from a --resets array, checked to lie in [0, calls). */
    static int[] resetIndices(Path file, Tensor r, int calls) {
        if (r.rank() > 1) {
            throw new CliException(ExitCode.BAD_INPUT, "--resets " + file + " must be a 1-D array of call indices,"
                    + " got shape " + Shape.format(r.shape()));
        }
        int[] idx = new int[r.size()];
        for (int i = 0; i < idx.length; i++) {
            float v = r.data()[i];
            if (v != Math.rint(v) || v < 0 || v >= calls) {
                throw new CliException(ExitCode.BAD_INPUT, "--resets " + file + " holds " + v
                        + ", which is not a call index in [0, " + calls + ")");
            }
            idx[i] = (int) v;
        }
        return idx;
    }

    /** True when some layer keeps state between calls in Keras ({@code stateful=True}). */
    static boolean hasStatefulLayer(Model model) {
        for (Node n : model.graph().nodes()) {
            if (!n.isInput() && n.layer().recurrent().filter(RecurrentLayer::stateful).isPresent()) {
                return true;
            }
        }
        return false;
    }

    static void requirePositive(int calls) {
        if (calls < 1) {
            throw new CliException(ExitCode.USAGE, "--stateful-calls must be at least 1, got " + calls);
        }
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    private static Tensor slice(Tensor x, int k, int calls) {
        int per = x.size() / calls;
        int[] dims = x.shape();
        return Tensor.wrap(Arrays.copyOfRange(x.data(), k * per, (k + 1) * per), Arrays.copyOfRange(dims, 1, dims.length));
    }

    private static Tensor stack(List<List<Tensor>> perCall, int output) {
        Tensor first = perCall.get(0).get(output);
        int per = first.size();
        float[] data = new float[Math.multiplyExact(per, perCall.size())];
        for (int k = 0; k < perCall.size(); k++) {
            System.arraycopy(perCall.get(k).get(output).data(), 0, data, k * per, per);
        }
        int[] dims = new int[first.rank() + 1];
        dims[0] = perCall.size();
        System.arraycopy(first.shape(), 0, dims, 1, first.rank());
        return Tensor.wrap(data, dims);
    }
}
