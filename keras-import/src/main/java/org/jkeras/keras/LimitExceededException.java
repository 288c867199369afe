package org.jkeras.keras;

/**
 * A model file asks for more than a {@link Limit} allows. The message names the file, the limit, the value found
 * and how to raise it; {@link #limit()} and {@link #found()} say the same to code.
 */
public final class LimitExceededException extends KerasImportException {
    private static final long serialVersionUID = 1L;
    private final transient Limit limit;
    /** The value found, in the limit's unit; part of the serialized form. */
    private final long found;

    /**
     * An exception for {@code what} (file and place, e.g. {@code "model.keras: config.json"}) exceeding the limit.
     *
     * @param what the file and place, e.g. {@code "model.keras: config.json"}
     * @param limit the limit exceeded
     * @param found   the value found (or, when it is not known exactly, the first value over the limit)
     * @param allowed the limit in force
     */
    public LimitExceededException(String what, Limit limit, long found, long allowed) {
        super(what + ": " + limit.description() + " is " + found + ", more than the limit " + limit.key() + "="
                + allowed + " (raise it with LoadOptions.builder().limit(Limit." + limit.name() + ", n), or --limit "
                + limit.key() + "=n on the command line)");
        this.limit = limit;
        this.found = found;
    }

    /**
     * Which limit was exceeded.
     *
     * @return the limit, or null after deserialization (it is not serialized)
     */
    public Limit limit() {
        return limit;
    }

    /**
     * The value found.
     *
     * @return the value found, in the limit's unit
     */
    public long found() {
        return found;
    }
}
