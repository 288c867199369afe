package org.jkeras.flink;

/**
 * One event of a keyed stream of time steps: {@code steps} holds one or more time steps of the
 * model's features for stream {@code key}, row-major {@code [time, features]}, fed after the steps
 * of the key's earlier events. {@code reset} first sets the key's state back to zero (an event with
 * {@code reset} and no steps only resets). {@code seq} is the caller's sequence number, copied to the
 * {@link Prediction}, so a sink can tell outputs apart.
 *
 * @param key   the stream (device, user, sensor ...)
 * @param seq   the caller's number for this event, returned with its prediction
 * @param steps {@code [time, features]} row-major; empty for a reset alone
 * @param reset true to start the key from zero state before these steps
 */
public record StepEvent(String key, long seq, float[] steps, boolean reset) {
    /** Time steps to feed after the key's earlier ones. */
    public static StepEvent of(String key, long seq, float[] steps) {
        return new StepEvent(key, seq, steps, false);
    }

    /** Sets the key back to zero state (Keras's {@code reset_states()} for that stream alone). */
    public static StepEvent reset(String key, long seq) {
        return new StepEvent(key, seq, new float[0], true);
    }
}
