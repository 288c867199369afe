package org.jkeras.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Properties;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.KerasModels;
import org.jkeras.keras.LoadOptions;
import org.jkeras.runtime.tensor.InputMismatchException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * Entry point of the {@code jkeras} command. Parses the arguments with picocli, runs the
 * chosen command, and turns every failure into one {@code error:} line and an {@link ExitCode}.
 *
 * <p>A new command is one class implementing {@code Callable<Integer>}, annotated with
 * {@code @Command}, taking its context from {@code @ParentCommand Main}, and listed in
 * {@code subcommands} below.
 */
@Command(name = "jkeras",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Run Keras models on the JVM.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {InspectCommand.class, PredictCommand.class, BenchCommand.class, FinetuneCommand.class,
                       DemoCommand.class,
                       CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 other failure, 2 bad command line, 3 bad model file, "
                + "4 input does not fit the model."})
public final class Main implements Runnable {
    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Print details: stack traces of errors, timings.")
    boolean verbose;

    @Option(names = "--limit", scope = ScopeType.INHERIT, paramLabel = "NAME=N",
            description = "Raise (or lower) a limit on what a model file may ask for, e.g. --limit max_layers=50000"
                    + " (N may end in k, m or g: binary multiples). Repeatable. Limits: ${sys:jkeras.limit.keys}.")
    java.util.Map<String, String> limits = new java.util.LinkedHashMap<>();

    /** The production loader; {@link #loader()} gives it the --limit options. */
    static final ModelLoader KERAS = KerasModels::load;

    @Spec
    CommandSpec spec;

    private final ModelLoader loader;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean terminal;

    private Main(ModelLoader loader, PrintStream out, PrintStream err, boolean terminal) {
        this.loader = loader;
        this.out = out;
        this.err = err;
        this.terminal = terminal;
    }

    /** Runs the command line and exits the JVM with its exit code. */
    public static void main(String[] args) {
        // jHDF logs through SLF4J; without a logging backend SLF4J prints a three-line warning
        // on every start. The command line reports its own errors, so keep stderr for them.
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
        int code = run(args, System.out, System.err, KERAS, Terminal.stdoutIsTerminal());
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    /**
     * Runs the command line in-process, writing to streams that are not a terminal.
     *
     * @return the exit code, one of {@link ExitCode}
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, KERAS);
    }

    /** Runs the command line with another way of loading models (tests use runtime-built models). */
    static int run(String[] args, PrintStream out, PrintStream err, ModelLoader loader) {
        return run(args, out, err, loader, false);
    }

    /**
     * Runs the command line.
     *
     * @param terminal whether {@code out} is an interactive terminal (progress bars, colours) rather than a file
     *                 or pipe (plain lines)
     */
    static int run(String[] args, PrintStream out, PrintStream err, ModelLoader loader, boolean terminal) {
        if (System.getProperty("jkeras.limit.keys") == null) {
            System.setProperty("jkeras.limit.keys", LoadLimits.keys());
        }
        Main main = new Main(loader, out, err, terminal);
        CommandLine cl = new CommandLine(main);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setParameterExceptionHandler((e, a) -> main.usageError(e));
        cl.setExecutionExceptionHandler((e, c, r) -> main.report(e));
        try {
            return cl.execute(args);
        } catch (Throwable t) { // Errors such as OutOfMemoryError bypass picocli's handler
            return main.report(t);
        } finally {
            cl.getOut().flush();
            cl.getErr().flush();
            out.flush();
            err.flush();
        }
    }

    /** Without a command: usage error. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "no command given");
    }

    /** How commands load models: with the --limit options when it is the production loader. */
    ModelLoader loader() {
        return loader(false);
    }

    /** How commands load models, verifying the file's test cases when {@code verify} (production loader only). */
    ModelLoader loader(boolean verify) {
        if (loader == KERAS) {
            LoadOptions options = LoadLimits.builder(limits).verify(verify).build();
            return (model, weights) -> KerasModels.load(model, weights, options);
        }
        return loader;
    }

    /**
     * The load options the --limit flags ask for.
     *
     * @throws CliException with {@link ExitCode#USAGE} for an unknown limit or a value that is not a count
     */
    LoadOptions loadOptions() {
        return LoadLimits.options(limits);
    }

    /** Where results go. */
    PrintStream out() {
        return out;
    }

    /** Where errors and diagnostics go. */
    PrintStream err() {
        return err;
    }

    /** True when {@link #out()} is an interactive terminal. */
    boolean terminal() {
        return terminal;
    }

    /** True when --verbose was given (before or after the command name). */
    boolean verbose() {
        return verbose;
    }

    private int usageError(ParameterException e) {
        String typo = Suggest.unknown(e.getCommandLine());
        String message = typo != null ? typo : firstLine(e.getMessage());
        err.println("error: " + Text.safe(message));
        String command = e.getCommandLine().getCommandSpec().qualifiedName();
        err.println("Try '" + command + " --help' for usage.");
        return ExitCode.USAGE;
    }

    private int report(Throwable e) {
        int code;
        String message;
        if (e instanceof CliException c) {
            code = c.exitCode();
            message = c.getMessage();
        } else if (e instanceof KerasImportException) {
            code = ExitCode.BAD_MODEL;
            message = e.getMessage();
        } else if (e instanceof InputMismatchException) {
            code = ExitCode.BAD_INPUT;
            message = "the input does not fit the model: " + e.getMessage();
        } else if (e instanceof OutOfMemoryError) {
            code = ExitCode.FAILURE;
            message = "out of memory (raise the heap with JAVA_OPTS=-Xmx...)";
        } else {
            code = ExitCode.FAILURE;
            message = "internal error: " + e + (verbose ? "" : " (rerun with --verbose for details)");
        }
        err.println("error: " + Text.safe(message == null ? e.toString() : message));
        if (verbose) {
            e.printStackTrace(err);
        }
        return code;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "invalid command line";
        }
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl).strip();
    }

    /** {@code --version}: the jkeras version, the JVM, and whether the Vector API is on. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = "unknown";
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    Properties p = new Properties();
                    p.load(in);
                    version = p.getProperty("version", version);
                }
            } catch (IOException e) {
                // keep "unknown": the version line is informative only
            }
            boolean vector = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
            return new String[] {
                "jkeras " + version,
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ", "
                        + System.getProperty("java.vendor") + "), Vector API "
                        + (vector ? "enabled" : "not enabled (scalar kernels; add --add-modules=jdk.incubator.vector)")
            };
        }
    }
}
