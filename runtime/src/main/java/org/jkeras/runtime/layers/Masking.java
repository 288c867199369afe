package org.jkeras.runtime.layers;

import java.util.List;
import org.jkeras.runtime.tensor.Mask;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;

/**
 * Keras {@code Masking(mask_value)}: a position (all axes but the last, e.g. a time step) is masked when every
 * feature equals {@code mask_value}. The output is the input with masked positions set to zero, and carries the
 * mask {@code any(x != mask_value, axis=-1)} (e.g. {@code [batch, time]}) for the layers after it. Keras 3 writes
 * the zeros with {@code where}; tf.keras 2 multiplies by the mask, which differs only for infinite or NaN inputs
 * ({@code inf * 0 = NaN}): {@code multiply} picks the version's rule. Any incoming mask is replaced, as in Keras.
 */
public final class Masking extends SingleInputLayer {
    private final float maskValue;
    private final boolean multiply;

    /**
     * A masking layer.
     *
     * @param maskValue the value that marks padding
     * @param multiply  tf.keras 2's {@code x * mask} instead of Keras 3's {@code where(mask, x, 0)}
     * @param name the layer's name, unique within its model
     */
    public Masking(String name, float maskValue, boolean multiply) {
        super(name);
        this.maskValue = maskValue;
        this.multiply = multiply;
    }

    @Override
    public String kind() {
        return "Masking";
    }

    /**
     * The padding value.
     *
     * @return the value marking padding: a step whose features all equal it is masked
     */
    public float maskValue() {
        return maskValue;
    }

    @Override
    public Shape outputShape(Shape input) {
        if (input.rank() < 2) {
            throw new IllegalArgumentException(describe() + " expects input of rank >= 2, got " + input);
        }
        return input;
    }

    @Override
    public List<Boolean> outputsMasked(List<Boolean> inputsMasked, int outputCount) {
        return List.of(true);
    }

    @Override
    public List<Mask> outputMasks(List<Tensor> inputs, List<Mask> masks) {
        Tensor x = inputs.get(0);
        int[] shape = x.shape();
        int width = shape[shape.length - 1];
        boolean[] m = positions(x.data(), width);
        return List.of(Mask.wrap(m, java.util.Arrays.copyOf(shape, shape.length - 1)));
    }

    /** Per position (row of the last axis): true when some feature differs from the mask value. */
    private boolean[] positions(float[] x, int width) {
        boolean[] m = new boolean[width == 0 ? 0 : x.length / width];
        for (int p = 0; p < m.length; p++) {
            for (int k = 0; k < width && !m[p]; k++) {
                m[p] = x[p * width + k] != maskValue; // NaN never equals: a NaN feature keeps the step
            }
        }
        return m;
    }

    @Override
    public Tensor apply(Tensor input) {
        int width = input.dim(-1);
        boolean[] m = positions(input.data(), width);
        float[] out = input.toFloatArray();
        for (int p = 0; p < m.length; p++) {
            if (!m[p]) {
                for (int k = 0; k < width; k++) {
                    int i = p * width + k;
                    out[i] = multiply ? out[i] * 0f : 0f;
                }
            }
        }
        return Tensor.wrap(out, input.shape());
    }

    @Override
    public Tensor applyTrain(Tensor input, float[][] weights, Saved saved, TrainContext ctx) {
        saved.putObject("positions", positions(input.data(), input.dim(-1)));
        return apply(input);
    }

    /** The gradient passes where the position is kept and is zero where it was masked. */
    @Override
    public Tensor backpropagate(Tensor outputGrad, float[][] weights, float[][] grads, Saved saved,
                                boolean needInputGrad) {
        if (!needInputGrad) {
            return null;
        }
        boolean[] m = saved.getObject("positions", boolean[].class);
        int width = outputGrad.dim(-1);
        float[] d = outputGrad.toFloatArray();
        for (int p = 0; p < m.length; p++) {
            if (!m[p]) {
                java.util.Arrays.fill(d, p * width, (p + 1) * width, 0f);
            }
        }
        return Tensor.wrap(d, outputGrad.shape());
    }
}
