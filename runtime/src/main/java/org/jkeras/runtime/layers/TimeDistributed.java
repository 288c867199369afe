package org.jkeras.runtime.layers;

import java.util.List;
import org.jkeras.runtime.Shape;
import org.jkeras.runtime.Tensor;

/**
 * Applies an inner layer to every time step of {@code [batch, time, ...]} independently, by
 * folding time into the batch.
 */
public final class TimeDistributed extends SingleInputLayer {
    private final SingleInputLayer inner;

    /** Wraps {@code inner}, which sees inputs of shape {@code [batch*time, ...]}. */
    public TimeDistributed(String name, SingleInputLayer inner) {
        super(name);
        this.inner = inner;
    }

    @Override
    public String kind() {
        return "TimeDistributed";
    }

    /** The wrapped layer. */
    public SingleInputLayer inner() {
        return inner;
    }

    @Override
    public Shape outputShape(Shape input) {
        if (input.rank() < 3) {
            throw new IllegalArgumentException(describe() + " expects input of rank >= 3 [batch, time, ...], got "
                    + input);
        }
        int[] dims = input.dims();
        int[] step = new int[dims.length - 1];
        step[0] = Shape.UNKNOWN;
        System.arraycopy(dims, 2, step, 1, dims.length - 2);
        int[] innerOut = inner.outputShape(Shape.of(step)).dims();
        int[] out = new int[innerOut.length + 1];
        out[0] = dims[0];
        out[1] = dims[1];
        System.arraycopy(innerOut, 1, out, 2, innerOut.length - 1);
        return Shape.of(out);
    }

    @Override
    public Tensor apply(Tensor input) {
        int[] dims = input.shape();
        int[] folded = new int[dims.length - 1];
        folded[0] = dims[0] * dims[1];
        System.arraycopy(dims, 2, folded, 1, dims.length - 2);
        Tensor y = inner.apply(input.reshape(folded));
        int[] yDims = y.shape();
        int[] out = new int[yDims.length + 1];
        out[0] = dims[0];
        out[1] = dims[1];
        System.arraycopy(yDims, 1, out, 2, yDims.length - 1);
        return y.reshape(out);
    }

    @Override
    public List<Weight> weights() {
        return inner.weights();
    }
}
