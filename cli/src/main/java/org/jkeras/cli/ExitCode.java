package org.jkeras.cli;

/** The exit codes of {@code jkeras}: part of its public interface, scripts test them. */
public final class ExitCode {
    /** Success. */
    public static final int OK = 0;
    /** Anything not covered below (I/O failure writing results, internal error, demo mismatch). */
    public static final int FAILURE = 1;
    /** Bad command line: unknown flag, missing argument. */
    public static final int USAGE = 2;
    /** The model file is missing, invalid, unsupported or refused. */
    public static final int BAD_MODEL = 3;
    /** The input data does not fit the model, or an input file is missing or unreadable. */
    public static final int BAD_INPUT = 4;

    private ExitCode() {
    }
}
