package org.jkeras.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jkeras.cli.io.Npy;
import org.jkeras.cli.io.NpyFormatException;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code jkeras predict --model M [--weights W] --input X.npy ... --output Y.npy}: runs a model
 * on arrays from .npy files, one {@code --input} per model input in model order, and writes
 * each output as a float32 .npy file.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Run a model on .npy inputs and write its outputs as .npy files.")
final class PredictCommand implements Callable<Integer> {
    @ParentCommand
    private Main main;

    @Option(names = "--model", required = true, paramLabel = "MODEL",
            description = "A .keras, .h5 or JSON model file.")
    private Path model;

    @Option(names = "--weights", paramLabel = "W", description = "The weights file, for a JSON config.")
    private Path weights;

    @Option(names = "--input", required = true, paramLabel = "X.npy",
            description = "An input array; repeat once per model input, in the model's input order.")
    private List<Path> inputs;

    @Option(names = "--output", required = true, paramLabel = "Y.npy",
            description = "Where to write the output; a model with several outputs writes Y_0.npy, Y_1.npy, ...")
    private Path output;

    @Option(names = "--stateful-calls", paramLabel = "N",
            description = "Each input holds N consecutive calls stacked on a new leading axis; states of stateful"
                    + " layers carry from call to call, like N model.predict calls in Keras. Outputs are stacked"
                    + " the same way.")
    private Integer statefulCalls;

    @Option(names = "--resets", paramLabel = "R.npy",
            description = "With --stateful-calls: an integer array of call indices before which states are reset.")
    private Path resets;

    @Option(names = "--bf16-kernels",
            description = "Round every kernel to bfloat16 first (Model.withBfloat16Kernels): half the bytes per batch-1"
                    + " step, outputs within about 1e-2 of float32 (README, bfloat16 kernels).")
    private boolean bf16Kernels;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "Threads per predict call, splitting the batch; results are the same (default: ${DEFAULT-VALUE}).")
    private int threads;

    @Override
    public Integer call() {
        if (resets != null && statefulCalls == null) {
            throw new CliException(ExitCode.USAGE, "--resets needs --stateful-calls");
        }
        if (threads < 1) {
            throw new CliException(ExitCode.USAGE, "--threads must be at least 1, got " + threads);
        }
        if (statefulCalls != null) {
            StatefulPredict.requirePositive(statefulCalls);
            if (threads != 1) {
                throw new CliException(ExitCode.USAGE, "--threads splits one call's batch; --stateful-calls runs its calls"
                        + " one after another in one session, so leave --threads out");
            }
        }
        Model m = ModelFiles.kernels(ModelFiles.load(main.loader(), model, weights), bf16Kernels, model);
        List<Tensor> xs = readInputs(m);
        if (statefulCalls != null && !StatefulPredict.hasStatefulLayer(m)) {
            main.err().println("note: no layer of this model is stateful, so every call starts from zero state (as"
                    + " successive model.predict calls do in Keras); --stateful-calls only matters for stateful models");
        }
        long start = System.nanoTime();
        List<Tensor> ys = statefulCalls == null ? m.predict(xs, threads)
                : StatefulPredict.run(m, xs, statefulCalls, readResets());
        long elapsed = System.nanoTime() - start;
        List<Path> paths = outputPaths(output, ys.size());
        for (int i = 0; i < ys.size(); i++) {
            Path p = paths.get(i);
            try {
                Npy.write(p, ys.get(i));
            } catch (NoSuchFileException e) {
                throw new CliException(ExitCode.FAILURE, "cannot write " + p + ": its directory does not exist", e);
            } catch (IOException e) {
                throw new CliException(ExitCode.FAILURE, "cannot write " + p + ": " + Text.ioReason(e), e);
            }
            main.out().println("wrote " + p + " " + Shape.format(ys.get(i).shape()) + " float32");
        }
        if (main.verbose()) {
            main.err().printf(Locale.ROOT, "predict took %.3f ms%n", elapsed / 1e6);
        }
        return ExitCode.OK;
    }

    private List<Tensor> readInputs(Model m) {
        List<String> names = m.inputNames();
        List<Shape> shapes = m.inputShapes();
        if (inputs.size() != names.size()) {
            throw new CliException(ExitCode.BAD_INPUT, "the model takes " + names.size() + " input(s), "
                    + describe(names, shapes) + ", but " + inputs.size() + " --input file(s) were given");
        }
        List<Tensor> xs = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            Path file = inputs.get(i);
            Tensor x = read(file);
            if (statefulCalls != null) {
                StatefulPredict.checkStacked(names.get(i), shapes.get(i), file, x, statefulCalls);
            } else if (!shapes.get(i).accepts(x.shape())) {
                throw new CliException(ExitCode.BAD_INPUT, "input '" + names.get(i) + "' expects shape "
                        + shapes.get(i) + ", but " + file + " holds " + Shape.format(x.shape()));
            }
            xs.add(x);
        }
        return xs;
    }

    private int[] readResets() {
        if (resets == null) {
            return new int[0];
        }
        return StatefulPredict.resetIndices(resets, read(resets), statefulCalls);
    }

    /** Reads a .npy file; exit code 4 when it is missing or not a readable .npy array. */
    static Tensor read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CliException(ExitCode.BAD_INPUT, "input file not found: " + file);
        }
        try {
            return Npy.read(file);
        } catch (NpyFormatException e) {
            throw new CliException(ExitCode.BAD_INPUT, e.getMessage(), e);
        } catch (IOException e) {
            throw new CliException(ExitCode.BAD_INPUT, "cannot read input file " + file + ": " + Text.ioReason(e), e);
        }
    }

    private static String describe(List<String> names, List<Shape> shapes) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            parts.add("'" + names.get(i) + "' " + shapes.get(i));
        }
        return String.join(", ", parts);
    }

    /** {@code Y.npy} for one output; {@code Y_0.npy}, {@code Y_1.npy}, ... for several. */
    static List<Path> outputPaths(Path output, int count) {
        if (count == 1) {
            return List.of(output);
        }
        String name = output.getFileName().toString();
        String stem = name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name;
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            paths.add(output.resolveSibling(stem + "_" + i + ".npy"));
        }
        return paths;
    }
}
