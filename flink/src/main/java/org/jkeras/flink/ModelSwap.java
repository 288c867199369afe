package org.jkeras.flink;

/**
 * What happens to the stored state of a key when the job runs a model version other than the one
 * that wrote it (a job restored from a savepoint with a new {@link ModelSpec}). The check is made per
 * key when its next event arrives; every dropped state counts in the operator's
 * {@code jkerasStatesDropped} metric.
 */
public enum ModelSwap {
    /**
     * Keep the state when the new model carries the same recurrent layers (names, units, state
     * counts, in order: {@code Session.importState}'s check), e.g. a retrained model of the same
     * architecture, so streams continue; otherwise drop it and start the key from zero.
     */
    KEEP_IF_COMPATIBLE,
    /** Always start keys from zero state under a new model version. */
    DROP
}
