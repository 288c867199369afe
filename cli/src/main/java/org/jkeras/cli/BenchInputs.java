package org.jkeras.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.graph.Node;
import org.jkeras.runtime.graph.Port;
import org.jkeras.runtime.layers.Embedding;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;

/**
 * The synthetic inputs of {@code jkeras bench}: per model input an array of the declared shape with
 * the batch axis set to {@code --batch} and the time axis (dimension 1 of a rank-3 input, or of a rank-2
 * input read as token indices) set to {@code --timesteps}, or to the model's own step count when
 * {@code --timesteps} is not given; values uniform in [-1, 1) from a fixed seed, so runs are repeatable,
 * and for inputs read as token indices (an {@code Embedding}'s) whole numbers in [0, input_dim).
 */
final class BenchInputs {
    private static final long SEED = 20240611L;

    /** {@code --timesteps} not given: use the model's. */
    static final int AUTO = Integer.MIN_VALUE;

    private BenchInputs() {
    }

    /**
     * The concrete shapes the inputs will have.
     *
     * @throws CliException with {@link ExitCode#BAD_INPUT} when the model fixes a batch or time size other
     *                      than the requested one, or leaves a feature dimension free
     */
    static List<int[]> shapes(Model model, int batch, int timesteps) {
        List<String> dtypes = model.inputDtypes();
        List<int[]> shapes = new ArrayList<>();
        List<String> names = model.inputNames();
        List<Shape> declared = model.inputShapes();
        for (int i = 0; i < declared.size(); i++) {
            String name = Text.safe(names.get(i));
            Shape s = declared.get(i);
            int[] dims = s.dims();
            if (dims.length == 0) {
                throw new CliException(ExitCode.BAD_INPUT, "input '" + name + "' has no batch axis; bench needs one");
            }
            if (dims[0] != Shape.UNKNOWN && dims[0] != batch) {
                throw new CliException(ExitCode.BAD_INPUT, "input '" + name + "' has a batch of " + dims[0]
                        + " fixed by the model (shape " + s + "), but --batch is " + batch);
            }
            dims[0] = batch;
            if (dims.length >= 3 || (dims.length == 2 && dtypes.get(i).equals("int32"))) {
                if (timesteps == AUTO && dims[1] == Shape.UNKNOWN) {
                    throw new CliException(ExitCode.USAGE, "input '" + name + "' takes any number of time steps"
                            + " (shape " + s + "): give --timesteps");
                }
                if (timesteps == AUTO) {
                    timesteps = dims[1];
                } else if (dims[1] != Shape.UNKNOWN && dims[1] != timesteps) {
                    throw new CliException(ExitCode.BAD_INPUT, "input '" + name + "' has " + dims[1]
                            + " time steps fixed by the model (shape " + s + "), but --timesteps is " + timesteps);
                }
                dims[1] = timesteps;
            }
            for (int d = 1; d < dims.length; d++) {
                if (dims[d] == Shape.UNKNOWN) {
                    throw new CliException(ExitCode.BAD_INPUT, "input '" + name + "' has shape " + s + ": dimension "
                            + d + " is not fixed by the model, so bench cannot size it");
                }
            }
            long size = 1;
            for (int d : dims) {
                size *= d;
                if (size > Integer.MAX_VALUE - 8) {
                    throw new CliException(ExitCode.USAGE, "input '" + name + "' of shape " + Shape.format(dims)
                            + " has more than 2^31 values: lower --batch or --timesteps");
                }
            }
            shapes.add(dims);
        }
        return shapes;
    }

    /** The time steps the inputs of {@link #shapes} have: the requested, else the model's; AUTO when no input has a time axis. */
    static int timesteps(Model model, List<int[]> shapes, int requested) {
        List<String> dtypes = model.inputDtypes();
        for (int i = 0; i < shapes.size() && requested == AUTO; i++) {
            int[] dims = shapes.get(i);
            if (dims.length >= 3 || (dims.length == 2 && dtypes.get(i).equals("int32"))) {
                return dims[1];
            }
        }
        return requested;
    }

    /**
     * Deterministic random tensors of the given shapes: whole numbers below the smallest
     * {@code input_dim} of the Embeddings reading an input, uniform in [-1, 1) otherwise.
     */
    static List<Tensor> random(Model model, List<int[]> shapes) {
        SplittableRandom random = new SplittableRandom(SEED);
        List<Tensor> inputs = new ArrayList<>(shapes.size());
        for (int k = 0; k < shapes.size(); k++) {
            Tensor t = Tensor.zeros(shapes.get(k));
            float[] x = t.data();
            int vocabulary = vocabulary(model, k);
            for (int i = 0; i < x.length; i++) {
                x[i] = vocabulary > 0 ? random.nextInt(vocabulary) : (float) random.nextDouble(-1.0, 1.0);
            }
            inputs.add(t);
        }
        return inputs;
    }

    /** The smallest input_dim of the Embeddings that read model input {@code k}, or 0 when none does. */
    private static int vocabulary(Model model, int k) {
        List<Node> nodes = model.graph().nodes();
        int input = -1;
        for (int i = 0, seen = 0; i < nodes.size() && input < 0; i++) {
            if (nodes.get(i).isInput() && seen++ == k) {
                input = i;
            }
        }
        int vocabulary = 0;
        for (Node n : nodes) {
            for (Port p : n.inputs()) {
                if (p.node() == input && n.layer() instanceof Embedding e) {
                    vocabulary = vocabulary == 0 ? e.inputDim() : Math.min(vocabulary, e.inputDim());
                }
            }
        }
        return vocabulary;
    }
}
