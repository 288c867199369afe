/**
 * The {@code jkeras} command line: {@link org.jkeras.cli.Main} parses the arguments with picocli
 * and dispatches to one class per command ({@code inspect}, {@code predict}, {@code bench},
 * {@code finetune}, {@code demo}).
 * Flags, outputs and exit codes are a public interface, documented in the README and in
 * {@link org.jkeras.cli.ExitCode}.
 */
package org.jkeras.cli;
