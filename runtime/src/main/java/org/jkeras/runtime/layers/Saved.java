package org.jkeras.runtime.layers;

import java.util.HashMap;
import java.util.Map;

/**
 * What one training forward pass of one layer keeps for its backward pass: named buffers (gates,
 * cell states, pre-activations, the input), and named children for the layers a wrapper calls
 * (Bidirectional's two halves, TimeDistributed's inner layer). One instance per layer call; not
 * thread-safe, like the training step that owns it.
 */
public final class Saved {
    private final Map<String, Object> values = new HashMap<>(8);
    private final Saved previous;         // the same layer's carried-over state from its last call, or null
    private Map<String, Object> reusable; // what a later call of the same layer may take over, or null

    /** Fresh state, with nothing to recycle. */
    public Saved() {
        this(null);
    }

    /**
     * Fresh state whose layer may take over what its last call marked reusable ({@link #putReusable}).
     *
     * @param previous {@link #carryOver()} of the same layer's last call, or null
     */
    public Saved(Saved previous) {
        this.previous = previous;
    }

    /**
     * Keeps a buffer under {@code name} (replacing any earlier one).
     *
     * @param name the key, unique within this layer's state
     * @param buffer the values, kept by reference
     */
    public void put(String name, float[] buffer) {
        values.put(name, buffer);
    }

    /**
     * Keeps a value of another kind (a tensor, an index array, a flag object).
     *
     * @param name the key, unique within this layer's state
     * @param value the value, kept by reference
     */
    public void putObject(String name, Object value) {
        values.put(name, value);
    }

    /**
     * Keeps a value like {@link #putObject} that the same layer's next training call may take over with
     * {@link #recycle} once this call's backward pass is done: large per-call work buffers (a recurrent layer's
     * tape), so a training loop does not allocate and zero them at every step. Never for values that outlive the
     * call (outputs handed to the caller).
     *
     * @param name the key, unique within this layer's state
     * @param value the value, kept by reference
     */
    public void putReusable(String name, Object value) {
        values.put(name, value);
        if (reusable == null) {
            reusable = new HashMap<>(4);
        }
        reusable.put(name, value);
    }

    /**
     * What the same layer's previous call kept under {@code name} with {@link #putReusable}, now owned by this
     * call (a second call returns null); null when there is none or it is not a {@code type}.
     *
     * @param <T>  the type of the value
     * @param name the key, unique within this layer's state
     * @param type the class the value is expected to be
     * @return the value, or null
     */
    public <T> T recycle(String name, Class<T> type) {
        if (previous == null || previous.reusable == null) {
            return null;
        }
        Object v = previous.reusable.remove(name);
        return type.isInstance(v) ? type.cast(v) : null;
    }

    /**
     * Only the reusable values (and those of the children), for the same layer's next call; this state is done.
     *
     * @return a new state holding only the reusable values
     */
    public Saved carryOver() {
        Saved c = new Saved();
        if (reusable != null) {
            c.reusable = new HashMap<>(reusable);
        }
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (e.getKey().startsWith("child:")) {
                c.values.put(e.getKey(), ((Saved) e.getValue()).carryOver());
            }
        }
        return c;
    }

    /**
     * The buffer kept under {@code name}.
     *
     * @param name the key, unique within this layer's state
     * @return the buffer
     * @throws IllegalStateException when nothing of that name was saved (a backward without its forward)
     */
    public float[] get(String name) {
        return (float[]) require(name);
    }

    /**
     * The value of another kind kept under {@code name}, cast to {@code type}.
     *
     * @param <T>  the type of the value
     * @param name the key, unique within this layer's state
     * @param type the class the value is expected to be
     * @return the value
     */
    public <T> T getObject(String name, Class<T> type) {
        return type.cast(require(name));
    }

    /**
     * True when something is kept under {@code name}.
     *
     * @param name the key, unique within this layer's state
     * @return true when the name is kept
     */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /**
     * The saved state of a sub-layer, created on first use (recycling from the same child of the previous call).
     *
     * @param name the key, unique within this layer's state
     * @return the sub-layer's state
     */
    public Saved child(String name) {
        return (Saved) values.computeIfAbsent("child:" + name,
                k -> new Saved(previous == null ? null : (Saved) previous.values.get(k)));
    }

    private Object require(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new IllegalStateException("no saved buffer '" + name + "': backward called without its training forward");
        }
        return v;
    }
}
