package org.jkeras.runtime.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jkeras.runtime.tensor.Mask;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;

/**
 * Keras {@code RNN(StackedRNNCells([...]))}: one recurrent layer whose step runs its cells in order, each on the
 * previous cell's output. It computes what a stack of forward recurrent layers computes, with the layer's options
 * applied to the whole stack as Keras does (not to each cell): {@code go_backwards} reverses the sequence (and its
 * mask) once, before the first cell; every cell sees the same mask (a masked step keeps the states of all cells);
 * {@code zero_output_for_mask} and {@code return_sequences} decide the last cell's output; {@code return_state}
 * returns every cell's final states in cell order, flattened ({@code h, c} for an LSTM cell). A stateful stack
 * carries all cells' states as one state array per sample, packed in the same order. Calls with
 * {@code initial_state} are refused.
 *
 * <p>The cells are full-sequence recurrent layers built forwards, with {@code return_sequences} (the last one:
 * the stack's), not stateful, without {@code return_state}.
 */
public final class StackedRnn implements RecurrentLayer {
    private final String name;
    private final List<RecurrentBase> cells;
    private final boolean returnSequences;
    private final boolean returnState;
    private final boolean stateful;
    private final boolean goBackwards;
    private final int packedSize;

    /**
     * A stack of cells.
     *
     * @param name            the RNN layer's name
     * @param cells           the cells in order (see the class comment for how they must be built)
     * @param returnState     Keras's {@code return_state}
     * @param stateful        Keras's {@code stateful}
     * @param goBackwards     Keras's {@code go_backwards}
     * @throws IllegalArgumentException naming the layer when the cells do not chain
     */
    public StackedRnn(String name, List<RecurrentBase> cells, boolean returnState, boolean stateful,
                      boolean goBackwards) {
        this.name = name;
        this.cells = List.copyOf(cells);
        if (this.cells.isEmpty()) {
            throw new IllegalArgumentException(describe() + ": StackedRNNCells needs at least one cell");
        }
        int size = 0;
        for (int i = 0; i < this.cells.size(); i++) {
            RecurrentBase c = this.cells.get(i);
            boolean last = i == this.cells.size() - 1;
            if (c.goBackwards() || c.stateful() || c.returnState() || (!last && !c.returnSequences())) {
                throw new IllegalArgumentException(describe() + ": cell '" + c.name() + "' must be built forwards,"
                        + " not stateful, without return_state" + (last ? "" : ", with return_sequences"));
            }
            if (i > 0 && c.inputSize >= 0 && c.inputSize != this.cells.get(i - 1).units()) {
                throw new IllegalArgumentException(describe() + ": cell '" + c.name() + "' expects " + c.inputSize
                        + " input features but the cell before it has " + this.cells.get(i - 1).units() + " units");
            }
            size = Math.addExact(size, Math.multiplyExact(c.stateCount(), c.units()));
        }
        this.packedSize = size;
        this.returnSequences = this.cells.get(this.cells.size() - 1).returnSequences();
        this.returnState = returnState;
        this.stateful = stateful;
        this.goBackwards = goBackwards;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String kind() {
        return "RNN";
    }

    /**
     * The cells, in order.
     *
     * @return the cells, first to last
     */
    public List<RecurrentBase> cells() {
        return cells;
    }

    /**
     * True when the final states of every cell follow the output.
     *
     * @return Keras's {@code return_state}
     */
    public boolean returnState() {
        return returnState;
    }

    @Override
    public boolean stateful() {
        return stateful;
    }

    /** One packed state array per sample: every cell's states in order (see the class comment). */
    @Override
    public int stateCount() {
        return 1;
    }

    @Override
    public int stateSize() {
        return packedSize;
    }

    @Override
    public boolean goBackwards() {
        return goBackwards;
    }

    @Override
    public boolean returnSequences() {
        return returnSequences;
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputShapes) {
        if (inputShapes.size() != 1) {
            throw new IllegalArgumentException(describe() + ": initial_state for an RNN over StackedRNNCells is not"
                    + " supported");
        }
        Shape s = inputShapes.get(0);
        List<Shape> out = new ArrayList<>();
        for (RecurrentBase c : cells) {
            s = c.outputShapes(List.of(s)).get(0);
        }
        out.add(s);
        if (returnState) {
            int batch = inputShapes.get(0).dim(0);
            for (RecurrentBase c : cells) {
                for (int k = 0; k < c.stateCount(); k++) {
                    out.add(Shape.of(batch, c.units()));
                }
            }
        }
        return out;
    }

    @Override
    public List<Tensor> forward(List<Tensor> inputs) {
        return forwardWithState(inputs, CallContext.NONE, null, false);
    }

    @Override
    public List<Tensor> forward(List<Tensor> inputs, CallContext ctx) {
        return forwardWithState(inputs, ctx, null, false);
    }

    @Override
    public Tensor applyWithState(Tensor input, float[][] states) {
        return forwardWithState(List.of(input), CallContext.NONE, states, false).get(0);
    }

    @Override
    public List<Tensor> forwardWithState(List<Tensor> inputs, CallContext ctx, float[][] carried,
                                         boolean continuation) {
        if (inputs.size() != 1) {
            throw new IllegalArgumentException(describe() + ": initial_state for an RNN over StackedRNNCells is not"
                    + " supported");
        }
        Tensor x = inputs.get(0);
        int batch = x.dim(0);
        if (carried != null && (carried.length != 1 || carried[0] == null
                || carried[0].length != (long) batch * packedSize)) {
            throw new IllegalArgumentException(describe() + " needs 1 state array of " + (long) batch * packedSize
                    + " values (batch " + batch + " x " + packedSize + ")");
        }
        Mask mask = ctx.mask(0);
        if (goBackwards) {
            x = TimeAxis.reversed(x);
            mask = mask == null ? null : mask.reversedTime();
        }
        CallContext cellCtx = CallContext.inference(Collections.singletonList(mask));
        List<float[][]> states = new ArrayList<>(cells.size());
        int offset = 0;
        for (RecurrentBase c : cells) {
            float[][] s = new float[c.stateCount()][Math.multiplyExact(batch, c.units())];
            if (carried != null) {
                unpack(carried[0], offset, c.units(), s, batch);
            }
            states.add(s);
            offset += c.stateCount() * c.units();
        }
        Tensor y = x;
        for (int i = 0; i < cells.size(); i++) {
            y = cells.get(i).forwardWithState(List.of(y), cellCtx, states.get(i), continuation).get(0);
        }
        if (carried != null) {
            offset = 0;
            for (int i = 0; i < cells.size(); i++) {
                RecurrentBase c = cells.get(i);
                pack(states.get(i), carried[0], offset, c.units(), batch);
                offset += c.stateCount() * c.units();
            }
        }
        List<Tensor> out = new ArrayList<>();
        out.add(y);
        if (returnState) {
            for (int i = 0; i < cells.size(); i++) {
                for (float[] s : states.get(i)) {
                    out.add(Tensor.of(s, batch, cells.get(i).units()));
                }
            }
        }
        return out;
    }

    // packed row b: [cell 0 state 0 (units), cell 0 state 1, ..., cell 1 state 0, ...]
    private void unpack(float[] packed, int offset, int units, float[][] s, int batch) {
        for (int b = 0; b < batch; b++) {
            for (int k = 0; k < s.length; k++) {
                System.arraycopy(packed, b * packedSize + offset + k * units, s[k], b * units, units);
            }
        }
    }

    private void pack(float[][] s, float[] packed, int offset, int units, int batch) {
        for (int b = 0; b < batch; b++) {
            for (int k = 0; k < s.length; k++) {
                System.arraycopy(s[k], b * units, packed, b * packedSize + offset + k * units, units);
            }
        }
    }

    /** Keras's RNN.compute_mask: the input's mask on a sequence output, none on the last output or the states. */
    @Override
    public List<Boolean> outputsMasked(List<Boolean> inputsMasked, int outputCount) {
        List<Boolean> out = new ArrayList<>(Collections.nCopies(outputCount, false));
        out.set(0, returnSequences && inputsMasked.get(0));
        return out;
    }

    @Override
    public List<Mask> outputMasks(List<Tensor> inputs, List<Mask> masks) {
        if (!returnSequences || masks.get(0) == null) {
            return null;
        }
        int n = 1;
        if (returnState) {
            for (RecurrentBase c : cells) {
                n += c.stateCount();
            }
        }
        List<Mask> out = new ArrayList<>(Collections.nCopies(n, null));
        out.set(0, masks.get(0));
        return out;
    }

    /** Every cell's weights in cell order, named {@code <cell name>/<weight>}. */
    @Override
    public List<Weight> weights() {
        List<Weight> list = new ArrayList<>();
        for (RecurrentBase c : cells) {
            for (Weight w : c.weights()) {
                list.add(new Weight(c.name() + "/" + w.name(), w.value()));
            }
        }
        return list;
    }

    @Override
    public List<WeightSpec> weightSpecs() {
        List<WeightSpec> list = new ArrayList<>();
        for (RecurrentBase c : cells) {
            for (WeightSpec w : c.weightSpecs()) {
                list.add(new WeightSpec(c.name() + "/" + w.name(), w.shape()));
            }
        }
        return list;
    }

    private String describe() {
        return "layer '" + name + "' (RNN over StackedRNNCells)";
    }

    @Override
    public String toString() {
        return describe();
    }
}
