package org.jkeras.runtime.layers;

import java.util.List;
import org.jkeras.runtime.Shape;
import org.jkeras.runtime.Tensor;

/** Base for the common layer with one input and one output. */
public abstract class SingleInputLayer implements Layer {
    private final String name;

    /** A layer with the given name. */
    protected SingleInputLayer(String name) {
        this.name = name;
    }

    @Override
    public final String name() {
        return name;
    }

    /** The output shape for an input of the given declared shape; throws if it does not fit. */
    public abstract Shape outputShape(Shape input);

    /** The output for one concrete input. */
    public abstract Tensor apply(Tensor input);

    @Override
    public final List<Shape> outputShapes(List<Shape> inputShapes) {
        if (inputShapes.size() != 1) {
            throw new IllegalArgumentException(describe() + " takes 1 input, got " + inputShapes.size());
        }
        return List.of(outputShape(inputShapes.get(0)));
    }

    @Override
    public final List<Tensor> forward(List<Tensor> inputs) {
        return List.of(apply(inputs.get(0)));
    }

    @Override
    public List<Weight> weights() {
        return List.of();
    }

    /** {@code layer 'name' (Kind)}, for error messages. */
    protected final String describe() {
        return "layer '" + name + "' (" + kind() + ")";
    }

    /** Throws unless {@code input} has the given rank. */
    protected final void requireRank(Shape input, int rank, String layout) {
        if (input.rank() != rank) {
            throw new IllegalArgumentException(describe() + " expects input of rank " + rank + " " + layout
                    + ", got " + input);
        }
    }

    @Override
    public String toString() {
        return describe();
    }
}
