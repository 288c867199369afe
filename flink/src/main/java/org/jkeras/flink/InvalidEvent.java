package org.jkeras.flink;

/**
 * An event the operator could not feed, with the reason (sent to {@link KeyedScoring#INVALID}
 * rather than failing the job, which would replay it forever). The key's state is left unchanged.
 *
 * @param event  the event as received
 * @param reason what is wrong with it, e.g. the steps not being a whole number of time steps
 */
public record InvalidEvent(StepEvent event, String reason) {
    /** {@code key seq: reason}, for logs. */
    @Override
    public String toString() {
        return event.key() + " " + event.seq() + ": " + reason;
    }
}
