package org.jkeras.cli;

/**
 * A failure a command has already explained: {@link Main} prints the message after
 * {@code error:} and exits with {@link #exitCode()}, without a stack trace unless {@code --verbose}.
 */
public final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    /** A failure with the given {@link ExitCode} and message. */
    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    /** A failure with the given {@link ExitCode}, message and underlying cause (shown with --verbose). */
    public CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** The process exit code, one of {@link ExitCode}. */
    public int exitCode() {
        return exitCode;
    }
}
