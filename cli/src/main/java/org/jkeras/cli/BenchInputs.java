package org.jkeras.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.Shape;
import org.jkeras.runtime.Tensor;

/**
 * The synthetic inputs of {@code jkeras bench}: per model input an array of the declared shape with
 * the batch axis set to {@code --batch} and, for rank 3 and up, the time axis (dimension 1) set to
 * {@code --timesteps}; values uniform in [-1, 1) from a fixed seed, so runs are repeatable.
 */
final class BenchInputs {
    private static final long SEED = 20240611L;

    private BenchInputs() {
    }

    /**
     * The concrete shapes the inputs will have.
     *
     * @throws CliException with {@link ExitCode#BAD_INPUT} when the model fixes a batch or time size other
     *                      than the requested one, or leaves a feature dimension free
     */
    static List<int[]> shapes(Model model, int batch, int timesteps) {
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
            if (dims.length >= 3) {
                if (dims[1] != Shape.UNKNOWN && dims[1] != timesteps) {
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

    /** Deterministic random tensors of the given shapes. */
    static List<Tensor> random(List<int[]> shapes) {
        SplittableRandom random = new SplittableRandom(SEED);
        List<Tensor> inputs = new ArrayList<>(shapes.size());
        for (int[] dims : shapes) {
            Tensor t = Tensor.zeros(dims);
            float[] x = t.data();
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) random.nextDouble(-1.0, 1.0);
            }
            inputs.add(t);
        }
        return inputs;
    }
}
