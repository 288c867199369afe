package org.jkeras.runtime.layers;

import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;

/** Reshapes {@code [batch, d1, d2, ...]} to {@code [batch, d1*d2*...]} (row-major, like Keras). */
public final class Flatten extends SingleInputLayer {
    /**
     * A flatten layer.
     *
     * @param name the layer's name, unique within its model
     */
    public Flatten(String name) {
        super(name);
    }

    @Override
    public String kind() {
        return "Flatten";
    }

    @Override
    public Shape outputShape(Shape input) {
        if (input.rank() < 2) {
            throw new IllegalArgumentException(describe() + " expects input of rank >= 2, got " + input);
        }
        return Shape.of(input.dim(0), input.product(1));
    }

    @Override
    public Tensor apply(Tensor input) {
        int batch = input.dim(0);
        return input.reshape(batch, batch == 0 ? 0 : input.size() / batch);
    }

    @Override
    public Tensor applyTrain(Tensor input, float[][] weights, Saved saved, TrainContext ctx) {
        saved.putObject("input_shape", input.shape());
        return apply(input);
    }

    @Override
    public Tensor backpropagate(Tensor outputGrad, float[][] weights, float[][] grads, Saved saved,
                                boolean needInputGrad) {
        return needInputGrad ? outputGrad.reshape(saved.getObject("input_shape", int[].class)) : null;
    }
}
