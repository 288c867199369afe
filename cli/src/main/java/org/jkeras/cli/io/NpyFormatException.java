package org.jkeras.cli.io;

import java.io.IOException;

/**
 * A file is not a {@code .npy} array jkeras can read: bad magic or header, an unsupported dtype,
 * a shape that does not match the bytes present, or an integer too large to stay exact as
 * float32. The message starts with the file's name and says what was expected.
 */
public final class NpyFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with the given message.
     *
     * @param message starts with the file's name and says what was expected
     */
    public NpyFormatException(String message) {
        super(message);
    }
}
