package org.jkeras.runtime.layers;

import java.util.ArrayList;
import java.util.List;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.tensor.Activation;
import org.jkeras.runtime.kernels.Kernels;
import org.jkeras.runtime.kernels.PackedSimpleRnn;
import org.jkeras.runtime.kernels.SimpleRnnKernel;
import org.jkeras.runtime.kernels.SimpleRnnTape;
import org.jkeras.runtime.kernels.RecurrentDropout;
import org.jkeras.runtime.kernels.VectorSimpleRnn;

/**
 * Keras's fully connected recurrent layer over inputs {@code [batch, time, features]}:
 * {@code h = act(x_t·W + h·U + b)}. Each call starts from a zero state.
 *
 * <p>With the Vector API kernels the weights are also packed once here for {@link VectorSimpleRnn}; otherwise
 * the scalar reference {@link SimpleRnnKernel} runs on the Keras-layout arrays.
 */
public final class SimpleRnn extends RecurrentBase {
    // W and U in Keras's layout are held only on the scalar path: with the Vector API kernels the packed copy is
    // the only one (a large model is held once, not twice) and weights() unpacks it.
    private final float[] kernel;          // [in, units], or null when packed
    private final float[] recurrentKernel; // [units, units], or null when packed
    private final float[] bias;            // [units] or null
    private final Activation activation;
    private final PackedSimpleRnn packed;  // null on the scalar path

    /**
     * A SimpleRNN layer.
     *
     * @param kernel          input weights, shape [features, units]
     * @param recurrentKernel recurrent weights, shape [units, units]
     * @param bias            shape [units], or null for no bias
     * @param returnSequences output every step ([batch, time, units]) rather than the last ([batch, units])
     * @param name the layer's name, unique within its model
     * @param units the size of the hidden state (and of each output step)
     * @param activation the activation of the new state (Keras default: tanh)
     * @throws IllegalArgumentException naming the layer when a weight has the wrong shape
     */
    public SimpleRnn(String name, int units, Tensor kernel, Tensor recurrentKernel, Tensor bias,
                     Activation activation, boolean returnSequences) {
        this(name, units, kernel, recurrentKernel, bias, activation, returnSequences, false);
    }

    /**
     * A SimpleRNN layer that may be {@code stateful} as Keras means it (a session carries its h between calls).
     *
     * @param name the layer's name, unique within its model
     * @param units the size of the hidden state (and of each output step)
     * @param kernel input weights, shape [features, units]
     * @param recurrentKernel recurrent weights, shape [units, units]
     * @param bias shape [units], or null for no bias
     * @param activation the activation of the new state (Keras default: tanh)
     * @param returnSequences output every step ([batch, time, units]) rather than the last ([batch, units])
     * @param stateful Keras's {@code stateful}: a session carries the final state into the next call
     */
    public SimpleRnn(String name, int units, Tensor kernel, Tensor recurrentKernel, Tensor bias,
                     Activation activation, boolean returnSequences, boolean stateful) {
        this(name, units, kernel, recurrentKernel, bias, activation, returnSequences, stateful, false);
    }

    /**
     * A SimpleRNN layer that may also read the steps last to first (Keras's {@code go_backwards}).
     *
     * @param name the layer's name, unique within its model
     * @param units the size of the hidden state (and of each output step)
     * @param kernel input weights, shape [features, units]
     * @param recurrentKernel recurrent weights, shape [units, units]
     * @param bias shape [units], or null for no bias
     * @param activation the activation of the new state (Keras default: tanh)
     * @param returnSequences output every step ([batch, time, units]) rather than the last ([batch, units])
     * @param stateful Keras's {@code stateful}: a session carries the final state into the next call
     * @param goBackwards Keras's {@code go_backwards}: read the steps last to first
     */
    public SimpleRnn(String name, int units, Tensor kernel, Tensor recurrentKernel, Tensor bias,
                     Activation activation, boolean returnSequences, boolean stateful, boolean goBackwards) {
        this(name, units, kernel, recurrentKernel, bias, activation, returnSequences, stateful, goBackwards, 0, 0);
    }

    /**
     * A SimpleRNN layer with Keras's training-time {@code dropout} and {@code recurrent_dropout} rates.
     *
     * @param name the layer's name, unique within its model
     * @param units the size of the hidden state (and of each output step)
     * @param kernel input weights, shape [features, units]
     * @param recurrentKernel recurrent weights, shape [units, units]
     * @param bias shape [units], or null for no bias
     * @param activation the activation of the new state (Keras default: tanh)
     * @param returnSequences output every step ([batch, time, units]) rather than the last ([batch, units])
     * @param stateful Keras's {@code stateful}: a session carries the final state into the next call
     * @param goBackwards Keras's {@code go_backwards}: read the steps last to first
     * @param dropout Keras's {@code dropout} rate on the inputs, used in training only
     * @param recurrentDropout Keras's {@code recurrent_dropout} rate on the state, used in training only
     */
    public SimpleRnn(String name, int units, Tensor kernel, Tensor recurrentKernel, Tensor bias,
                     Activation activation, boolean returnSequences, boolean stateful, boolean goBackwards,
                     double dropout, double recurrentDropout) {
        this(name, units, kernel, recurrentKernel, bias, activation,
                RecurrentOptions.sequences(returnSequences).withStateful(stateful).withGoBackwards(goBackwards)
                        .withDropout(dropout, recurrentDropout));
    }

    /**
     * A SimpleRNN layer with every Keras recurrent flag ({@code return_state}, {@code zero_output_for_mask}, ...).
     *
     * @param name the layer's name, unique within its model
     * @param units the size of the hidden state (and of each output step)
     * @param kernel input weights, shape [features, units]
     * @param recurrentKernel recurrent weights, shape [units, units]
     * @param bias shape [units], or null for no bias
     * @param activation the activation of the new state (Keras default: tanh)
     * @param options Keras's recurrent flags (return_sequences, return_state, stateful, dropout, ...)
     */
    public SimpleRnn(String name, int units, Tensor kernel, Tensor recurrentKernel, Tensor bias,
                     Activation activation, RecurrentOptions options) {
        super(name, "SimpleRNN", units, kernel, options);
        WeightShapes.require(name, "kernel", kernel, inputSize, units);
        WeightShapes.require(name, "recurrent_kernel", recurrentKernel, units, units);
        if (bias != null) {
            WeightShapes.require(name, "bias", bias, units);
        }
        this.bias = bias == null ? null : bias.toFloatArray();
        this.activation = activation;
        if (Kernels.vectorized()) { // packing copies, so the given tensors are read, not kept
            this.packed = new PackedSimpleRnn(kernel.data(), recurrentKernel.data(), this.bias, inputSize, units,
                    activation, Kernels.lanes());
            this.kernel = null;
            this.recurrentKernel = null;
        } else {
            this.packed = null;
            this.kernel = kernel.toFloatArray();
            this.recurrentKernel = recurrentKernel.toFloatArray();
        }
    }

    @Override
    public String kind() {
        return "SimpleRNN";
    }

    /**
     * The activation.
     *
     * @return the activation of the new state
     */
    public Activation activation() {
        return activation;
    }

    /** The packed weights of the Vector API kernels, or null on the scalar path. */
    PackedSimpleRnn packed() {
        return packed;
    }

    @Override
    public int stateCount() {
        return 1;
    }

    @Override
    void runCell(float[] x, int batch, int steps, float[] out, float[][] states) {
        if (packed != null) { // a null state: VectorSimpleRnn skips h·U at the first step
            VectorSimpleRnn.forward(packed, x, batch, steps, out, returnSequences(), states == null ? null : states[0]);
            return;
        }
        SimpleRnnKernel.forward(x, batch, steps, inputSize, units, kernel, recurrentKernel, bias, activation,
                stateOrZero(states, 0, batch * units), out, returnSequences());
    }

    @Override
    void trainCell(float[] x, int batch, int steps, float[] out, float[][] weights, float[][] states, Saved saved,
                   TrainContext ctx) {
        SimpleRnnTape tape = new SimpleRnnTape(batch, steps, inputSize, units);
        RecurrentDropout drop = dropoutMasks(batch, 1, ctx);
        SimpleRnnKernel.forwardTrain(x, batch, steps, inputSize, units, weights[0], weights[1],
                bias == null ? null : weights[2], activation, states == null ? null : states[0], out, returnSequences(),
                drop, tape);
        if (drop != null) {
            saved.putObject("dropout", drop);
        }
        if (states != null) {
            tape.copyFinalState(states[0]);
        }
        saved.putObject("tape", tape);
    }

    @Override
    void backwardCell(float[] dOut, int batch, int steps, float[][] weights, float[][] grads, Saved saved,
                      float[] dx) {
        SimpleRnnKernel.backward(dOut, batch, steps, inputSize, units, weights[0], weights[1], activation,
                returnSequences(), savedDropout(saved), saved.getObject("tape", SimpleRnnTape.class), grads[0],
                grads[1],
                bias == null ? null : grads[2], dx);
    }

    @Override
    public Layer withWeights(List<Tensor> weights) {
        WeightShapes.requireCount(this, weights, bias == null ? 2 : 3);
        return new SimpleRnn(name(), units, weights.get(0), weights.get(1), bias == null ? null : weights.get(2),
                activation, options());
    }

    @Override
    public List<WeightSpec> weightSpecs() {
        List<WeightSpec> list = new ArrayList<>(3);
        list.add(new WeightSpec("kernel", new int[] {inputSize, units}));
        list.add(new WeightSpec("recurrent_kernel", new int[] {units, units}));
        if (bias != null) {
            list.add(new WeightSpec("bias", new int[] {units}));
        }
        return list;
    }

    @Override
    public List<Weight> weights() {
        List<Weight> list = new ArrayList<>(3);
        list.add(new Weight("kernel", packed != null ? Tensor.wrap(packed.kernel(), inputSize, units)
                : Tensor.of(kernel, inputSize, units)));
        list.add(new Weight("recurrent_kernel", packed != null ? Tensor.wrap(packed.recurrentKernel(), units, units)
                : Tensor.of(recurrentKernel, units, units)));
        if (bias != null) {
            list.add(new Weight("bias", Tensor.of(bias, units)));
        }
        return list;
    }
}
