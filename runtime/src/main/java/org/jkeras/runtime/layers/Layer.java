package org.jkeras.runtime.layers;

import java.util.List;
import org.jkeras.runtime.tensor.Mask;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;

/**
 * One computation step of a model graph. Implementations are immutable and thread-safe:
 * weights are fixed at construction and every call works on its own buffers.
 *
 * <p>A layer may take several inputs and give several outputs. Masks follow Keras's
 * {@code compute_mask}: {@link #outputsMasked} says statically which outputs carry one (and refuses
 * masks the layer cannot honour), {@link #outputMasks} computes them for a call, and
 * {@link #forward(List, CallContext)} receives the input masks. The defaults are Keras 3's for a layer
 * without masking support: the layer ignores masks and its outputs carry none.
 */
public interface Layer {
    /**
     * The layer's name, unique within its model.
     *
     * @return the name, e.g. {@code lstm_1}
     */
    String name();

    /**
     * The kind of layer, named as Keras names its class.
     *
     * @return the Keras class name, e.g. {@code LSTM} or {@code Dense}
     */
    String kind();

    /**
     * The shapes of the outputs for inputs of the given declared shapes.
     *
     * @param inputShapes one declared shape per input, batch dimension included
     * @return one shape per output
     * @throws IllegalArgumentException naming this layer when the inputs do not fit it
     */
    List<Shape> outputShapes(List<Shape> inputShapes);

    /**
     * Computes the outputs for concrete inputs whose shapes passed {@link #outputShapes}.
     *
     * @param inputs one tensor per input
     * @return one tensor per output, shaped as {@link #outputShapes} said
     */
    List<Tensor> forward(List<Tensor> inputs);

    /**
     * Computes the outputs with the call's context (the masks of the inputs); layers that do not consume
     * masks keep the default, {@link #forward(List)}.
     *
     * @param inputs one tensor per input
     * @param ctx    the masks of the inputs and whether the call is training
     * @return one tensor per output
     */
    default List<Tensor> forward(List<Tensor> inputs, CallContext ctx) {
        return forward(inputs);
    }

    /**
     * {@link #forward(List, CallContext)} writing into tensors the caller planned, one per output, shaped as
     * {@link #outputShapes} said for these inputs: how a graph run into reused buffers avoids allocating per call.
     * Every element of every output is overwritten (their previous values are never read), and no output is one
     * of the inputs. The default computes fresh tensors and copies them; layers on the hot path override it to
     * allocate nothing.
     *
     * @param inputs  one tensor per input
     * @param ctx     the masks of the inputs and whether the call is training
     * @param outputs one tensor per output, written in place
     * @throws IllegalStateException when the layer computes another shape than an output has
     */
    default void forwardInto(List<Tensor> inputs, CallContext ctx, List<Tensor> outputs) {
        OutputCopy.copy(this, forward(inputs, ctx), outputs);
    }

    /**
     * Which outputs carry a mask when the inputs marked true do (Keras's {@code compute_mask}, statically).
     *
     * @param inputsMasked one flag per input
     * @param outputCount  the number of outputs the layer gives
     * @return one flag per output
     * @throws IllegalArgumentException naming the layer when an input carries a mask that the layer would have
     *                                  to honour in a way jkeras does not implement
     */
    default List<Boolean> outputsMasked(List<Boolean> inputsMasked, int outputCount) {
        return java.util.Collections.nCopies(outputCount, false);
    }

    /**
     * The masks of the outputs of one call (Keras's {@code compute_mask}), null entries for unmasked outputs.
     * Only called on graphs where some port carries a mask.
     *
     * @param inputs the tensors of the call, one per input
     * @param masks  one per input, null where the input has none
     * @return one per output, or null when no output carries a mask
     */
    default List<Mask> outputMasks(List<Tensor> inputs, List<Mask> masks) {
        return null;
    }

    /**
     * The layer's weights in a stable order (empty for weightless layers), in Keras's layout. The values may be
     * unpacked or copied for the call (a layer on the Vector API kernels holds its large weights only packed):
     * use {@link #weightSpecs()} where only names and shapes are needed.
     *
     * @return the weights, empty for a weightless layer
     */
    List<Weight> weights();

    /**
     * The names and shapes of {@link #weights()}, in the same order, without their values.
     *
     * @return one spec per weight
     */
    default List<WeightSpec> weightSpecs() {
        List<WeightSpec> specs = new java.util.ArrayList<>();
        for (Weight w : weights()) {
            specs.add(new WeightSpec(w.name(), w.value().shape()));
        }
        return specs;
    }

    /**
     * The number of scalar parameters, as Keras counts them.
     *
     * @return the total size of all weights
     */
    default long parameterCount() {
        long n = 0;
        for (WeightSpec w : weightSpecs()) {
            n += w.size();
        }
        return n;
    }

    // Capabilities: graphs, sessions and trainers ask the layer what it can do instead of testing its class, so a
    // new layer declares them here and every caller picks them up.

    /**
     * This layer as one whose recurrent state a {@link org.jkeras.runtime.session.Session} can carry across calls.
     *
     * @return the layer itself when it implements {@link RecurrentLayer}, else empty
     */
    default java.util.Optional<RecurrentLayer> recurrent() {
        return java.util.Optional.empty();
    }

    /**
     * This layer as one a trainer can backpropagate through.
     *
     * @return the layer itself when it implements {@link Differentiable}, else empty
     */
    default java.util.Optional<Differentiable> differentiable() {
        return java.util.Optional.empty();
    }

    /**
     * This layer as one whose final activation a trainer can step below, to take a cross-entropy on its logits.
     *
     * @return the layer itself when it implements {@link LogitsOutput}, else empty
     */
    default java.util.Optional<LogitsOutput> logitsOutput() {
        return java.util.Optional.empty();
    }

    /**
     * This layer as one whose weight gradient is made of table rows, which a trainer hands on row by row.
     *
     * @return the layer itself when it implements {@link RowGather}, else empty
     */
    default java.util.Optional<RowGather> rowGather() {
        return java.util.Optional.empty();
    }

    /**
     * True when the layer reads its input as integer indices (an Embedding): a model input read only by such
     * layers is an {@code int32} input.
     *
     * @return false unless the layer looks its inputs up by index
     */
    default boolean readsIndices() {
        return false;
    }

    /**
     * True when some output depends on time steps after the one it belongs to (a layer that reads the sequence
     * last to first, or both ways): such a layer cannot be fed in pieces of time.
     *
     * @return false unless the layer reads time backwards
     */
    default boolean readsTimeBackwards() {
        return false;
    }
}
