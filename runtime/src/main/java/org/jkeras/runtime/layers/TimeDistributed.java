package org.jkeras.runtime.layers;

import java.util.List;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;

/**
 * Applies an inner layer to every time step of {@code [batch, time, ...]} independently, by
 * folding time into the batch.
 */
public final class TimeDistributed extends SingleInputLayer {
    private final SingleInputLayer inner;

    /**
     * Wraps {@code inner}, which sees inputs of shape {@code [batch*time, ...]}.
     *
     * @param name the layer's name, unique within its model
     * @param inner the layer applied to every time step
     */
    public TimeDistributed(String name, SingleInputLayer inner) {
        super(name);
        this.inner = inner;
    }

    @Override
    public String kind() {
        return "TimeDistributed";
    }

    /**
     * The wrapped layer.
     *
     * @return the wrapped layer
     */
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

    /** Keras's layer supports masking: the input's mask passes to the output. */
    @Override
    protected boolean passesMask() {
        return true;
    }

    /** Refuses a masked input when the inner layer would consume the mask (Keras reshapes it for the inner call). */
    @Override
    public List<Boolean> outputsMasked(List<Boolean> inputsMasked, int outputCount) {
        if (inputsMasked.get(0) && inner instanceof RecurrentLayer) {
            throw new IllegalArgumentException(describe() + ": a masked input to a TimeDistributed recurrent layer"
                    + " is not supported");
        }
        return super.outputsMasked(inputsMasked, outputCount);
    }

    @Override
    public Tensor apply(Tensor input) {
        return unfold(inner.apply(fold(input)), input);
    }

    /** A Dense inner layer (the common forecaster head) runs on the folded rows in place; others copy. */
    @Override
    public void applyInto(Tensor input, Tensor output) {
        if (inner instanceof Dense d && input.rank() == 3 && input.dim(2) == d.inputSize()
                && output.size() == (long) input.dim(0) * input.dim(1) * d.units()) {
            d.rowsInto(input.data(), input.dim(0) * input.dim(1), output.data());
        } else {
            super.applyInto(input, output);
        }
    }

    @Override
    public Tensor applyTrain(Tensor input, float[][] weights, Saved saved, TrainContext ctx) {
        saved.putObject("input_shape", input.shape());
        return unfold(inner.applyTrain(fold(input), weights, saved.child("inner"), ctx), input);
    }

    @Override
    public Tensor backpropagate(Tensor outputGrad, float[][] weights, float[][] grads, Saved saved,
                                boolean needInputGrad) {
        Tensor dx = inner.backpropagate(fold(outputGrad), weights, grads, saved.child("inner"), needInputGrad);
        return dx == null ? null : dx.reshape(saved.getObject("input_shape", int[].class));
    }

    @Override
    public Layer withWeights(List<Tensor> weights) {
        Layer copy = inner.withWeights(weights);
        return copy == inner ? this : new TimeDistributed(name(), (SingleInputLayer) copy);
    }

    // [batch, time, ...] -> [batch*time, ...]
    private static Tensor fold(Tensor t) {
        int[] dims = t.shape();
        int[] folded = new int[dims.length - 1];
        folded[0] = dims[0] * dims[1];
        System.arraycopy(dims, 2, folded, 1, dims.length - 2);
        return t.reshape(folded);
    }

    // the inner layer's [batch*time, ...] back to the input's [batch, time, ...]
    private static Tensor unfold(Tensor y, Tensor input) {
        int[] yDims = y.shape();
        int[] out = new int[yDims.length + 1];
        out[0] = input.dim(0);
        out[1] = input.dim(1);
        System.arraycopy(yDims, 1, out, 2, yDims.length - 1);
        return y.reshape(out);
    }

    @Override
    public List<Weight> weights() {
        return inner.weights();
    }

    @Override
    public List<WeightSpec> weightSpecs() {
        return inner.weightSpecs();
    }
}
