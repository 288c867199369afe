package org.jkeras.runtime.layers;

import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.tensor.Activation;

/**
 * Applies an activation function to its input (row-wise ones along the last axis; {@code glu} halves the last
 * axis).
 */
public final class ActivationLayer extends SingleInputLayer implements LogitsOutput {
    private final Activation activation;

    /**
     * A layer applying {@code activation}.
     *
     * @param name the layer's name, unique within its model
     * @param activation the function applied to every element
     */
    public ActivationLayer(String name, Activation activation) {
        super(name);
        this.activation = activation;
    }

    @Override
    public String kind() {
        return "Activation";
    }

    /**
     * The function applied.
     *
     * @return the activation
     */
    public Activation activation() {
        return activation;
    }

    @Override
    public Shape outputShape(Shape input) {
        if (activation != Activation.GLU) {
            return input;
        }
        if (input.rank() < 1) {
            throw new IllegalArgumentException(describe() + ": glu needs an input of rank >= 1, got " + input);
        }
        int last = input.dim(-1);
        return last == Shape.UNKNOWN ? input : input.with(-1, activation.outputColumns(last));
    }

    /** Keras's layer supports masking: the input's mask passes to the output. */
    @Override
    protected boolean passesMask() {
        return true;
    }

    @Override
    public Tensor apply(Tensor input) {
        int cols = input.rank() == 0 ? 1 : input.dim(-1);
        int rows = cols == 0 ? 0 : input.size() / cols;
        if (activation == Activation.GLU) {
            int[] shape = input.shape();
            shape[shape.length - 1] = activation.outputColumns(cols);
            float[] out = new float[rows * shape[shape.length - 1]];
            Activation.glu(input.data(), out, rows, cols);
            return Tensor.wrap(out, shape);
        }
        float[] out = input.toFloatArray();
        activation.applyRows(out, 0, rows, cols);
        return Tensor.wrap(out, input.shape());
    }

    /** Element-wise activations copy the input into the buffer and apply there; GLU (fewer columns) copies. */
    @Override
    public void applyInto(Tensor input, Tensor output) {
        if (activation == Activation.GLU || !input.sameShape(output)) {
            super.applyInto(input, output);
            return;
        }
        int cols = input.rank() == 0 ? 1 : input.dim(-1);
        int rows = cols == 0 ? 0 : input.size() / cols;
        System.arraycopy(input.data(), 0, output.data(), 0, input.size());
        activation.applyRows(output.data(), 0, rows, cols);
    }

    @Override
    public Tensor applyTrain(Tensor input, float[][] weights, Saved saved, TrainContext ctx) {
        Tensor y = apply(input);
        saved.putObject("input", input);
        saved.putObject("output", y);
        return y;
    }

    @Override
    public Tensor backpropagate(Tensor outputGrad, float[][] weights, float[][] grads, Saved saved,
                                boolean needInputGrad) {
        return backpropagateLogits(null, outputGrad, weights, grads, saved, needInputGrad);
    }

    @Override
    public Activation finalActivation() {
        return activation;
    }

    @Override
    public Tensor logits(Saved saved) {
        return saved.getObject("input", Tensor.class);
    }

    @Override
    public Tensor backpropagateLogits(Tensor logitsGrad, Tensor outputGrad, float[][] weights, float[][] grads,
                                      Saved saved, boolean needInputGrad) {
        if (!needInputGrad) {
            return null;
        }
        Tensor x = saved.getObject("input", Tensor.class);
        float[] dx = new float[x.size()];
        if (outputGrad != null) {
            Tensor y = saved.getObject("output", Tensor.class);
            int cols = x.rank() == 0 ? 1 : x.dim(-1);
            int rows = cols == 0 ? 0 : dx.length / cols;
            if (activation == Activation.GLU) {
                Activation.gluBackward(x.data(), outputGrad.data(), dx, rows, cols);
            } else {
                activation.backwardRows(x.data(), y.data(), outputGrad.data(), dx, 0, rows, cols);
            }
        }
        if (logitsGrad != null) {
            float[] lg = logitsGrad.data();
            for (int i = 0; i < dx.length; i++) {
                dx[i] += lg[i];
            }
        }
        return Tensor.wrap(dx, x.shape());
    }
}
