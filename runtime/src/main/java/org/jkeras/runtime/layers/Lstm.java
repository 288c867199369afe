package org.jkeras.runtime.layers;

import java.util.ArrayList;
import java.util.List;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.tensor.Activation;
import org.jkeras.runtime.kernels.Kernels;
import org.jkeras.runtime.kernels.LstmKernel;
import org.jkeras.runtime.kernels.LstmTape;
import org.jkeras.runtime.kernels.PackedLstm;
import org.jkeras.runtime.kernels.RecurrentDropout;
import org.jkeras.runtime.kernels.VectorLstm;

/**
 * Long short-term memory layer over inputs {@code [batch, time, features]}, with Keras's
 * gate order (i, f, c, o) and weight layout. {@link #apply} starts from zero states; a
 * {@link org.jkeras.runtime.session.Session} carries h and c between calls.
 *
 * <p>With the Vector API kernels the weights are also packed once here for {@link VectorLstm};
 * otherwise the scalar reference {@link LstmKernel} runs on the Keras-layout arrays.
 */
public final class Lstm extends RecurrentBase {
    // Keras-layout weights, held only on the scalar path: with the Vector API kernels the packed copy is the only
    // one (a large model is held once, not twice) and weights() unpacks it.
    private final float[] kernel;          // [in, 4*units], or null when packed
    private final float[] recurrentKernel; // [units, 4*units], or null when packed
    private final float[] bias;            // [4*units], or null when packed or without bias
    private final boolean useBias;
    private final Activation activation;
    private final Activation recurrentActivation;
    private final PackedLstm packed;       // null on the scalar path

    /**
     * An LSTM layer.
     *
     * @param kernel          input weights, shape [features, 4*units]
     * @param recurrentKernel recurrent weights, shape [units, 4*units]
     * @param bias            shape [4*units], or null for no bias
     * @param returnSequences output every step ([batch, time, units]) rather than the last ([batch, units])
     * @param name the layer's name, unique within its model
     * @param units the size of the hidden state (and of each output step)
     * @param activation the cell-input and output activation (Keras default: tanh)
     * @param recurrentActivation the gate activation (Keras default: sigmoid)
     * @throws IllegalArgumentException naming the layer when a weight has the wrong shape
     */
    public Lstm(String name, int units, Tensor kernel, Tensor recurrentKernel, Tensor bias,
                Activation activation, Activation recurrentActivation, boolean returnSequences) {
        this(name, units, kernel, recurrentKernel, bias, activation, recurrentActivation, returnSequences, false);
    }

    /**
     * An LSTM layer that may be {@code stateful} as Keras means it: in a Keras-semantics
     * {@link org.jkeras.runtime.session.Session} it keeps h and c from one call to the next.
     *
     * @param name the layer's name, unique within its model
     * @param units the size of the hidden state (and of each output step)
     * @param kernel input weights, shape [features, 4*units], gates i, f, c, o
     * @param recurrentKernel recurrent weights, shape [units, 4*units]
     * @param bias shape [4*units], or null for no bias
     * @param activation the cell-input and output activation (Keras default: tanh)
     * @param recurrentActivation the gate activation (Keras default: sigmoid)
     * @param returnSequences output every step ([batch, time, units]) rather than the last ([batch, units])
     * @param stateful Keras's {@code stateful}: a session carries the final state into the next call
     */
    public Lstm(String name, int units, Tensor kernel, Tensor recurrentKernel, Tensor bias,
                Activation activation, Activation recurrentActivation, boolean returnSequences, boolean stateful) {
        this(name, units, kernel, recurrentKernel, bias, activation, recurrentActivation, returnSequences, stateful,
                false);
    }

    /**
     * An LSTM layer that may also read the steps last to first ({@code goBackwards}, Keras's
     * {@code go_backwards}); its sequence output is then in processing order, as in Keras.
     *
     * @param name the layer's name, unique within its model
     * @param units the size of the hidden state (and of each output step)
     * @param kernel input weights, shape [features, 4*units], gates i, f, c, o
     * @param recurrentKernel recurrent weights, shape [units, 4*units]
     * @param bias shape [4*units], or null for no bias
     * @param activation the cell-input and output activation (Keras default: tanh)
     * @param recurrentActivation the gate activation (Keras default: sigmoid)
     * @param returnSequences output every step ([batch, time, units]) rather than the last ([batch, units])
     * @param stateful Keras's {@code stateful}: a session carries the final state into the next call
     * @param goBackwards Keras's {@code go_backwards}: read the steps last to first
     */
    public Lstm(String name, int units, Tensor kernel, Tensor recurrentKernel, Tensor bias,
                Activation activation, Activation recurrentActivation, boolean returnSequences, boolean stateful,
                boolean goBackwards) {
        this(name, units, kernel, recurrentKernel, bias, activation, recurrentActivation, returnSequences, stateful,
                goBackwards, 0, 0);
    }

    /**
     * An LSTM layer with Keras's training-time {@code dropout} and {@code recurrent_dropout} rates (inference
     * ignores them).
     *
     * @param name the layer's name, unique within its model
     * @param units the size of the hidden state (and of each output step)
     * @param kernel input weights, shape [features, 4*units], gates i, f, c, o
     * @param recurrentKernel recurrent weights, shape [units, 4*units]
     * @param bias shape [4*units], or null for no bias
     * @param activation the cell-input and output activation (Keras default: tanh)
     * @param recurrentActivation the gate activation (Keras default: sigmoid)
     * @param returnSequences output every step ([batch, time, units]) rather than the last ([batch, units])
     * @param stateful Keras's {@code stateful}: a session carries the final state into the next call
     * @param goBackwards Keras's {@code go_backwards}: read the steps last to first
     * @param dropout Keras's {@code dropout} rate on the inputs, used in training only
     * @param recurrentDropout Keras's {@code recurrent_dropout} rate on the state, used in training only
     */
    public Lstm(String name, int units, Tensor kernel, Tensor recurrentKernel, Tensor bias,
                Activation activation, Activation recurrentActivation, boolean returnSequences, boolean stateful,
                boolean goBackwards, double dropout, double recurrentDropout) {
        this(name, units, kernel, recurrentKernel, bias, activation, recurrentActivation,
                RecurrentOptions.sequences(returnSequences).withStateful(stateful).withGoBackwards(goBackwards)
                        .withDropout(dropout, recurrentDropout));
    }

    /**
     * An LSTM layer with every Keras recurrent flag ({@code return_state}, {@code zero_output_for_mask}, ...).
     *
     * @param name the layer's name, unique within its model
     * @param units the size of the hidden state (and of each output step)
     * @param kernel input weights, shape [features, 4*units], gates i, f, c, o
     * @param recurrentKernel recurrent weights, shape [units, 4*units]
     * @param bias shape [4*units], or null for no bias
     * @param activation the cell-input and output activation (Keras default: tanh)
     * @param recurrentActivation the gate activation (Keras default: sigmoid)
     * @param options Keras's recurrent flags (return_sequences, return_state, stateful, dropout, ...)
     */
    public Lstm(String name, int units, Tensor kernel, Tensor recurrentKernel, Tensor bias,
                Activation activation, Activation recurrentActivation, RecurrentOptions options) {
        super(name, "LSTM", units, kernel, options);
        WeightShapes.require(name, "kernel", kernel, inputSize, 4 * units);
        WeightShapes.require(name, "recurrent_kernel", recurrentKernel, units, 4 * units);
        if (bias != null) {
            WeightShapes.require(name, "bias", bias, 4 * units);
        }
        this.useBias = bias != null;
        this.activation = activation;
        this.recurrentActivation = recurrentActivation;
        if (Kernels.vectorized()) { // packing copies, so the given tensors are read, not kept
            this.packed = new PackedLstm(kernel.data(), recurrentKernel.data(), bias == null ? null : bias.data(),
                    inputSize, units, activation, recurrentActivation, Kernels.lanes());
            this.kernel = null;
            this.recurrentKernel = null;
            this.bias = null;
        } else {
            this.packed = null;
            this.kernel = kernel.toFloatArray();
            this.recurrentKernel = recurrentKernel.toFloatArray();
            this.bias = bias == null ? null : bias.toFloatArray();
        }
    }

    @Override
    public String kind() {
        return "LSTM";
    }

    /**
     * The cell-input and output activation.
     *
     * @return the activation of the cell input and of the cell state on output
     */
    public Activation activation() {
        return activation;
    }

    /**
     * The gate activation.
     *
     * @return the activation of the i, f and o gates
     */
    public Activation recurrentActivation() {
        return recurrentActivation;
    }

    @Override
    public int stateCount() {
        return 2;
    }

    @Override
    void runCell(float[] x, int batch, int steps, float[] out, float[][] states) {
        if (packed != null) { // null states: VectorLstm skips h·U at the first step
            VectorLstm.forward(packed, x, batch, steps, out, returnSequences(),
                    states == null ? null : states[0], states == null ? null : states[1]);
        } else {
            LstmKernel.forward(x, batch, steps, inputSize, units, kernel, recurrentKernel, bias, activation,
                    recurrentActivation, stateOrZero(states, 0, batch * units), stateOrZero(states, 1, batch * units),
                    out, returnSequences());
        }
    }

    /** The packed weights of the Vector API kernels, or null on the scalar path. */
    PackedLstm packed() {
        return packed;
    }

    @Override
    void trainCell(float[] x, int batch, int steps, float[] out, float[][] weights, float[][] states, Saved saved,
                   TrainContext ctx) {
        LstmTape tape = saved.recycle("tape", LstmTape.class); // the last step's tape, when its backward is done
        if (tape == null || !tape.fits(batch, steps, inputSize, units)) {
            tape = new LstmTape(batch, steps, inputSize, units);
        }
        RecurrentDropout drop = dropoutMasks(batch, 4, ctx);
        LstmKernel.forwardTrain(x, batch, steps, inputSize, units, weights[0], weights[1],
                useBias ? weights[2] : null, activation, recurrentActivation,
                states == null ? null : states[0], states == null ? null : states[1], out, returnSequences(), drop,
                tape, ctx.threads());
        saved.putObject("threads", ctx.threads());
        if (drop != null) {
            saved.putObject("dropout", drop);
        }
        if (states != null) {
            tape.copyFinalStates(states[0], states[1]);
        }
        saved.putReusable("tape", tape);
    }

    @Override
    void backwardCell(float[] dOut, int batch, int steps, float[][] weights, float[][] grads, Saved saved,
                      float[] dx) {
        LstmKernel.backward(dOut, batch, steps, inputSize, units, weights[0], weights[1], activation,
                recurrentActivation, returnSequences(), savedDropout(saved), saved.getObject("tape", LstmTape.class),
                grads[0], grads[1],
                useBias ? grads[2] : null, dx, saved.getObject("threads", Integer.class));
    }

    @Override
    public Layer withWeights(List<Tensor> weights) {
        WeightShapes.requireCount(this, weights, useBias ? 3 : 2);
        return new Lstm(name(), units, weights.get(0), weights.get(1), useBias ? weights.get(2) : null, activation,
                recurrentActivation, options());
    }

    @Override
    public List<WeightSpec> weightSpecs() {
        List<WeightSpec> list = new ArrayList<>(3);
        list.add(new WeightSpec("kernel", new int[] {inputSize, 4 * units}));
        list.add(new WeightSpec("recurrent_kernel", new int[] {units, 4 * units}));
        if (useBias) {
            list.add(new WeightSpec("bias", new int[] {4 * units}));
        }
        return list;
    }

    @Override
    public List<Weight> weights() {
        List<Weight> list = new ArrayList<>(3);
        if (packed != null) { // unpacked into fresh arrays: wrapping them shares nothing
            list.add(new Weight("kernel", Tensor.wrap(packed.kernel(), inputSize, 4 * units)));
            list.add(new Weight("recurrent_kernel", Tensor.wrap(packed.recurrentKernel(), units, 4 * units)));
            if (useBias) {
                list.add(new Weight("bias", Tensor.wrap(packed.bias(), 4 * units)));
            }
            return list;
        }
        list.add(new Weight("kernel", Tensor.of(kernel, inputSize, 4 * units)));
        list.add(new Weight("recurrent_kernel", Tensor.of(recurrentKernel, units, 4 * units)));
        if (useBias) {
            list.add(new Weight("bias", Tensor.of(bias, 4 * units)));
        }
        return list;
    }
}
