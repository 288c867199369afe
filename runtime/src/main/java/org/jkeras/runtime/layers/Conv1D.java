package org.jkeras.runtime.layers;

import java.util.ArrayList;
import java.util.List;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.tensor.Activation;
import org.jkeras.runtime.kernels.Kernels;
import org.jkeras.runtime.kernels.Matmul;
import org.jkeras.runtime.kernels.PackedGemm;
import org.jkeras.runtime.kernels.PackedMatrix;

/**
 * Keras's Conv1D on {@code [batch, steps, channels]} (channels_last): {@code y[b, t, f] = act(bias[f] +
 * Σ_j Σ_c x[b, t*stride + j*dilation - padLeft, g*Cg + c] · kernel[j, c, f])} for filter f of group g
 * ({@code Cg = channels / groups} input channels per group), zero outside the input. Padding {@code valid}
 * (none), {@code same} (TensorFlow's SAME: {@code ceil(T / stride)} outputs, the odd pad after) or
 * {@code causal} ({@code dilation * (k - 1)} zeros before, then valid). Each group is one GEMM of the input
 * patches ({@code [batch*outSteps, k*Cg]}, im2col) with its kernel slice ({@code [k*Cg, filters/groups]}),
 * packed once for {@link PackedGemm} on the Vector API path.
 */
public final class Conv1D extends SingleInputLayer implements LogitsOutput {
    /** Keras's padding modes of a 1-D convolution. */
    public enum Padding {
        /** No padding: only whole windows. */
        VALID,
        /** TensorFlow's SAME: {@code ceil(steps / stride)} outputs, the odd pad after. */
        SAME,
        /** {@code dilation * (kernel_size - 1)} zeros before, then valid: no output sees a later step. */
        CAUSAL
    }

    private final int kernelSize;
    private final int channels;
    private final int filters;
    private final int groups;
    private final int stride;
    private final int dilation;
    private final Padding padding;
    private final float[] kernel; // [k, channels/groups, filters]
    private final float[] bias;   // [filters] or null
    private final Activation activation;
    private final PackedMatrix[] packed; // per group, [k*Cg, filters/groups]; null on the scalar path
    private final float[][] groupKernels; // per group, the same row-major (scalar path and training)
    private final float[][] biasRows;     // per group, packed width: the GEMM's initial value

    /**
     * A 1-D convolution.
     *
     * @param kernel shape [kernel_size, channels / groups, filters]
     * @param bias   shape [filters], or null
     * @param name the layer's name, unique within its model
     * @param groups the number of channel groups (Keras's {@code groups}); channels and filters divide by it
     * @param stride Keras's {@code strides}, at least 1
     * @param dilation Keras's {@code dilation_rate}, at least 1
     * @param padding Keras's {@code padding}
     * @param activation applied to the output
     * @throws IllegalArgumentException naming the layer when a size does not fit (filters not divisible by
     *                                  groups, a stride or dilation below 1, both above 1)
     */
    public Conv1D(String name, Tensor kernel, Tensor bias, int groups, int stride, int dilation, Padding padding,
                  Activation activation) {
        super(name);
        if (kernel.rank() != 3) {
            throw new IllegalArgumentException("layer '" + name + "' (Conv1D): weight 'kernel' has shape "
                    + Shape.format(kernel.shape()) + ", expected rank 3 [kernel_size, channels/groups, filters]");
        }
        this.kernelSize = kernel.dim(0);
        this.filters = kernel.dim(2);
        this.groups = groups;
        if (groups < 1 || filters % groups != 0 || stride < 1 || dilation < 1 || (stride > 1 && dilation > 1)
                || kernelSize < 1) {
            throw new IllegalArgumentException("layer '" + name + "' (Conv1D): unsupported sizes: kernel "
                    + Shape.format(kernel.shape()) + ", groups " + groups + ", strides " + stride + ", dilation_rate "
                    + dilation + " (Keras needs filters divisible by groups, and not both strides and dilation > 1)");
        }
        this.channels = Math.multiplyExact(kernel.dim(1), groups);
        this.stride = stride;
        this.dilation = dilation;
        this.padding = padding;
        if (bias != null) {
            WeightShapes.require(name, "bias", bias, filters);
        }
        this.kernel = kernel.toFloatArray();
        this.bias = bias == null ? null : bias.toFloatArray();
        this.activation = activation;
        int cg = channels / groups;
        int fg = filters / groups;
        int rows = kernelSize * cg;
        this.groupKernels = new float[groups][];
        for (int g = 0; g < groups; g++) {
            float[] kg = new float[rows * fg];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(this.kernel, r * filters + g * fg, kg, r * fg, fg);
            }
            groupKernels[g] = kg;
        }
        if (Kernels.vectorized() && rows > 0 && fg > 0) {
            this.packed = new PackedMatrix[groups];
            this.biasRows = new float[groups][];
            for (int g = 0; g < groups; g++) {
                packed[g] = PackedMatrix.pack(groupKernels[g], 0, rows, fg, PackedGemm.panelWidth());
                biasRows[g] = new float[packed[g].paddedColumns()];
                if (this.bias != null) {
                    System.arraycopy(this.bias, g * fg, biasRows[g], 0, fg);
                }
            }
        } else {
            this.packed = null;
            this.biasRows = null;
        }
    }

    @Override
    public String kind() {
        return "Conv1D";
    }

    /**
     * The output activation.
     *
     * @return the activation applied to the output
     */
    public Activation activation() {
        return activation;
    }

    /**
     * The number of output steps for {@code steps} input steps ({@link Shape#UNKNOWN} stays unknown).
     *
     * @param steps the input steps, or {@link Shape#UNKNOWN}
     * @return the output steps, or {@link Shape#UNKNOWN}
     */
    public int outputSteps(int steps) {
        if (steps == Shape.UNKNOWN) {
            return Shape.UNKNOWN;
        }
        if (padding == Padding.VALID) {
            int span = dilation * (kernelSize - 1) + 1;
            return steps < span ? 0 : (steps - span) / stride + 1;
        }
        return (steps + stride - 1) / stride; // same, causal
    }

    /** Zeros before the first step. */
    private int padLeft(int steps) {
        return switch (padding) {
            case VALID -> 0;
            case CAUSAL -> dilation * (kernelSize - 1);
            case SAME -> Math.max((outputSteps(steps) - 1) * stride + dilation * (kernelSize - 1) + 1 - steps, 0) / 2;
        };
    }

    @Override
    public Shape outputShape(Shape input) {
        requireRank(input, 3, "[batch, steps, channels]");
        if (input.dim(2) != channels) {
            throw new IllegalArgumentException(describe() + " has a kernel for " + channels
                    + " channels but its input is " + input);
        }
        int out = outputSteps(input.dim(1));
        if (out == 0) {
            throw new IllegalArgumentException(describe() + ": an input of " + input.dim(1) + " steps is shorter than"
                    + " the kernel's span (" + (dilation * (kernelSize - 1) + 1) + " steps)");
        }
        return Shape.of(input.dim(0), out, filters);
    }

    private void requireInput(Tensor input) {
        if (input.rank() != 3 || input.dim(2) != channels || outputSteps(input.dim(1)) == 0) {
            throw new IllegalArgumentException(describe() + " expects [batch, steps >= "
                    + (dilation * (kernelSize - 1) + 1) + ", " + channels + "], got " + Shape.format(input.shape()));
        }
    }

    /** The patches of group g: [batch*outSteps, k*Cg], row (b, t) holding the input steps its output sees. */
    private float[] im2col(float[] x, int batch, int steps, int outSteps, int g) {
        int cg = channels / groups;
        int width = kernelSize * cg;
        float[] p = new float[Math.multiplyExact(Math.multiplyExact(batch, outSteps), width)];
        int left = padLeft(steps);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < outSteps; t++) {
                int row = (b * outSteps + t) * width;
                for (int j = 0; j < kernelSize; j++) {
                    int s = t * stride + j * dilation - left;
                    if (s >= 0 && s < steps) {
                        System.arraycopy(x, (b * steps + s) * channels + g * cg, p, row + j * cg, cg);
                    }
                }
            }
        }
        return p;
    }

    /** Adds the patch gradients of group g back into dx (the transpose of {@link #im2col}). */
    private void col2im(float[] dp, float[] dx, int batch, int steps, int outSteps, int g) {
        int cg = channels / groups;
        int width = kernelSize * cg;
        int left = padLeft(steps);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < outSteps; t++) {
                int row = (b * outSteps + t) * width;
                for (int j = 0; j < kernelSize; j++) {
                    int s = t * stride + j * dilation - left;
                    if (s >= 0 && s < steps) {
                        int o = (b * steps + s) * channels + g * cg;
                        for (int c = 0; c < cg; c++) {
                            dx[o + c] += dp[row + j * cg + c];
                        }
                    }
                }
            }
        }
    }

    @Override
    public Tensor apply(Tensor input) {
        requireInput(input);
        int batch = input.dim(0);
        int steps = input.dim(1);
        int outSteps = outputSteps(steps);
        int rows = batch * outSteps;
        int fg = filters / groups;
        int width = kernelSize * channels / groups;
        float[] out = new float[Math.multiplyExact(rows, filters)];
        for (int g = 0; g < groups; g++) {
            float[] p = im2col(input.data(), batch, steps, outSteps, g);
            if (packed != null) { // out[:, g*fg ..] = bias + P · Kg, written with row stride filters
                PackedGemm.multiply(p, 0, width, rows, packed[g], biasRows[g], 0, 0, out, g * fg, filters);
            } else {
                float[] part = new float[rows * fg];
                Kernels.gemm().multiply(p, 0, groupKernels[g], 0, part, 0, rows, width, fg, false);
                for (int r = 0; r < rows; r++) {
                    for (int f = 0; f < fg; f++) {
                        out[r * filters + g * fg + f] = part[r * fg + f] + (bias == null ? 0f : bias[g * fg + f]);
                    }
                }
            }
        }
        activation.applyRows(out, 0, rows, filters);
        return Tensor.wrap(out, batch, outSteps, filters);
    }

    @Override
    public Tensor applyTrain(Tensor input, float[][] weights, Saved saved, TrainContext ctx) {
        requireInput(input);
        int batch = input.dim(0);
        int steps = input.dim(1);
        int outSteps = outputSteps(steps);
        int rows = batch * outSteps;
        int fg = filters / groups;
        int width = kernelSize * channels / groups;
        float[] pre = new float[Math.multiplyExact(rows, filters)]; // pre: [rows, filters]
        float[][] patches = new float[groups][];
        for (int g = 0; g < groups; g++) {
            patches[g] = im2col(input.data(), batch, steps, outSteps, g);
            float[] part = new float[rows * fg];
            Matmul.nn(patches[g], 0, groupSlice(weights[0], g), 0, part, 0, rows, width, fg, false);
            for (int r = 0; r < rows; r++) {
                for (int f = 0; f < fg; f++) {
                    pre[r * filters + g * fg + f] = part[r * fg + f] + (bias == null ? 0f : weights[1][g * fg + f]);
                }
            }
        }
        float[] out = pre.clone();
        activation.applyRows(out, 0, rows, filters);
        saved.putObject("input", input);
        saved.putObject("patches", patches);
        saved.put("pre", pre);
        saved.put("out", out);
        return Tensor.wrap(out, batch, outSteps, filters);
    }

    /** Group g's kernel [k*Cg, filters/groups] out of a full kernel [k, Cg, filters]. */
    private float[] groupSlice(float[] k, int g) {
        if (groups == 1) {
            return k;
        }
        int fg = filters / groups;
        int rows = kernelSize * channels / groups;
        float[] kg = new float[rows * fg];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(k, r * filters + g * fg, kg, r * fg, fg);
        }
        return kg;
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
        Tensor x = saved.getObject("input", Tensor.class);
        return Tensor.wrap(saved.get("pre"), x.dim(0), outputSteps(x.dim(1)), filters);
    }

    @Override
    public Tensor backpropagateLogits(Tensor logitsGrad, Tensor outputGrad, float[][] weights, float[][] grads,
                                      Saved saved, boolean needInputGrad) {
        Tensor input = saved.getObject("input", Tensor.class);
        float[][] patches = saved.getObject("patches", float[][].class);
        int batch = input.dim(0);
        int steps = input.dim(1);
        int outSteps = outputSteps(steps);
        int rows = batch * outSteps;
        int fg = filters / groups;
        int width = kernelSize * channels / groups;
        float[] pre = saved.get("pre");
        float[] da = new float[pre.length]; // d(loss)/d(pre): [rows, filters]
        if (outputGrad != null) {
            activation.backwardRows(pre, saved.get("out"), outputGrad.data(), da, 0, rows, filters);
        }
        if (logitsGrad != null) {
            float[] lg = logitsGrad.data();
            for (int i = 0; i < da.length; i++) {
                da[i] += lg[i];
            }
        }
        float[] dx = needInputGrad ? new float[input.size()] : null;
        for (int g = 0; g < groups; g++) {
            float[] dag = new float[rows * fg];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(da, r * filters + g * fg, dag, r * fg, fg);
            }
            float[] dkg = new float[width * fg];
            Matmul.tn(patches[g], 0, dag, 0, dkg, 0, width, rows, fg, false); // dKg = Pᵀ·da
            for (int r = 0; r < width; r++) {
                for (int f = 0; f < fg; f++) {
                    grads[0][r * filters + g * fg + f] += dkg[r * fg + f];
                }
            }
            if (dx != null) {
                float[] dp = new float[rows * width];
                Matmul.nt(dag, 0, groupSlice(weights[0], g), 0, dp, 0, rows, fg, width, false); // dP = da·Kgᵀ
                col2im(dp, dx, batch, steps, outSteps, g);
            }
        }
        if (bias != null) {
            for (int r = 0; r < rows; r++) {
                for (int f = 0; f < filters; f++) {
                    grads[1][f] += da[r * filters + f];
                }
            }
        }
        return dx == null ? null : Tensor.wrap(dx, input.shape());
    }

    @Override
    public List<Weight> weights() {
        List<Weight> list = new ArrayList<>(2);
        list.add(new Weight("kernel", Tensor.of(kernel, kernelSize, channels / groups, filters)));
        if (bias != null) {
            list.add(new Weight("bias", Tensor.of(bias, filters)));
        }
        return list;
    }

    @Override
    public Layer withWeights(List<Tensor> weights) {
        WeightShapes.requireCount(this, weights, bias == null ? 1 : 2);
        WeightShapes.require(name(), "kernel", weights.get(0), kernelSize, channels / groups, filters);
        return new Conv1D(name(), weights.get(0), bias == null ? null : weights.get(1), groups, stride, dilation,
                padding, activation);
    }
}
