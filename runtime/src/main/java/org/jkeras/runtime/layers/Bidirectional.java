package org.jkeras.runtime.layers;

import java.util.ArrayList;
import java.util.List;
import org.jkeras.runtime.Shape;
import org.jkeras.runtime.Tensor;

/**
 * Keras {@code Bidirectional}: a forward recurrent layer and a backward one (the same kind of
 * layer reading the steps last to first) over the same input, their outputs merged. With
 * {@code return_sequences} the backward output is flipped back to input order first, so step t
 * of both halves belongs to input step t. {@link Merge#NONE} keeps the two outputs apart
 * (forward, backward), making this a two-output layer. Each call starts from zero state.
 */
public final class Bidirectional implements Layer {
    /** How the two directions are combined (Keras's {@code merge_mode}). */
    public enum Merge {
        /** Forward then backward along the last axis ({@code 'concat'}, Keras's default). */
        CONCAT,
        /** Element-wise sum ({@code 'sum'}). */
        SUM,
        /** Element-wise mean, {@code (f + b) / 2} ({@code 'ave'}). */
        AVE,
        /** Element-wise product ({@code 'mul'}). */
        MUL,
        /** No merge: two outputs, forward then backward ({@code None}). */
        NONE
    }

    private final String name;
    private final RecurrentLayer forward;
    private final RecurrentLayer backward;
    private final Merge merge;

    /**
     * Wraps two recurrent layers built for the same input.
     *
     * @param forward  the layer Keras calls {@code forward_layer}
     * @param backward the layer Keras calls {@code backward_layer}; must read time in the other direction
     * @throws IllegalArgumentException naming the layer when the two do not form a pair Keras accepts,
     *                                  or when one is stateful (carrying a Bidirectional's state is not supported)
     */
    public Bidirectional(String name, RecurrentLayer forward, RecurrentLayer backward, Merge merge) {
        this.name = name;
        this.forward = forward;
        this.backward = backward;
        this.merge = merge;
        if (forward.goBackwards() == backward.goBackwards()) {
            throw new IllegalArgumentException(describe() + ": the forward and backward layers must read time in"
                    + " opposite directions (go_backwards " + forward.goBackwards() + " for both)");
        }
        if (forward.returnSequences() != backward.returnSequences()) {
            throw new IllegalArgumentException(describe() + ": the forward and backward layers must agree on"
                    + " return_sequences");
        }
        if (forward.stateful() || backward.stateful()) {
            throw new IllegalArgumentException(describe() + ": a stateful Bidirectional layer is not supported"
                    + " (its state could not be carried between calls)");
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String kind() {
        return "Bidirectional";
    }

    /** The forward layer. */
    public RecurrentLayer forwardLayer() {
        return forward;
    }

    /** The backward layer. */
    public RecurrentLayer backwardLayer() {
        return backward;
    }

    /** The merge mode. */
    public Merge merge() {
        return merge;
    }

    /** True when both halves return every step. */
    public boolean returnSequences() {
        return forward.returnSequences();
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputShapes) {
        if (inputShapes.size() != 1) {
            throw new IllegalArgumentException(describe() + " takes 1 input, got " + inputShapes.size());
        }
        Shape f = forward.outputShapes(inputShapes).get(0);
        Shape b = backward.outputShapes(inputShapes).get(0);
        if (merge == Merge.NONE) {
            return List.of(f, b);
        }
        if (merge == Merge.CONCAT) {
            return List.of(f.with(f.rank() - 1, f.dim(-1) + b.dim(-1)));
        }
        if (!f.equals(b)) {
            throw new IllegalArgumentException(describe() + ": merge mode " + merge + " needs equal output shapes,"
                    + " got forward " + f + " and backward " + b);
        }
        return List.of(f);
    }

    @Override
    public List<Tensor> forward(List<Tensor> inputs) {
        Tensor f = forward.forward(inputs).get(0);
        Tensor b = backward.forward(inputs).get(0);
        if (returnSequences()) {
            b = TimeAxis.reversed(b); // back to input order: step t of both halves belongs to input step t
        }
        return switch (merge) {
            case NONE -> List.of(f, b);
            case CONCAT -> List.of(concatLast(f, b));
            default -> List.of(elementwise(f, b));
        };
    }

    // f: [..., uf], b: [..., ub] -> [..., uf + ub]
    private static Tensor concatLast(Tensor f, Tensor b) {
        int[] shape = f.shape();
        int uf = shape[shape.length - 1];
        int ub = b.dim(-1);
        int rows = f.size() / Math.max(1, uf);
        float[] fd = f.data();
        float[] bd = b.data();
        float[] out = new float[Math.multiplyExact(rows, uf + ub)];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(fd, r * uf, out, r * (uf + ub), uf);
            System.arraycopy(bd, r * ub, out, r * (uf + ub) + uf, ub);
        }
        shape[shape.length - 1] = uf + ub;
        return Tensor.wrap(out, shape);
    }

    private Tensor elementwise(Tensor f, Tensor b) {
        float[] fd = f.data();
        float[] bd = b.data();
        float[] out = new float[fd.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (merge) {
                case SUM -> fd[i] + bd[i];
                case AVE -> (fd[i] + bd[i]) / 2f;
                case MUL -> fd[i] * bd[i];
                default -> throw new IllegalStateException(merge.toString());
            };
        }
        return Tensor.wrap(out, f.shape());
    }

    /** The forward layer's weights then the backward layer's, named {@code forward/...} and {@code backward/...}. */
    @Override
    public List<Weight> weights() {
        List<Weight> list = new ArrayList<>();
        for (Weight w : forward.weights()) {
            list.add(new Weight("forward/" + w.name(), w.value()));
        }
        for (Weight w : backward.weights()) {
            list.add(new Weight("backward/" + w.name(), w.value()));
        }
        return list;
    }

    private String describe() {
        return "layer '" + name + "' (Bidirectional)";
    }

    @Override
    public String toString() {
        return describe();
    }
}
