package org.jkeras.runtime.layers;

import java.util.Arrays;
import java.util.List;
import org.jkeras.runtime.tensor.InputMismatchException;
import org.jkeras.runtime.tensor.Mask;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;

/**
 * Keras {@code Embedding}: every input value is a row index into the table {@code [input_dim, output_dim]};
 * an input of any rank {@code [batch, ...]} gives {@code [batch, ..., output_dim]}. Indices arrive as float32
 * (jkeras tensors are float), which holds every integer up to 2^24 exactly, hence {@link #MAX_INPUT_DIM}.
 * A value that is not an integer in {@code [0, input_dim)} is refused, as Keras on CPU refuses it, rather than
 * rounded or clamped into a silently wrong row.
 */
public final class Embedding extends SingleInputLayer implements RowGather {
    /** Largest vocabulary: float32 represents every integer index below 2^24 exactly. */
    public static final int MAX_INPUT_DIM = 1 << 24;
    /** Largest table, in elements. */
    public static final long MAX_TABLE_ELEMENTS = Integer.MAX_VALUE - 64;

    private final int inputDim;
    private final int outputDim;
    private final float[] table; // [input_dim, output_dim], row i is the vector of index i
    private final boolean maskZero;

    /**
     * An embedding lookup.
     *
     * @param table shape [input_dim, output_dim]
     * @param name the layer's name, unique within its model
     * @throws IllegalArgumentException naming the layer when the table is not rank 2, empty, or too large
     */
    public Embedding(String name, Tensor table) {
        this(name, table, false);
    }

    /**
     * An embedding lookup that, with {@code maskZero} (Keras's {@code mask_zero=True}), marks index 0 as padding:
     * its output carries the mask {@code indices != 0}, shaped like the input (e.g. {@code [batch, time]}).
     *
     * @param name the layer's name, unique within its model
     * @param table shape [input_dim, output_dim]
     * @param maskZero Keras's {@code mask_zero}: index 0 marks padding
     */
    public Embedding(String name, Tensor table, boolean maskZero) {
        super(name);
        this.maskZero = maskZero;
        if (table.rank() != 2) {
            throw new IllegalArgumentException("layer '" + name + "' (Embedding): weight 'embeddings' has shape "
                    + Shape.format(table.shape()) + ", expected rank 2 [input_dim, output_dim]");
        }
        this.inputDim = table.dim(0);
        this.outputDim = table.dim(1);
        if (inputDim < 1 || outputDim < 1 || inputDim > MAX_INPUT_DIM
                || (long) inputDim * outputDim > MAX_TABLE_ELEMENTS) {
            throw new IllegalArgumentException("layer '" + name + "' (Embedding): table " + Shape.format(table.shape())
                    + " is out of bounds: input_dim must be in [1, " + MAX_INPUT_DIM + "], output_dim >= 1, at most "
                    + MAX_TABLE_ELEMENTS + " elements");
        }
        this.table = table.toFloatArray();
    }

    @Override
    public String kind() {
        return "Embedding";
    }

    /** Its input holds token indices. */
    @Override
    public boolean readsIndices() {
        return true;
    }

    /**
     * Vocabulary size: valid indices are {@code 0 .. inputDim-1}.
     *
     * @return the number of table rows
     */
    public int inputDim() {
        return inputDim;
    }

    /**
     * Length of each embedding vector.
     *
     * @return the last dimension of the output
     */
    public int outputDim() {
        return outputDim;
    }

    @Override
    public Shape outputShape(Shape input) {
        if (input.rank() < 1) {
            throw new IllegalArgumentException(describe() + " expects input of rank >= 1 [batch, ...], got " + input);
        }
        int[] dims = Arrays.copyOf(input.dims(), input.rank() + 1);
        dims[input.rank()] = outputDim;
        return Shape.of(dims);
    }

    @Override
    public Tensor apply(Tensor input) {
        return lookup(input, table);
    }

    private Tensor lookup(Tensor input, float[] table) {
        float[] x = input.data();
        int n = input.size();
        float[] out = new float[Math.multiplyExact(n, outputDim)]; // [n, output_dim]
        for (int i = 0; i < n; i++) {
            float v = x[i];
            int row = (int) v;
            if (row != v || row < 0 || row >= inputDim) { // also catches NaN (NaN != any int)
                throw badIndex(input, i, v);
            }
            System.arraycopy(table, row * outputDim, out, i * outputDim, outputDim);
        }
        int[] shape = Arrays.copyOf(input.shape(), input.rank() + 1);
        shape[input.rank()] = outputDim;
        return Tensor.wrap(out, shape);
    }

    @Override
    public Tensor applyTrain(Tensor input, float[][] weights, Saved saved, TrainContext ctx) {
        Tensor y = lookup(input, weights[0]);
        saved.putObject("input", input);
        return y;
    }

    /** The table's gradient gets each output row's gradient at the row it was read from; indices get none. */
    @Override
    public Tensor backpropagate(Tensor outputGrad, float[][] weights, float[][] grads, Saved saved,
                                boolean needInputGrad) {
        float[] x = saved.getObject("input", Tensor.class).data();
        float[] dy = outputGrad.data(); // dy: [n, output_dim]
        float[] dTable = grads[0];      // dTable: [input_dim, output_dim]
        for (int i = 0; i < x.length; i++) {
            int row = (int) x[i] * outputDim;
            int o = i * outputDim;
            for (int j = 0; j < outputDim; j++) {
                dTable[row + j] += dy[o + j];
            }
        }
        return null;
    }

    @Override
    public int[] gatheredRows(Saved saved) {
        float[] x = saved.getObject("input", Tensor.class).data();
        int[] rows = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            rows[i] = (int) x[i]; // checked to be valid indices by the forward pass
        }
        return rows;
    }

    /**
     * True when index 0 marks padding (Keras's {@code mask_zero}).
     *
     * @return true when the output carries the mask {@code indices != 0}
     */
    public boolean maskZero() {
        return maskZero;
    }

    /** Keras's Embedding.compute_mask: {@code indices != 0} under {@code mask_zero}, else no mask. */
    @Override
    public List<Boolean> outputsMasked(List<Boolean> inputsMasked, int outputCount) {
        return List.of(maskZero);
    }

    @Override
    public List<Mask> outputMasks(List<Tensor> inputs, List<Mask> masks) {
        if (!maskZero) {
            return null;
        }
        float[] x = inputs.get(0).data();
        boolean[] m = new boolean[x.length];
        for (int i = 0; i < x.length; i++) {
            m[i] = x[i] != 0f;
        }
        return List.of(Mask.wrap(m, inputs.get(0).shape()));
    }

    @Override
    public int rowWidth() {
        return outputDim;
    }

    @Override
    public Layer withWeights(List<Tensor> weights) {
        WeightShapes.requireCount(this, weights, 1);
        WeightShapes.require(name(), "embeddings", weights.get(0), inputDim, outputDim);
        return new Embedding(name(), weights.get(0), maskZero);
    }

    private InputMismatchException badIndex(Tensor input, int flat, float v) {
        int[] shape = input.shape();
        int[] pos = new int[shape.length];
        for (int d = shape.length - 1, rest = flat; d >= 0; d--) {
            pos[d] = rest % shape[d];
            rest /= shape[d];
        }
        String value = v == Math.rint(v) && Math.abs(v) < 1e9f ? String.valueOf((long) v) : String.valueOf(v);
        return new InputMismatchException(describe() + ": input value " + value + " at position "
                + Arrays.toString(pos) + " is not a valid index: expected an integer in [0, " + inputDim + ")");
    }

    @Override
    public List<Weight> weights() {
        return List.of(new Weight("embeddings", Tensor.of(table, inputDim, outputDim)));
    }
}
