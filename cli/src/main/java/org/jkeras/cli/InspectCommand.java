package org.jkeras.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jkeras.runtime.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code jkeras inspect MODEL [--weights W] [--verify]}: a Keras-style summary of a model file; with
 * {@code --verify}, the file's own test cases (added by {@code test-fixtures/add_verify_cases.py}) are run first and
 * a model whose outputs differ from Keras's is refused (exit 3).
 */
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

    @Option(names = "--verify",
            description = "Run the test cases the .keras file carries (inputs and Keras's outputs, added by"
                    + " test-fixtures/add_verify_cases.py) and refuse the model (exit 3) if jkeras's outputs differ"
                    + " beyond their tolerance.")
    private boolean verify;

    @Override
    public Integer call() {
        Model m = ModelFiles.load(main.loader(verify), model, weights);
        ModelSummary.of(m, model, weights).forEach(main.out()::println); // with "verified: N case(s) ..."
        return ExitCode.OK;
    }
}
