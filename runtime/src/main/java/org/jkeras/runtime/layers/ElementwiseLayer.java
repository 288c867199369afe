package org.jkeras.runtime.layers;

import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;

/**
 * A weightless layer applying one scalar function to every value (the parametrised activation layers ReLU,
 * LeakyReLU, ELU, ...): the function and its derivative are all a subclass gives.
 */
public abstract class ElementwiseLayer extends SingleInputLayer {
    /**
     * A layer with the given name.
     *
     * @param name the layer's name, unique within its model
     */
    protected ElementwiseLayer(String name) {
        super(name);
    }

    /**
     * The function at {@code x}, in the float32 operations Keras's backend uses.
     *
     * @param x the input value
     * @return f(x)
     */
    protected abstract float value(float x);

    /**
     * The derivative at {@code x}, taking TensorFlow's side at kinks.
     *
     * @param x the input value
     * @return f'(x)
     */
    protected abstract float derivative(float x);

    /** Keras's ReLU, LeakyReLU, ELU (and tf.keras 2's ThresholdedReLU) support masking: the mask passes on. */
    @Override
    protected final boolean passesMask() {
        return true;
    }

    @Override
    public final Shape outputShape(Shape input) {
        return input;
    }

    @Override
    public final Tensor apply(Tensor input) {
        Tensor out = Tensor.wrap(new float[input.size()], input.shape());
        applyInto(input, out);
        return out;
    }

    @Override
    public final void applyInto(Tensor input, Tensor output) {
        float[] x = input.data();
        float[] out = output.data();
        if (out.length != x.length) {
            throw new IllegalStateException(describe() + ": an output buffer of " + out.length + " values for "
                    + x.length);
        }
        for (int i = 0; i < x.length; i++) {
            out[i] = value(x[i]);
        }
    }

    @Override
    public final Tensor applyTrain(Tensor input, float[][] weights, Saved saved, TrainContext ctx) {
        saved.putObject("input", input);
        return apply(input);
    }

    @Override
    public final Tensor backpropagate(Tensor outputGrad, float[][] weights, float[][] grads, Saved saved,
                                      boolean needInputGrad) {
        if (!needInputGrad) {
            return null;
        }
        float[] x = saved.getObject("input", Tensor.class).data();
        float[] dy = outputGrad.data();
        float[] dx = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            dx[i] = dy[i] * derivative(x[i]);
        }
        return Tensor.wrap(dx, outputGrad.shape());
    }
}
