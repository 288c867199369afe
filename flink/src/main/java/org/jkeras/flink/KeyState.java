package org.jkeras.flink;

import org.jkeras.runtime.session.SessionState;

/**
 * What Flink keeps per key: the exported {@link SessionState} of the key's stream (batch 1, or 0 for
 * zero state) and the version of the model that computed it, for the {@link ModelSwap} rule.
 * Stored with {@link KeyStateSerializer}.
 *
 * @param modelVersion the {@link ModelSpec#version()} of the model that wrote the state
 * @param state        the stream's recurrent state
 */
public record KeyState(String modelVersion, SessionState state) {
}
