package org.jkeras.runtime.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.tensor.Activation;
import org.jkeras.runtime.kernels.GruKernel;
import org.jkeras.runtime.kernels.GruTape;
import org.jkeras.runtime.kernels.Kernels;
import org.jkeras.runtime.kernels.PackedGru;
import org.jkeras.runtime.kernels.RecurrentDropout;
import org.jkeras.runtime.kernels.VectorGru;

/**
 * Gated recurrent unit layer over inputs {@code [batch, time, features]}, with Keras's gate
 * order (z, r, h) and weight layout, in both of Keras's variants: {@code reset_after=True}
 * (Keras 3 and tf.keras 2 default; bias {@code [2, 3*units]}, input bias then recurrent bias)
 * and {@code reset_after=False} (Keras 1 and 2.0-2.2; bias {@code [3*units]}). See
 * {@link GruKernel} for the equations. Each call starts from a zero state.
 *
 * <p>With the Vector API kernels the weights are also packed once here for {@link VectorGru}; otherwise the
 * scalar reference {@link GruKernel} runs on the Keras-layout arrays.
 */
public final class Gru extends RecurrentBase {
    private final boolean resetAfter;
    // W and U in Keras's layout are held only on the scalar path: with the Vector API kernels the packed copy is
    // the only one (a large model is held once, not twice) and weights() unpacks it. The bias is kept as given:
    // packing sums parts of it.
    private final float[] kernel;          // [in, 3*units], or null when packed
    private final float[] recurrentKernel; // [units, 3*units], or null when packed
    private final float[] recurrentZr;     // scalar reset_after=False only: [units, 2*units], U_z and U_r
    private final float[] recurrentH;      // scalar reset_after=False only: [units, units], U_h
    private final float[] bias;            // [2, 3*units] or [3*units] as given, or null
    private final float[] inputBias;       // [3*units] or null
    private final float[] recurrentBias;   // reset_after=True only: [3*units] or null
    private final Activation activation;
    private final Activation recurrentActivation;
    private final PackedGru packed;        // null on the scalar path

    /**
     * A GRU layer.
     *
     * @param kernel          input weights, shape [features, 3*units]
     * @param recurrentKernel recurrent weights, shape [units, 3*units]
     * @param bias            shape [2, 3*units] when {@code resetAfter}, else [3*units]; or null for no bias
     * @param resetAfter      Keras's {@code reset_after}: apply the reset gate after the recurrent product
     * @param returnSequences output every step ([batch, time, units]) rather than the last ([batch, units])
     * @param name the layer's name, unique within its model
     * @param units the size of the hidden state (and of each output step)
     * @param activation the candidate activation (Keras default: tanh)
     * @param recurrentActivation the gate activation (Keras default: sigmoid)
     * @throws IllegalArgumentException naming the layer when a weight has the wrong shape
     */
    public Gru(String name, int units, Tensor kernel, Tensor recurrentKernel, Tensor bias, boolean resetAfter,
               Activation activation, Activation recurrentActivation, boolean returnSequences) {
        this(name, units, kernel, recurrentKernel, bias, resetAfter, activation, recurrentActivation, returnSequences,
                false);
    }

    /**
     * A GRU layer that may be {@code stateful} as Keras means it (a session carries its h between calls).
     *
     * @param name the layer's name, unique within its model
     * @param units the size of the hidden state (and of each output step)
     * @param kernel input weights, shape [features, 3*units], gates z, r, h
     * @param recurrentKernel recurrent weights, shape [units, 3*units]
     * @param bias shape [2, 3*units] when {@code resetAfter}, else [3*units]; or null for no bias
     * @param resetAfter Keras's {@code reset_after}: apply the reset gate after the recurrent product
     * @param activation the candidate activation (Keras default: tanh)
     * @param recurrentActivation the gate activation (Keras default: sigmoid)
     * @param returnSequences output every step ([batch, time, units]) rather than the last ([batch, units])
     * @param stateful Keras's {@code stateful}: a session carries the final state into the next call
     */
    public Gru(String name, int units, Tensor kernel, Tensor recurrentKernel, Tensor bias, boolean resetAfter,
               Activation activation, Activation recurrentActivation, boolean returnSequences, boolean stateful) {
        this(name, units, kernel, recurrentKernel, bias, resetAfter, activation, recurrentActivation, returnSequences,
                stateful, false);
    }

    /**
     * A GRU layer that may also read the steps last to first (Keras's {@code go_backwards}).
     *
     * @param name the layer's name, unique within its model
     * @param units the size of the hidden state (and of each output step)
     * @param kernel input weights, shape [features, 3*units], gates z, r, h
     * @param recurrentKernel recurrent weights, shape [units, 3*units]
     * @param bias shape [2, 3*units] when {@code resetAfter}, else [3*units]; or null for no bias
     * @param resetAfter Keras's {@code reset_after}: apply the reset gate after the recurrent product
     * @param activation the candidate activation (Keras default: tanh)
     * @param recurrentActivation the gate activation (Keras default: sigmoid)
     * @param returnSequences output every step ([batch, time, units]) rather than the last ([batch, units])
     * @param stateful Keras's {@code stateful}: a session carries the final state into the next call
     * @param goBackwards Keras's {@code go_backwards}: read the steps last to first
     */
    public Gru(String name, int units, Tensor kernel, Tensor recurrentKernel, Tensor bias, boolean resetAfter,
               Activation activation, Activation recurrentActivation, boolean returnSequences, boolean stateful,
               boolean goBackwards) {
        this(name, units, kernel, recurrentKernel, bias, resetAfter, activation, recurrentActivation, returnSequences,
                stateful, goBackwards, 0, 0);
    }

    /**
     * A GRU layer with Keras's training-time {@code dropout} and {@code recurrent_dropout} rates.
     *
     * @param name the layer's name, unique within its model
     * @param units the size of the hidden state (and of each output step)
     * @param kernel input weights, shape [features, 3*units], gates z, r, h
     * @param recurrentKernel recurrent weights, shape [units, 3*units]
     * @param bias shape [2, 3*units] when {@code resetAfter}, else [3*units]; or null for no bias
     * @param resetAfter Keras's {@code reset_after}: apply the reset gate after the recurrent product
     * @param activation the candidate activation (Keras default: tanh)
     * @param recurrentActivation the gate activation (Keras default: sigmoid)
     * @param returnSequences output every step ([batch, time, units]) rather than the last ([batch, units])
     * @param stateful Keras's {@code stateful}: a session carries the final state into the next call
     * @param goBackwards Keras's {@code go_backwards}: read the steps last to first
     * @param dropout Keras's {@code dropout} rate on the inputs, used in training only
     * @param recurrentDropout Keras's {@code recurrent_dropout} rate on the state, used in training only
     */
    public Gru(String name, int units, Tensor kernel, Tensor recurrentKernel, Tensor bias, boolean resetAfter,
               Activation activation, Activation recurrentActivation, boolean returnSequences, boolean stateful,
               boolean goBackwards, double dropout, double recurrentDropout) {
        this(name, units, kernel, recurrentKernel, bias, resetAfter, activation, recurrentActivation,
                RecurrentOptions.sequences(returnSequences).withStateful(stateful).withGoBackwards(goBackwards)
                        .withDropout(dropout, recurrentDropout));
    }

    /**
     * A GRU layer with every Keras recurrent flag ({@code return_state}, {@code zero_output_for_mask}, ...).
     *
     * @param name the layer's name, unique within its model
     * @param units the size of the hidden state (and of each output step)
     * @param kernel input weights, shape [features, 3*units], gates z, r, h
     * @param recurrentKernel recurrent weights, shape [units, 3*units]
     * @param bias shape [2, 3*units] when {@code resetAfter}, else [3*units]; or null for no bias
     * @param resetAfter Keras's {@code reset_after}: apply the reset gate after the recurrent product
     * @param activation the candidate activation (Keras default: tanh)
     * @param recurrentActivation the gate activation (Keras default: sigmoid)
     * @param options Keras's recurrent flags (return_sequences, return_state, stateful, dropout, ...)
     */
    public Gru(String name, int units, Tensor kernel, Tensor recurrentKernel, Tensor bias, boolean resetAfter,
               Activation activation, Activation recurrentActivation, RecurrentOptions options) {
        super(name, "GRU", units, kernel, options);
        this.resetAfter = resetAfter;
        int gates = Math.multiplyExact(3, units);
        WeightShapes.require(name, "kernel", kernel, inputSize, gates);
        WeightShapes.require(name, "recurrent_kernel", recurrentKernel, units, gates);
        if (bias != null) {
            if (resetAfter) {
                WeightShapes.require(name, "bias", bias, 2, gates);
            } else {
                WeightShapes.require(name, "bias", bias, gates);
            }
        }
        this.bias = bias == null ? null : bias.toFloatArray();
        if (Kernels.vectorized()) { // packing copies, so the given tensors are read, not kept
            this.packed = new PackedGru(kernel.data(), recurrentKernel.data(), this.bias, inputSize, units,
                    resetAfter, activation, recurrentActivation, Kernels.lanes());
            this.kernel = null;
            this.recurrentKernel = null;
        } else {
            this.packed = null;
            this.kernel = kernel.toFloatArray();
            this.recurrentKernel = recurrentKernel.toFloatArray();
        }
        if (resetAfter || packed != null) {
            this.recurrentZr = null;
            this.recurrentH = null;
        } else {
            // (r*h) multiplies only U_h, so U is split once here into its [z r] and [h] columns.
            this.recurrentZr = new float[units * 2 * units];
            this.recurrentH = new float[units * units];
            for (int r = 0; r < units; r++) {
                System.arraycopy(this.recurrentKernel, r * gates, recurrentZr, r * 2 * units, 2 * units);
                System.arraycopy(this.recurrentKernel, r * gates + 2 * units, recurrentH, r * units, units);
            }
        }
        if (resetAfter) {
            this.inputBias = this.bias == null ? null : Arrays.copyOfRange(this.bias, 0, gates);
            this.recurrentBias = this.bias == null ? null : Arrays.copyOfRange(this.bias, gates, 2 * gates);
        } else {
            this.inputBias = this.bias;
            this.recurrentBias = null;
        }
        this.activation = activation;
        this.recurrentActivation = recurrentActivation;
    }

    @Override
    public String kind() {
        return "GRU";
    }

    /**
     * True for Keras's {@code reset_after=True} variant.
     *
     * @return true for {@code reset_after=True} (bias [2, 3*units]), false for the Keras 1/2.0 variant
     */
    public boolean resetAfter() {
        return resetAfter;
    }

    /**
     * The candidate activation.
     *
     * @return the activation of the candidate state
     */
    public Activation activation() {
        return activation;
    }

    /**
     * The gate activation.
     *
     * @return the activation of the z and r gates
     */
    public Activation recurrentActivation() {
        return recurrentActivation;
    }

    /** The packed weights of the Vector API kernels, or null on the scalar path. */
    PackedGru packed() {
        return packed;
    }

    @Override
    public int stateCount() {
        return 1;
    }

    @Override
    void runCell(float[] x, int batch, int steps, float[] out, float[][] states) {
        if (packed != null) { // a null state: VectorGru skips h·U at the first step
            VectorGru.forward(packed, x, batch, steps, out, returnSequences(), states == null ? null : states[0]);
            return;
        }
        float[] h = stateOrZero(states, 0, batch * units);
        if (resetAfter) {
            GruKernel.forwardResetAfter(x, batch, steps, inputSize, units, kernel, recurrentKernel, inputBias,
                    recurrentBias, activation, recurrentActivation, h, out, returnSequences());
        } else {
            GruKernel.forwardResetBefore(x, batch, steps, inputSize, units, kernel, recurrentZr, recurrentH,
                    inputBias, activation, recurrentActivation, h, out, returnSequences());
        }
    }

    @Override
    void trainCell(float[] x, int batch, int steps, float[] out, float[][] weights, float[][] states, Saved saved,
                   TrainContext ctx) {
        GruTape tape = saved.recycle("tape", GruTape.class); // the last step's tape, when its backward is done
        if (tape == null || !tape.fits(batch, steps, inputSize, units)) {
            tape = new GruTape(batch, steps, inputSize, units);
        }
        RecurrentDropout drop = dropoutMasks(batch, 3, ctx);
        GruKernel.forwardTrain(x, batch, steps, inputSize, units, resetAfter, weights[0], weights[1],
                bias == null ? null : weights[2], activation, recurrentActivation,
                states == null ? null : states[0], out, returnSequences(), drop, tape, ctx.threads());
        saved.putObject("threads", ctx.threads());
        if (drop != null) {
            saved.putObject("dropout", drop);
        }
        if (states != null) {
            tape.copyFinalState(states[0]);
        }
        saved.putReusable("tape", tape);
    }

    @Override
    void backwardCell(float[] dOut, int batch, int steps, float[][] weights, float[][] grads, Saved saved,
                      float[] dx) {
        GruKernel.backward(dOut, batch, steps, inputSize, units, resetAfter, weights[0], weights[1], activation,
                recurrentActivation, returnSequences(), savedDropout(saved), saved.getObject("tape", GruTape.class),
                grads[0], grads[1],
                bias == null ? null : grads[2], dx, saved.getObject("threads", Integer.class));
    }

    @Override
    public Layer withWeights(List<Tensor> weights) {
        WeightShapes.requireCount(this, weights, bias == null ? 2 : 3);
        return new Gru(name(), units, weights.get(0), weights.get(1), bias == null ? null : weights.get(2), resetAfter,
                activation, recurrentActivation, options());
    }

    @Override
    public List<WeightSpec> weightSpecs() {
        List<WeightSpec> list = new ArrayList<>(3);
        list.add(new WeightSpec("kernel", new int[] {inputSize, 3 * units}));
        list.add(new WeightSpec("recurrent_kernel", new int[] {units, 3 * units}));
        if (bias != null) {
            list.add(new WeightSpec("bias", resetAfter ? new int[] {2, 3 * units} : new int[] {3 * units}));
        }
        return list;
    }

    @Override
    public List<Weight> weights() {
        List<Weight> list = new ArrayList<>(3);
        list.add(new Weight("kernel", packed != null ? Tensor.wrap(packed.kernel(), inputSize, 3 * units)
                : Tensor.of(kernel, inputSize, 3 * units)));
        list.add(new Weight("recurrent_kernel", packed != null ? Tensor.wrap(packed.recurrentKernel(), units, 3 * units)
                : Tensor.of(recurrentKernel, units, 3 * units)));
        if (bias != null) {
            list.add(new Weight("bias", resetAfter ? Tensor.of(bias, 2, 3 * units) : Tensor.of(bias, 3 * units)));
        }
        return list;
    }
}
