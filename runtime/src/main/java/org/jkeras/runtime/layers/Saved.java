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

    /** Keeps a buffer under {@code name} (replacing any earlier one). */
    public void put(String name, float[] buffer) {
        values.put(name, buffer);
    }

    /** Keeps a value of another kind (a tensor, an index array, a flag object). */
    public void putObject(String name, Object value) {
        values.put(name, value);
    }

    /**
     * The buffer kept under {@code name}.
     *
     * @throws IllegalStateException when nothing of that name was saved (a backward without its forward)
     */
    public float[] get(String name) {
        return (float[]) require(name);
    }

    /** The value of another kind kept under {@code name}, cast to {@code type}. */
    public <T> T getObject(String name, Class<T> type) {
        return type.cast(require(name));
    }

    /** True when something is kept under {@code name}. */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** The saved state of a sub-layer, created on first use. */
    public Saved child(String name) {
        return (Saved) values.computeIfAbsent("child:" + name, k -> new Saved());
    }

    private Object require(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new IllegalStateException("no saved buffer '" + name + "': backward called without its training forward");
        }
        return v;
    }
}
