package org.jkeras.runtime.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jkeras.runtime.tensor.Mask;

/**
 * What a graph hands to one layer call besides the input tensors, as Keras passes {@code mask} (and
 * {@code training}) to {@code call}: explicit per call, never state kept in a layer.
 *
 * @param masks    one entry per input: the mask Keras attaches to that input, or null when it has none
 * @param training true for a training forward pass (dropout and noise on); inference passes false
 */
public record CallContext(List<Mask> masks, boolean training) {
    /** An inference call on inputs without masks. */
    public static final CallContext NONE = new CallContext(List.of(), false);

    /** Copies the list (which may hold nulls). */
    public CallContext {
        masks = Collections.unmodifiableList(new ArrayList<>(masks));
    }

    /**
     * An inference call with the given input masks.
     *
     * @param masks one per input, null where the input has none
     * @return a context with {@code training} false
     */
    public static CallContext inference(List<Mask> masks) {
        return new CallContext(masks, false);
    }

    /**
     * The mask of one input.
     *
     * @param i the input's index
     * @return its mask, or null when it has none (or {@code i} is past the list)
     */
    public Mask mask(int i) {
        return i < masks.size() ? masks.get(i) : null;
    }

    /**
     * Whether some input carries a mask.
     *
     * @return true when some entry of {@link #masks()} is not null
     */
    public boolean anyMask() {
        for (int i = 0; i < masks.size(); i++) { // indexed: no iterator on the per-call path
            if (masks.get(i) != null) {
                return true;
            }
        }
        return false;
    }
}
