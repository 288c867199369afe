package org.jkeras.runtime.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jkeras.runtime.Shape;
import org.jkeras.runtime.Tensor;
import org.jkeras.runtime.kernels.Activation;
import org.jkeras.runtime.kernels.GruKernel;

/**
 * Gated recurrent unit layer over inputs {@code [batch, time, features]}, with Keras's gate
 * order (z, r, h) and weight layout, in both of Keras's variants: {@code reset_after=True}
 * (Keras 3 and tf.keras 2 default; bias {@code [2, 3*units]}, input bias then recurrent bias)
 * and {@code reset_after=False} (Keras 1 and 2.0-2.2; bias {@code [3*units]}). See
 * {@link GruKernel} for the equations. Each call starts from a zero state.
 */
public final class Gru extends SingleInputLayer implements RecurrentLayer {
    private final int units;
    private final int inputSize;
    private final boolean resetAfter;
    private final float[] kernel;          // [in, 3*units]
    private final float[] recurrentKernel; // [units, 3*units], as given (for weights())
    private final float[] recurrentZr;     // reset_after=False only: [units, 2*units], U_z and U_r
    private final float[] recurrentH;      // reset_after=False only: [units, units], U_h
    private final float[] bias;            // [2, 3*units] or [3*units] as given, or null
    private final float[] inputBias;       // [3*units] or null
    private final float[] recurrentBias;   // reset_after=True only: [3*units] or null
    private final Activation activation;
    private final Activation recurrentActivation;
    private final boolean returnSequences;
    private final boolean stateful;
    private final boolean goBackwards;

    /**
     * A GRU layer.
     *
     * @param kernel          input weights, shape [features, 3*units]
     * @param recurrentKernel recurrent weights, shape [units, 3*units]
     * @param bias            shape [2, 3*units] when {@code resetAfter}, else [3*units]; or null for no bias
     * @param resetAfter      Keras's {@code reset_after}: apply the reset gate after the recurrent product
     * @param returnSequences output every step ([batch, time, units]) rather than the last ([batch, units])
     * @throws IllegalArgumentException naming the layer when a weight has the wrong shape
     */
    public Gru(String name, int units, Tensor kernel, Tensor recurrentKernel, Tensor bias, boolean resetAfter,
               Activation activation, Activation recurrentActivation, boolean returnSequences) {
        this(name, units, kernel, recurrentKernel, bias, resetAfter, activation, recurrentActivation, returnSequences,
                false);
    }

    /** A GRU layer that may be {@code stateful} as Keras means it (a session carries its h between calls). */
    public Gru(String name, int units, Tensor kernel, Tensor recurrentKernel, Tensor bias, boolean resetAfter,
               Activation activation, Activation recurrentActivation, boolean returnSequences, boolean stateful) {
        this(name, units, kernel, recurrentKernel, bias, resetAfter, activation, recurrentActivation, returnSequences,
                stateful, false);
    }

    /** A GRU layer that may also read the steps last to first (Keras's {@code go_backwards}). */
    public Gru(String name, int units, Tensor kernel, Tensor recurrentKernel, Tensor bias, boolean resetAfter,
               Activation activation, Activation recurrentActivation, boolean returnSequences, boolean stateful,
               boolean goBackwards) {
        super(name);
        this.stateful = stateful;
        this.goBackwards = goBackwards;
        if (units <= 0) {
            throw new IllegalArgumentException("layer '" + name + "' (GRU): units must be positive, got " + units);
        }
        this.units = units;
        this.inputSize = kernel.rank() == 2 ? kernel.dim(0) : -1;
        this.resetAfter = resetAfter;
        int gates = Math.multiplyExact(3, units);
        Lstm.requireShape(name, "kernel", kernel, inputSize, gates);
        Lstm.requireShape(name, "recurrent_kernel", recurrentKernel, units, gates);
        if (bias != null) {
            if (resetAfter) {
                Lstm.requireShape(name, "bias", bias, 2, gates);
            } else {
                Lstm.requireShape(name, "bias", bias, gates);
            }
        }
        this.kernel = kernel.toFloatArray();
        this.recurrentKernel = recurrentKernel.toFloatArray();
        this.bias = bias == null ? null : bias.toFloatArray();
        if (resetAfter) {
            this.recurrentZr = null;
            this.recurrentH = null;
            this.inputBias = this.bias == null ? null : Arrays.copyOfRange(this.bias, 0, gates);
            this.recurrentBias = this.bias == null ? null : Arrays.copyOfRange(this.bias, gates, 2 * gates);
        } else {
            // (r*h) multiplies only U_h, so U is split once here into its [z r] and [h] columns.
            this.recurrentZr = new float[units * 2 * units];
            this.recurrentH = new float[units * units];
            for (int r = 0; r < units; r++) {
                System.arraycopy(this.recurrentKernel, r * gates, recurrentZr, r * 2 * units, 2 * units);
                System.arraycopy(this.recurrentKernel, r * gates + 2 * units, recurrentH, r * units, units);
            }
            this.inputBias = this.bias;
            this.recurrentBias = null;
        }
        this.activation = activation;
        this.recurrentActivation = recurrentActivation;
        this.returnSequences = returnSequences;
    }

    @Override
    public String kind() {
        return "GRU";
    }

    /** Number of units (size of h). */
    public int units() {
        return units;
    }

    /** True for Keras's {@code reset_after=True} variant. */
    public boolean resetAfter() {
        return resetAfter;
    }

    /** True when every step's output is returned. */
    @Override
    public boolean returnSequences() {
        return returnSequences;
    }

    /** The candidate activation. */
    public Activation activation() {
        return activation;
    }

    /** The gate activation. */
    public Activation recurrentActivation() {
        return recurrentActivation;
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
        if (resetAfter) {
            GruKernel.forwardResetAfter(input.data(), batch, steps, inputSize, units, kernel, recurrentKernel,
                    inputBias, recurrentBias, activation, recurrentActivation, h, out, returnSequences);
        } else {
            GruKernel.forwardResetBefore(input.data(), batch, steps, inputSize, units, kernel, recurrentZr,
                    recurrentH, inputBias, activation, recurrentActivation, h, out, returnSequences);
        }
        return returnSequences ? Tensor.wrap(out, batch, steps, units) : Tensor.wrap(out, batch, units);
    }

    @Override
    public List<Weight> weights() {
        List<Weight> list = new ArrayList<>(3);
        list.add(new Weight("kernel", Tensor.of(kernel, inputSize, 3 * units)));
        list.add(new Weight("recurrent_kernel", Tensor.of(recurrentKernel, units, 3 * units)));
        if (bias != null) {
            list.add(new Weight("bias", resetAfter ? Tensor.of(bias, 2, 3 * units) : Tensor.of(bias, 3 * units)));
        }
        return list;
    }
}
