package org.jkeras.runtime.layers;

import java.util.List;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;

/**
 * The fallback of the "into" calls ({@link Layer#forwardInto}): a layer without an in-place form computes fresh
 * tensors and they are copied into the buffers the caller planned. The shapes are checked, so a layer whose
 * output differs from what its {@code outputShapes} promised fails naming itself instead of leaving stale values.
 */
final class OutputCopy {
    private OutputCopy() {
    }

    /** Copies {@code produced} into {@code into}, one to one. */
    static void copy(Layer layer, List<Tensor> produced, List<Tensor> into) {
        if (produced.size() != into.size()) {
            throw new IllegalStateException("layer '" + layer.name() + "' (" + layer.kind() + ") computed "
                    + produced.size() + " outputs where its output shapes promised " + into.size());
        }
        for (int i = 0; i < into.size(); i++) {
            copy(layer, produced.get(i), into.get(i));
        }
    }

    /** Copies one computed tensor into its buffer, unless it already is that buffer. */
    static void copy(Layer layer, Tensor produced, Tensor into) {
        if (produced == into) {
            return;
        }
        if (!produced.sameShape(into)) {
            throw new IllegalStateException("layer '" + layer.name() + "' (" + layer.kind() + ") computed an output"
                    + " of shape " + Shape.format(produced.shape()) + " where its output shapes promised "
                    + Shape.format(into.shape()));
        }
        System.arraycopy(produced.data(), 0, into.data(), 0, into.size());
    }
}
