package org.jkeras.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jkeras.runtime.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code jkeras inspect MODEL [--weights W]}: a Keras-style summary of a model file. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Print a Keras-style summary of a model: format, writing Keras version, "
                + "each layer with its output shape and parameter count, total parameters.")
final class InspectCommand implements Callable<Integer> {
    @ParentCommand
    private Main main;

    @Parameters(index = "0", paramLabel = "MODEL", description = "A .keras, .h5 or JSON model file.")
    private Path model;

    @Option(names = "--weights", paramLabel = "W",
            description = "The weights file, for a JSON config (.weights.h5 or save_weights .h5).")
    private Path weights;

    @Override
    public Integer call() {
        Model m = ModelFiles.load(main.loader(), model, weights);
        ModelSummary.of(m, model, weights).forEach(main.out()::println);
        return ExitCode.OK;
    }
}
