package org.jkeras.cli;

import java.io.Console;
import java.lang.reflect.Method;

/** Whether standard output is an interactive terminal, which decides between a progress bar and plain lines. */
final class Terminal {
    private Terminal() {
    }

    /**
     * True when the JVM has a console and (on JDK 22+, where {@link System#console()} may return one for
     * redirected streams) that console is a terminal.
     */
    static boolean stdoutIsTerminal() {
        Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal"); // JDK 22+; compiled for release 21
            return (Boolean) isTerminal.invoke(c);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return true; // JDK 21: a non-null console is a terminal
        }
    }

    /** True unless the user asked for no colours ({@code NO_COLOR}, see no-color.org) or the terminal is dumb. */
    static boolean colors() {
        String noColor = System.getenv("NO_COLOR");
        return (noColor == null || noColor.isEmpty()) && !"dumb".equals(System.getenv("TERM"));
    }
}
