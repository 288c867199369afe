package org.jkeras.runtime.layers;

import java.util.List;
import org.jkeras.runtime.Shape;
import org.jkeras.runtime.Tensor;

/**
 * One computation step of a model graph. Implementations are immutable and thread-safe:
 * weights are fixed at construction and every call works on its own buffers.
 */
public interface Layer {
    /** The layer's name, unique within its model (e.g. {@code lstm_1}). */
    String name();

    /** The kind of layer, named as Keras names its class (e.g. {@code LSTM}, {@code Dense}). */
    String kind();

    /**
     * The shapes of the outputs for inputs of the given declared shapes.
     *
     * @throws IllegalArgumentException naming this layer when the inputs do not fit it
     */
    List<Shape> outputShapes(List<Shape> inputShapes);

    /** Computes the outputs for concrete inputs whose shapes passed {@link #outputShapes}. */
    List<Tensor> forward(List<Tensor> inputs);

    /** The layer's weights in a stable order (empty for weightless layers). */
    List<Weight> weights();

    /** The number of scalar parameters, as Keras counts them. */
    default long parameterCount() {
        long n = 0;
        for (Weight w : weights()) {
            n += w.value().size();
        }
        return n;
    }
}
