package org.jkeras.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the command line in-process and captures its exit code, stdout and stderr. */
record Cli(int exitCode, String out, String err) {
    /** Runs with the production model loader (KerasModels). */
    static Cli run(String... args) {
        return run(null, args);
    }

    /** Runs with the given model loader, or the production one if null. */
    static Cli run(ModelLoader loader, String... args) {
        return run(loader, false, args);
    }

    /** Runs with the production loader as if stdout were an interactive terminal (progress bars). */
    static Cli runOnTerminal(String... args) {
        return run(null, true, args);
    }

    private static Cli run(ModelLoader loader, boolean terminal, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        int code = Main.run(args, o, e, loader == null ? Main.KERAS : loader, terminal);
        return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
