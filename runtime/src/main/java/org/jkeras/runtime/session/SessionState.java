package org.jkeras.runtime.session;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The carried recurrent state of a {@link Session}, detached from it: what a service persists to
 * keep millions of streams, moves between machines, and imports into a new session on the same
 * model to resume a stream where it stopped ({@link Session#exportState()},
 * {@link Session#importState(SessionState)}). Immutable and thread-safe; every array handed in or
 * out is copied.
 *
 * <p>It holds, in the model's node order, one {@link LayerState} per carried recurrent layer (its
 * name, units and state arrays, each {@code [batch, units]} row-major: h, and c for LSTM), the batch
 * size the states belong to ({@code 0}: every state is zero and any batch size may follow), and
 * whether it came from a {@link Session#streaming streaming} or a {@link Session#keras Keras-semantics}
 * session (they carry different layers).
 *
 * <p>{@link #encode()} writes a compact, versioned binary form (big-endian: the magic {@code "JKSS"},
 * the format version as u16, flags, batch, layer count; per layer its UTF-8 name, units, state count
 * and float32 values; a CRC-32 at the end: 4 bytes per value plus a few per layer);
 * {@link #decode(byte[])} reads it back and refuses malformed, truncated or
 * corrupted bytes, and versions it does not know, with a {@link IllegalArgumentException} that says
 * what is wrong. {@link #stack(List)} and {@link #row(int)} join the states of several streams into
 * one batch and split them again, so a service can step many streams in one batched call.
 */
public final class SessionState {
    /** The version of the binary form that {@link #encode()} writes. */
    public static final int FORMAT_VERSION = SessionStateCodec.VERSION;

    private final boolean streaming;
    private final int batch;
    private final List<LayerState> layers;

    /**
     * A state from its parts (the arrays are copied).
     *
     * @param streaming true for a {@link Session#streaming} session's state, false for {@link Session#keras}
     * @param batch     the batch size the states belong to, or 0 for all-zero state
     * @param layers    one entry per carried recurrent layer, in the model's node order
     * @throws IllegalArgumentException when a layer's arrays do not hold {@code batch * units} values
     */
    public SessionState(boolean streaming, int batch, List<LayerState> layers) {
        if (batch < 0) {
            throw new IllegalArgumentException("batch must be >= 0, got " + batch);
        }
        for (LayerState l : layers) {
            for (int i = 0; i < l.stateCount(); i++) {
                long need = (long) batch * l.units();
                if (l.states[i].length != need) {
                    throw new IllegalArgumentException("layer '" + l.name() + "' state " + i + " holds "
                            + l.states[i].length + " values, expected batch " + batch + " x " + l.units()
                            + " units = " + need);
                }
            }
        }
        this.streaming = streaming;
        this.batch = batch;
        this.layers = List.copyOf(layers);
    }

    /**
     * True when this is a {@link Session#streaming} session's state (every recurrent layer carried).
     *
     * @return false for a {@link Session#keras} session's state (only stateful layers carried)
     */
    public boolean streaming() {
        return streaming;
    }

    /**
     * The batch size the states belong to; 0 when every state is zero.
     *
     * @return the number of sequences each state array holds
     */
    public int batch() {
        return batch;
    }

    /**
     * The carried layers in the model's node order.
     *
     * @return one entry per carried layer (immutable)
     */
    public List<LayerState> layers() {
        return layers;
    }

    /**
     * The compact binary form ({@link #FORMAT_VERSION}), which {@link #decode(byte[])} reads back.
     *
     * @return a new array holding the encoded state
     */
    public byte[] encode() {
        return SessionStateCodec.encode(this);
    }

    /**
     * Reads the binary form that {@link #encode()} writes.
     *
     * @param bytes an encoded state (untrusted: every size in it is checked)
     * @return the state
     * @throws IllegalArgumentException when the bytes are not a session state, were written by an
     *                                  unknown format version, are truncated, too long or corrupted
     */
    public static SessionState decode(byte[] bytes) {
        return SessionStateCodec.decode(bytes);
    }

    /**
     * The state of sequence {@code b} alone, as a batch of 1 (a zero state stays zero).
     *
     * @param b the sequence's row in the batch
     * @return its state, batch 1 (or this zero state)
     * @throws IndexOutOfBoundsException when {@code b} is not in {@code [0, batch)}
     */
    public SessionState row(int b) {
        if (batch == 0) {
            return this;
        }
        Objects.checkIndex(b, batch);
        List<LayerState> out = new ArrayList<>(layers.size());
        for (LayerState l : layers) {
            float[][] s = new float[l.stateCount()][];
            for (int i = 0; i < s.length; i++) {
                s[i] = Arrays.copyOfRange(l.states[i], b * l.units(), (b + 1) * l.units());
            }
            out.add(new LayerState(l.name(), l.units(), s, false));
        }
        return new SessionState(streaming, 1, out);
    }

    /**
     * The states of several streams of one model joined into one batch, in list order (a zero
     * state, batch 0, counts as one row of zeros): row {@code i} of the result is stream {@code i}.
     *
     * @param parts states of batch 0 or 1 of one model and kind of session
     * @return their states as one batch of {@code parts.size()} rows
     * @throws IllegalArgumentException when the parts are empty, have batches other than 0 or 1,
     *                                  or come from different models or kinds of session
     */
    public static SessionState stack(List<SessionState> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to stack");
        }
        SessionState first = parts.get(0);
        for (SessionState p : parts) {
            if (p.batch > 1) {
                throw new IllegalArgumentException("stack takes states of one stream (batch 0 or 1), got batch " + p.batch);
            }
            first.checkSameLayout(p, "stacked state");
        }
        int n = parts.size();
        List<LayerState> out = new ArrayList<>(first.layers.size());
        for (int k = 0; k < first.layers.size(); k++) {
            LayerState l = first.layers.get(k);
            int units = l.units();
            float[][] s = new float[l.stateCount()][Math.multiplyExact(n, units)];
            for (int r = 0; r < n; r++) {
                SessionState p = parts.get(r);
                if (p.batch == 1) {
                    for (int i = 0; i < s.length; i++) {
                        System.arraycopy(p.layers.get(k).states[i], 0, s[i], r * units, units);
                    }
                }
            }
            out.add(new LayerState(l.name(), units, s, false));
        }
        return new SessionState(first.streaming, n, out);
    }

    /**
     * Throws unless {@code other} carries the same layers (names, units, state counts, in order)
     * in the same kind of session; the message names the first layer that differs.
     */
    void checkSameLayout(SessionState other, String what) {
        if (other.streaming != streaming) {
            throw new IllegalArgumentException(what + " comes from a " + kind(other.streaming)
                    + " session, this one is a " + kind(streaming) + " session (they carry different layers)");
        }
        int n = Math.max(layers.size(), other.layers.size());
        for (int k = 0; k < n; k++) {
            LayerState mine = k < layers.size() ? layers.get(k) : null;
            LayerState theirs = k < other.layers.size() ? other.layers.get(k) : null;
            if (mine == null || theirs == null || !mine.name().equals(theirs.name())) {
                throw new IllegalArgumentException(what + " is for another model: carried layer " + (k + 1)
                        + " is " + describe(theirs) + " there but " + describe(mine) + " here");
            }
            if (mine.units() != theirs.units() || mine.stateCount() != theirs.stateCount()) {
                throw new IllegalArgumentException(what + " is for another model: layer '" + mine.name()
                        + "' has " + theirs.stateCount() + " state(s) of " + theirs.units() + " units there but "
                        + mine.stateCount() + " of " + mine.units() + " units here");
            }
        }
    }

    private static String kind(boolean streaming) {
        return streaming ? "streaming" : "Keras-semantics";
    }

    private static String describe(LayerState l) {
        return l == null ? "missing" : "'" + l.name() + "'";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionState s && s.streaming == streaming && s.batch == batch && s.layers.equals(layers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(streaming, batch, layers);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("SessionState[").append(kind(streaming)).append(", batch ").append(batch);
        for (LayerState l : layers) {
            sb.append(", ").append(l.name()).append(": ").append(l.stateCount()).append('x').append(l.units());
        }
        return sb.append(']').toString();
    }

    /**
     * The carried state of one recurrent layer: its name, its units and its state arrays (h, and c
     * for LSTM), each {@code [batch, units]} row-major. Immutable: arrays are copied in and out.
     */
    public static final class LayerState {
        private final String name;
        private final int units;
        private final float[][] states;

        /**
         * A layer's state (the arrays are copied).
         *
         * @param name   the layer's name in its model
         * @param units  values per sequence in each state array
         * @param states the state arrays (h, and c for LSTM), each {@code [batch, units]} row-major
         * @throws IllegalArgumentException when there are no arrays, a null one, or units below 1
         */
        public LayerState(String name, int units, float[][] states) {
            this(name, units, states, true);
        }

        LayerState(String name, int units, float[][] states, boolean copy) {
            Objects.requireNonNull(name, "name");
            if (units < 1) {
                throw new IllegalArgumentException("layer '" + name + "': units must be >= 1, got " + units);
            }
            if (states.length < 1 || states.length > SessionStateCodec.MAX_STATES_PER_LAYER) {
                throw new IllegalArgumentException("layer '" + name + "': 1 to " + SessionStateCodec.MAX_STATES_PER_LAYER
                        + " state arrays expected, got " + states.length);
            }
            float[][] s = copy ? new float[states.length][] : states;
            for (int i = 0; i < states.length; i++) {
                Objects.requireNonNull(states[i], () -> "layer '" + name + "': state array is null");
                if (copy) {
                    s[i] = states[i].clone();
                }
            }
            this.name = name;
            this.units = units;
            this.states = s;
        }

        /**
         * The layer's name in its model.
         *
         * @return the name, e.g. {@code lstm_1}
         */
        public String name() {
            return name;
        }

        /**
         * Values per sequence in each state array (the layer's units).
         *
         * @return the units
         */
        public int units() {
            return units;
        }

        /**
         * How many state arrays the layer carries (2 for LSTM: h, c; 1 for GRU and SimpleRNN).
         *
         * @return the number of state arrays
         */
        public int stateCount() {
            return states.length;
        }

        /**
         * A copy of state array {@code i}: {@code [batch, units]} row-major.
         *
         * @param i the array's index, below {@link #stateCount()}
         * @return a copy of its values
         */
        public float[] state(int i) {
            return states[i].clone();
        }

        /** Copies state array {@code i} into {@code dst}, which must be exactly its length. */
        void copyStateTo(int i, float[] dst) {
            System.arraycopy(states[i], 0, dst, 0, states[i].length);
        }

        /** State array {@code i} itself, for the codec (never handed out). */
        float[] stateView(int i) {
            return states[i];
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof LayerState l && l.name.equals(name) && l.units == units
                    && Arrays.deepEquals(l.states, states);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * name.hashCode() + units) + Arrays.deepHashCode(states);
        }
    }
}
