package org.jkeras.runtime.layers;

import java.util.Arrays;
import java.util.List;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.tensor.Activation;

/**
 * Keras's Softmax layer over one axis or several ({@code axis} an int or a list): over several axes Keras
 * computes {@code exp(x - logsumexp(x, axes))}, which is the softmax of all their values together. The axes are
 * brought last, each group of values normalised as one row, and put back.
 */
public final class Softmax extends SingleInputLayer implements LogitsOutput {
    private final int[] axes; // as given (negative from the end)

    /**
     * A softmax over {@code axes} (Keras's {@code axis}: -1 for the last).
     *
     * @param name the layer's name, unique within its model
     * @param axes Keras's {@code axis}: the axes normalized over, negative from the end
     */
    public Softmax(String name, int... axes) {
        super(name);
        if (axes.length == 0) {
            throw new IllegalArgumentException("layer '" + name + "' (Softmax): no axis given");
        }
        this.axes = axes.clone();
    }

    @Override
    public String kind() {
        return "Softmax";
    }

    /**
     * Refuses a masked input: Keras's Softmax broadcasts the mask it receives against the input's LAST axes, so a
     * {@code [batch, steps]} mask on {@code [batch, steps, features]} fails in Keras itself (or, when steps equal
     * features and the batch the steps, lines up the wrong axes). No file Keras can run has one.
     */
    @Override
    public List<Boolean> outputsMasked(List<Boolean> inputsMasked, int outputCount) {
        if (inputsMasked.get(0)) {
            throw new IllegalArgumentException(describe() + " receives a mask (from Masking or Embedding(mask_zero="
                    + "True)): Keras broadcasts a [batch, steps] mask against the input's last axes, which Keras"
                    + " itself refuses for [batch, steps, features] inputs; jkeras refuses it too");
        }
        return List.of(false);
    }

    /**
     * The axes as given.
     *
     * @return a copy of the axes
     */
    public int[] axes() {
        return axes.clone();
    }

    @Override
    public Shape outputShape(Shape input) {
        Axes.resolve(describe(), axes, input.rank());
        return input;
    }

    @Override
    public Tensor apply(Tensor input) {
        Axes a = Axes.resolve(describe(), axes, input.rank());
        int[] shape = input.shape();
        int cols = a.rowSize(shape);
        float[] rows = a.trailing() ? input.toFloatArray() : a.toRows(input);
        Activation.SOFTMAX.applyRows(rows, 0, cols == 0 ? 0 : rows.length / cols, cols);
        return Tensor.wrap(a.fromRows(rows, shape), shape);
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

    /**
     * SOFTMAX when the softmax is over the last axis alone (Keras then attaches the logits to the output and its
     * cross-entropies use them), else LINEAR: the trainer then takes the loss on the probabilities.
     */
    @Override
    public Activation finalActivation() {
        return axes.length == 1 && axes[0] == -1 ? Activation.SOFTMAX : Activation.LINEAR;
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
        int[] shape = x.shape();
        float[] dx = new float[x.size()];
        if (outputGrad != null) {
            Axes a = Axes.resolve(describe(), axes, x.rank());
            int cols = a.rowSize(shape);
            float[] y = a.toRows(saved.getObject("output", Tensor.class));
            float[] dy = a.toRows(outputGrad);
            float[] d = new float[dx.length];
            Activation.SOFTMAX.backwardRows(null, y, dy, d, 0, cols == 0 ? 0 : d.length / cols, cols);
            dx = a.fromRows(d, shape);
        }
        if (logitsGrad != null) {
            float[] lg = logitsGrad.data();
            for (int i = 0; i < dx.length; i++) {
                dx[i] += lg[i];
            }
        }
        return Tensor.wrap(dx, shape);
    }

    @Override
    public String toString() {
        return describe() + " axis " + Arrays.toString(axes);
    }
}
