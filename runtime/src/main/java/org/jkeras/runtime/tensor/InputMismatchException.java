package org.jkeras.runtime.tensor;

/**
 * Thrown when the data handed to a model does not fit it: wrong number of inputs, wrong rank,
 * or a dimension that differs from what the model declares. The message gives both shapes.
 */
public final class InputMismatchException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with the given message.
     *
     * @param message what was expected and what was found, with both shapes
     */
    public InputMismatchException(String message) {
        super(message);
    }
}
