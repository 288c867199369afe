package org.jkeras.runtime.layers;

import java.util.ArrayList;
import java.util.List;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.tensor.Activation;
import org.jkeras.runtime.kernels.Kernels;
import org.jkeras.runtime.kernels.Matmul;
import org.jkeras.runtime.kernels.RowOps;
import org.jkeras.runtime.kernels.PackedGemm;
import org.jkeras.runtime.kernels.PackedMatrix;

/**
 * Fully connected layer {@code act(x·W + b)} on the last axis of an input of any rank >= 2,
 * as Keras's Dense does (a 3-D input is transformed at every time step).
 */
public final class Dense extends SingleInputLayer implements LogitsOutput {
    private final int units;
    private final int inputSize;
    private final float[] kernel; // [in, units]; null when packed (held once: weights() unpacks it)
    private final float[] bias;   // [units] or null
    private final Activation activation;
    private final PackedMatrix packed; // kernel packed for PackedGemm; null on the scalar path
    private final float[] biasRow;     // [packed.paddedColumns()], bias or zeros: the GEMM's initial value

    /**
     * A dense layer.
     *
     * @param kernel shape [in, units]
     * @param bias   shape [units], or null for no bias
     * @param name the layer's name, unique within its model
     * @param activation applied to the output
     */
    public Dense(String name, Tensor kernel, Tensor bias, Activation activation) {
        super(name);
        if (kernel.rank() != 2) {
            throw new IllegalArgumentException("layer '" + name + "': weight 'kernel' has shape "
                    + Shape.format(kernel.shape()) + ", expected rank 2 [in, units]");
        }
        this.inputSize = kernel.dim(0);
        this.units = kernel.dim(1);
        if (bias != null) {
            WeightShapes.require(name, "bias", bias, units);
        }
        this.bias = bias == null ? null : bias.toFloatArray();
        this.activation = activation;
        if (Kernels.vectorized() && inputSize > 0 && units > 0) { // packing copies: the tensor is read, not kept
            this.kernel = null;
            this.packed = PackedMatrix.pack(kernel.data(), 0, inputSize, units, 4 * Kernels.lanes()).aligned();
            this.biasRow = new float[packed.paddedColumns()];
            if (this.bias != null) {
                System.arraycopy(this.bias, 0, biasRow, 0, units);
            }
        } else {
            this.kernel = kernel.toFloatArray();
            this.packed = null;
            this.biasRow = null;
        }
    }

    @Override
    public String kind() {
        return "Dense";
    }

    /**
     * Number of output units.
     *
     * @return the last dimension of the output
     */
    public int units() {
        return units;
    }

    /**
     * The output activation.
     *
     * @return the activation applied to the output
     */
    public Activation activation() {
        return activation;
    }

    @Override
    public Shape outputShape(Shape input) {
        if (input.rank() < 2) {
            throw new IllegalArgumentException(describe() + " expects input of rank >= 2, got " + input);
        }
        if (input.dim(-1) != inputSize) {
            throw new IllegalArgumentException(describe() + " has a kernel for " + inputSize
                    + " inputs but its input is " + input);
        }
        return input.with(-1, units);
    }

    /** Keras's layer supports masking: the input's mask passes to the output. */
    @Override
    protected boolean passesMask() {
        return true;
    }

    @Override
    public Tensor apply(Tensor input) {
        requireInput(input);
        int rows = input.size() / inputSize;
        float[] out = new float[Math.multiplyExact(rows, units)];
        rowsInto(input.data(), rows, out);
        return Tensor.wrap(out, outputDims(input));
    }

    @Override
    public void applyInto(Tensor input, Tensor output) {
        requireInput(input);
        int rows = input.size() / inputSize;
        if (output.size() != (long) rows * units) {
            throw new IllegalStateException(describe() + ": an output buffer of " + output.size() + " values for "
                    + rows + " rows of " + units);
        }
        rowsInto(input.data(), rows, output.data());
    }

    /** The layer on {@code rows} rows of {@code x} ([rows, in]) into {@code out} ([rows, units]), overwritten. */
    void rowsInto(float[] x, int rows, float[] out) {
        if (packed != null) {
            PackedGemm.multiply(x, 0, inputSize, rows, packed, biasRow, 0, 0, out, 0, units);
        } else {
            Kernels.gemm().multiply(x, 0, kernel, 0, out, 0, rows, inputSize, units, false);
        }
        if (packed == null && bias != null) {
            RowOps.addRowVector(out, rows, units, bias);
        }
        activation.applyRows(out, 0, rows, units);
    }

    /** The number of inputs a row has (the kernel's first dimension). */
    int inputSize() {
        return inputSize;
    }

    @Override
    public Tensor applyTrain(Tensor input, float[][] weights, Saved saved, TrainContext ctx) {
        requireInput(input);
        int rows = input.size() / inputSize;
        float[] pre = new float[Math.multiplyExact(rows, units)]; // pre: [rows, units], x·W + b
        Matmul.nn(input.data(), 0, weights[0], 0, pre, 0, rows, inputSize, units, false);
        if (bias != null) {
            RowOps.addRowVector(pre, rows, units, weights[1]);
        }
        float[] out = pre.clone();
        activation.applyRows(out, 0, rows, units);
        saved.putObject("input", input);
        saved.put("pre", pre);
        saved.put("out", out);
        return Tensor.wrap(out, outputDims(input));
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
        return Tensor.wrap(saved.get("pre"), outputDims(saved.getObject("input", Tensor.class)));
    }

    @Override
    public Tensor backpropagateLogits(Tensor logitsGrad, Tensor outputGrad, float[][] weights, float[][] grads,
                                      Saved saved, boolean needInputGrad) {
        Tensor input = saved.getObject("input", Tensor.class);
        int rows = input.size() / inputSize;
        float[] pre = saved.get("pre");
        float[] da = new float[pre.length]; // da: [rows, units], d(loss)/d(x·W + b)
        if (outputGrad != null) {
            activation.backwardRows(pre, saved.get("out"), outputGrad.data(), da, 0, rows, units);
        }
        if (logitsGrad != null) {
            float[] lg = logitsGrad.data();
            for (int i = 0; i < da.length; i++) {
                da[i] += lg[i];
            }
        }
        Matmul.tn(input.data(), 0, da, 0, grads[0], 0, inputSize, rows, units, true); // dW += xᵀ·da
        if (bias != null) {
            RowOps.addColumnSums(da, rows, units, grads[1]);
        }
        if (!needInputGrad) {
            return null;
        }
        float[] dx = new float[input.size()];
        Matmul.nt(da, 0, weights[0], 0, dx, 0, rows, units, inputSize, false); // dx = da·Wᵀ
        return Tensor.wrap(dx, input.shape());
    }

    @Override
    public Layer withWeights(List<Tensor> weights) {
        WeightShapes.requireCount(this, weights, bias == null ? 1 : 2);
        WeightShapes.require(name(), "kernel", weights.get(0), inputSize, units);
        return new Dense(name(), weights.get(0), bias == null ? null : weights.get(1), activation);
    }

    private void requireInput(Tensor input) {
        if (input.rank() < 2 || input.dim(-1) != inputSize) { // cheap guard against a silently wrong product
            throw new IllegalArgumentException(describe() + " has a kernel for " + inputSize
                    + " inputs but got " + Shape.format(input.shape()));
        }
    }

    private int[] outputDims(Tensor input) {
        int[] shape = input.shape();
        shape[shape.length - 1] = units;
        return shape;
    }

    @Override
    public List<WeightSpec> weightSpecs() {
        List<WeightSpec> list = new ArrayList<>(2);
        list.add(new WeightSpec("kernel", new int[] {inputSize, units}));
        if (bias != null) {
            list.add(new WeightSpec("bias", new int[] {units}));
        }
        return list;
    }

    @Override
    public List<Weight> weights() {
        List<Weight> list = new ArrayList<>(2);
        list.add(new Weight("kernel", packed != null ? Tensor.wrap(packed.unpack(), inputSize, units)
                : Tensor.of(kernel, inputSize, units)));
        if (bias != null) {
            list.add(new Weight("bias", Tensor.of(bias, units)));
        }
        return list;
    }
}
