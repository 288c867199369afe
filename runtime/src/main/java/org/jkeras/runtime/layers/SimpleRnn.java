package org.jkeras.runtime.layers;

import java.util.ArrayList;
import java.util.List;
import org.jkeras.runtime.Shape;
import org.jkeras.runtime.Tensor;
import org.jkeras.runtime.kernels.Activation;
import org.jkeras.runtime.kernels.SimpleRnnKernel;

/**
 * Keras's fully connected recurrent layer over inputs {@code [batch, time, features]}:
 * {@code h = act(x_t·W + h·U + b)}. Each call starts from a zero state.
 */
public final class SimpleRnn extends SingleInputLayer implements RecurrentLayer {
    private final int units;
    private final int inputSize;
    private final float[] kernel;          // [in, units]
    private final float[] recurrentKernel; // [units, units]
    private final float[] bias;            // [units] or null
    private final Activation activation;
    private final boolean returnSequences;
    private final boolean stateful;
    private final boolean goBackwards;

    /**
     * A SimpleRNN layer.
     *
     * @param kernel          input weights, shape [features, units]
     * @param recurrentKernel recurrent weights, shape [units, units]
     * @param bias            shape [units], or null for no bias
     * @param returnSequences output every step ([batch, time, units]) rather than the last ([batch, units])
     * @throws IllegalArgumentException naming the layer when a weight has the wrong shape
     */
    public SimpleRnn(String name, int units, Tensor kernel, Tensor recurrentKernel, Tensor bias,
                     Activation activation, boolean returnSequences) {
        this(name, units, kernel, recurrentKernel, bias, activation, returnSequences, false);
    }

    /** A SimpleRNN layer that may be {@code stateful} as Keras means it (a session carries its h between calls). */
    public SimpleRnn(String name, int units, Tensor kernel, Tensor recurrentKernel, Tensor bias,
                     Activation activation, boolean returnSequences, boolean stateful) {
        this(name, units, kernel, recurrentKernel, bias, activation, returnSequences, stateful, false);
    }

    /** A SimpleRNN layer that may also read the steps last to first (Keras's {@code go_backwards}). */
    public SimpleRnn(String name, int units, Tensor kernel, Tensor recurrentKernel, Tensor bias,
                     Activation activation, boolean returnSequences, boolean stateful, boolean goBackwards) {
        super(name);
        this.stateful = stateful;
        this.goBackwards = goBackwards;
        if (units <= 0) {
            throw new IllegalArgumentException("layer '" + name + "' (SimpleRNN): units must be positive, got "
                    + units);
        }
        this.units = units;
        this.inputSize = kernel.rank() == 2 ? kernel.dim(0) : -1;
        Lstm.requireShape(name, "kernel", kernel, inputSize, units);
        Lstm.requireShape(name, "recurrent_kernel", recurrentKernel, units, units);
        if (bias != null) {
            Lstm.requireShape(name, "bias", bias, units);
        }
        this.kernel = kernel.toFloatArray();
        this.recurrentKernel = recurrentKernel.toFloatArray();
        this.bias = bias == null ? null : bias.toFloatArray();
        this.activation = activation;
        this.returnSequences = returnSequences;
    }

    @Override
    public String kind() {
        return "SimpleRNN";
    }

    /** Number of units (size of h). */
    public int units() {
        return units;
    }

    /** True when every step's output is returned. */
    @Override
    public boolean returnSequences() {
        return returnSequences;
    }

    /** The activation. */
    public Activation activation() {
        return activation;
    }

    @Override
    public Shape outputShape(Shape input) {
        requireRank(input, 3, "[batch, time, features]");
        if (input.dim(2) != inputSize) {
            throw new IllegalArgumentException(describe() + " has a kernel for " + inputSize
                    + " features but its input is " + input);
        }
        return returnSequences ? Shape.of(input.dim(0), input.dim(1), units) : Shape.of(input.dim(0), units);
    }

    @Override
    public boolean stateful() {
        return stateful;
    }

    /** True when Keras declared {@code go_backwards}: the steps are read last to first. */
    @Override
    public boolean goBackwards() {
        return goBackwards;
    }

    @Override
    public int stateCount() {
        return 1;
    }

    @Override
    public int stateSize() {
        return units;
    }

    @Override
    public Tensor apply(Tensor input) {
        return run(input, new float[input.dim(0) * units]);
    }

    /** Runs from states[0] = h, [batch, units], and leaves the final h there. */
    @Override
    public Tensor applyWithState(Tensor input, float[][] states) {
        RecurrentStates.check(this, states, 1, input.dim(0), units);
        return run(input, states[0]);
    }

    private Tensor run(Tensor input, float[] h) {
        if (goBackwards) {
            input = TimeAxis.reversed(input); // a cheap copy, so the kernels only ever run forwards
        }
        int batch = input.dim(0);
        int steps = input.dim(1);
        float[] out = new float[Math.multiplyExact(returnSequences ? batch * steps : batch, units)];
        SimpleRnnKernel.forward(input.data(), batch, steps, inputSize, units, kernel, recurrentKernel, bias,
                activation, h, out, returnSequences);
        return returnSequences ? Tensor.wrap(out, batch, steps, units) : Tensor.wrap(out, batch, units);
    }

    @Override
    public List<Weight> weights() {
        List<Weight> list = new ArrayList<>(3);
        list.add(new Weight("kernel", Tensor.of(kernel, inputSize, units)));
        list.add(new Weight("recurrent_kernel", Tensor.of(recurrentKernel, units, units)));
        if (bias != null) {
            list.add(new Weight("bias", Tensor.of(bias, units)));
        }
        return list;
    }
}
