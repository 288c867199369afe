package org.jkeras.keras;

/**
 * A Keras model file could not be imported: it is malformed, truncated, not a Keras file, or
 * uses something jkeras does not support (yet), or refuses (e.g. {@code Lambda} layers, which
 * would mean running code from the file). The message names the file, the layer and the
 * field concerned and what was expected; it is cut to {@link Echo#MAX_MESSAGE_CHARS} characters, as
 * it may quote the untrusted file.
 */
public class KerasImportException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with the given message.
     *
     * @param message what is wrong, naming the file, layer and field
     */
    public KerasImportException(String message) {
        super(Echo.cut(message, Echo.MAX_MESSAGE_CHARS));
    }

    /**
     * An exception with the given message and cause.
     *
     * @param message what is wrong, naming the file, layer and field
     * @param cause the underlying failure
     */
    public KerasImportException(String message, Throwable cause) {
        super(Echo.cut(message, Echo.MAX_MESSAGE_CHARS), cause);
    }
}
