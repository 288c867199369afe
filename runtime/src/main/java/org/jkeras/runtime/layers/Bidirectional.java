package org.jkeras.runtime.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jkeras.runtime.kernels.PairRun;
import org.jkeras.runtime.tensor.Mask;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;

/**
 * Keras {@code Bidirectional}: a forward recurrent layer and a backward one (the same kind of
 * layer reading the steps last to first) over the same input, their outputs merged. With
 * {@code return_sequences} the backward output is flipped back to input order first, so step t
 * of both halves belongs to input step t. {@link Merge#NONE} keeps the two outputs apart
 * (forward, backward), making this a two-output layer. Each call starts from zero state, or from initial
 * states given as extra inputs (Keras's {@code initial_state}: the forward layer's states, then the backward
 * layer's). When the halves have {@code return_state}, the final states follow the output(s): the forward
 * layer's, then the backward layer's, as Keras returns them.
 *
 * <p>Stateful (Keras's {@code stateful=True} on the wrapped layer, which both halves share): a Keras-semantics
 * session carries both halves' states between calls, the forward layer's then the backward layer's, as Keras 3 and
 * tf.keras 2 do: each half is a stateful RNN that starts a call from the states its previous call left, so the
 * backward half starts at the call's last step from the state it reached at the previous call's first step. The
 * backward half cannot be fed step by step ({@code Session.streaming} refuses the layer).
 */
public final class Bidirectional implements Differentiable, RecurrentLayer {
    /** How the two directions are combined (Keras's {@code merge_mode}). */
    public enum Merge {
        /** Forward then backward along the last axis ({@code 'concat'}, Keras's default). */
        CONCAT,
        /** Element-wise sum ({@code 'sum'}). */
        SUM,
        /** Element-wise mean, {@code (f + b) / 2} ({@code 'ave'}). */
        AVE,
        /** Element-wise product ({@code 'mul'}). */
        MUL,
        /** No merge: two outputs, forward then backward ({@code None}). */
        NONE
    }

    private final String name;
    private final RecurrentLayer forward;
    private final RecurrentLayer backward;
    private final Merge merge;
    /** The forward layer's weights, counted once: a call's work per direction is this per row and step. */
    private final long directionParameters;

    /**
     * Wraps two recurrent layers built for the same input.
     *
     * @param forward  the layer Keras calls {@code forward_layer}
     * @param backward the layer Keras calls {@code backward_layer}; must read time in the other direction
     * @param name the layer's name, unique within its model
     * @param merge how the two directions' outputs are combined (Keras's {@code merge_mode})
     * @throws IllegalArgumentException naming the layer when the two do not form a pair Keras accepts,
     *                                  or when they disagree on {@code stateful}, or a stateful pair's halves
     *                                  have different units (their states could not share one layout)
     */
    public Bidirectional(String name, RecurrentLayer forward, RecurrentLayer backward, Merge merge) {
        this.name = name;
        this.forward = forward;
        this.backward = backward;
        this.directionParameters = forward.parameterCount();
        this.merge = merge;
        if (forward.goBackwards() == backward.goBackwards()) {
            throw new IllegalArgumentException(describe() + ": the forward and backward layers must read time in"
                    + " opposite directions (go_backwards " + forward.goBackwards() + " for both)");
        }
        if (returnState(forward) != returnState(backward)) {
            throw new IllegalArgumentException(describe() + ": the forward and backward layers must agree on"
                    + " return_state");
        }
        if (forward.returnSequences() != backward.returnSequences()) {
            throw new IllegalArgumentException(describe() + ": the forward and backward layers must agree on"
                    + " return_sequences");
        }
        if (forward.stateful() != backward.stateful()) {
            throw new IllegalArgumentException(describe() + ": the forward and backward layers must agree on"
                    + " stateful");
        }
        if (forward.stateful() && forward.stateSize() != backward.stateSize()) {
            throw new IllegalArgumentException(describe() + ": a stateful Bidirectional layer whose halves have"
                    + " different units (forward " + forward.stateSize() + ", backward " + backward.stateSize()
                    + ") is not supported");
        }
    }

    /** True when Keras declared the wrapped layer {@code stateful}: both halves keep their states between calls. */
    @Override
    public boolean stateful() {
        return forward.stateful();
    }

    /** The forward layer's states, then the backward layer's. */
    @Override
    public int stateCount() {
        return forward.stateCount() + backward.stateCount();
    }

    /** The units of the halves (equal for a stateful pair; the forward layer's otherwise). */
    @Override
    public int stateSize() {
        return forward.stateSize();
    }

    /** The first output (the merged one, or the forward one when unmerged) of a call from carried states. */
    @Override
    public Tensor applyWithState(Tensor input, float[][] states) {
        return forwardWithState(List.of(input), CallContext.NONE, states, false).get(0);
    }

    /**
     * A call from carried states: {@code states} holds the forward layer's states then the backward layer's, each
     * half runs from its own and leaves its final states there (Keras's stateful halves). A call never continues a
     * sequence for the backward half, which reads the call's steps last to first.
     */
    @Override
    public List<Tensor> forwardWithState(List<Tensor> inputs, CallContext ctx, float[][] states,
                                         boolean continuation) {
        if (states == null) {
            return forward(inputs, ctx);
        }
        if (states.length != stateCount()) {
            throw new IllegalArgumentException(describe() + " carries " + stateCount() + " state arrays, got "
                    + states.length);
        }
        int nf = forward.stateCount();
        return run(inputs, ctx, Arrays.copyOfRange(states, 0, nf), Arrays.copyOfRange(states, nf, states.length),
                continuation);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String kind() {
        return "Bidirectional";
    }

    /** Its backward half reads the sequence last to first. */
    @Override
    public boolean readsTimeBackwards() {
        return true;
    }

    /**
     * The forward layer.
     *
     * @return Keras's {@code forward_layer}
     */
    public RecurrentLayer forwardLayer() {
        return forward;
    }

    /**
     * The backward layer.
     *
     * @return Keras's {@code backward_layer}
     */
    public RecurrentLayer backwardLayer() {
        return backward;
    }

    /**
     * The merge mode.
     *
     * @return Keras's {@code merge_mode}
     */
    public Merge merge() {
        return merge;
    }

    private static boolean returnState(RecurrentLayer r) {
        return r instanceof RecurrentBase b && b.returnState();
    }

    /**
     * Whether the halves return their states.
     *
     * @return true when the final states of both halves follow the output(s)
     */
    public boolean returnState() {
        return returnState(forward);
    }

    private int mergedOutputs() {
        return merge == Merge.NONE ? 2 : 1;
    }

    /** True when both halves return every step. */
    public boolean returnSequences() {
        return forward.returnSequences();
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputShapes) {
        int states = forward.stateCount() + backward.stateCount();
        if (inputShapes.size() != 1 && inputShapes.size() != 1 + states) {
            throw new IllegalArgumentException(describe() + " takes a sequence and optionally " + states
                    + " initial states (forward then backward), got " + inputShapes.size() + " inputs");
        }
        List<Shape> fo = forward.outputShapes(halfInputs(inputShapes, true));
        List<Shape> bo = backward.outputShapes(halfInputs(inputShapes, false));
        Shape f = fo.get(0);
        Shape b = bo.get(0);
        List<Shape> out = new ArrayList<>();
        if (merge == Merge.NONE) {
            out.add(f);
            out.add(b);
        } else if (merge == Merge.CONCAT) {
            out.add(f.with(f.rank() - 1, f.dim(-1) + b.dim(-1)));
        } else {
            if (!f.equals(b)) {
                throw new IllegalArgumentException(describe() + ": merge mode " + merge + " needs equal output shapes,"
                        + " got forward " + f + " and backward " + b);
            }
            out.add(f);
        }
        out.addAll(fo.subList(1, fo.size()));
        out.addAll(bo.subList(1, bo.size()));
        return out;
    }

    /** The sequence, then the half's own initial states when the call gives them (forward first). */
    private <T> List<T> halfInputs(List<T> inputs, boolean forwardHalf) {
        if (inputs.size() == 1) {
            return inputs;
        }
        List<T> out = new ArrayList<>();
        out.add(inputs.get(0));
        int nf = forward.stateCount();
        out.addAll(forwardHalf ? inputs.subList(1, 1 + nf) : inputs.subList(1 + nf, inputs.size()));
        return out;
    }

    @Override
    public List<Tensor> forward(List<Tensor> inputs) {
        return forward(inputs, CallContext.NONE);
    }

    /**
     * Both halves read the input's mask (the backward one reversed with its steps); Keras forces each half's
     * {@code zero_output_for_mask} to {@code return_sequences}, which the halves were built with.
     */
    @Override
    public List<Tensor> forward(List<Tensor> inputs, CallContext ctx) {
        return run(inputs, ctx, null, null, false);
    }

    /** Both halves, from zero state or initial-state inputs (null states) or from carried states. */
    private List<Tensor> run(List<Tensor> inputs, CallContext ctx, float[][] forwardStates, float[][] backwardStates,
                             boolean continuation) {
        // Keras 3 hands a Bidirectional called with initial_state no mask (see RecurrentOptions)
        boolean drop = inputs.size() > 1 && forward instanceof RecurrentBase rb && rb.options().keras3InitialState();
        CallContext half = CallContext.inference(java.util.Collections.singletonList(drop ? null : ctx.mask(0)));
        List<Tensor> fIn = halfInputs(inputs, true);
        List<Tensor> bIn = halfInputs(inputs, false);
        List<List<Tensor>> halves = Arrays.asList(null, null); // set by the pieces, which may run on two threads
        // Given 2+ threads, the two directions run at once (each a chain of dependent steps, no barrier between them)
        PairRun.run(() -> halves.set(0, forwardStates == null ? forward.forward(fIn, half)
                        : forward.forwardWithState(fIn, half, forwardStates, continuation)),
                () -> halves.set(1, backwardStates == null ? backward.forward(bIn, half)
                        : backward.forwardWithState(bIn, half, backwardStates, false)),
                multiplyAdds(inputs.get(0)));
        List<Tensor> fo = halves.get(0);
        List<Tensor> bo = halves.get(1);
        Tensor f = fo.get(0);
        Tensor b = bo.get(0);
        if (returnSequences()) {
            b = TimeAxis.reversed(b); // back to input order: step t of both halves belongs to input step t
        }
        List<Tensor> out = new ArrayList<>();
        switch (merge) {
            case NONE -> {
                out.add(f);
                out.add(b);
            }
            case CONCAT -> out.add(concatLast(f, b));
            default -> out.add(elementwise(f, b));
        }
        out.addAll(fo.subList(1, fo.size()));
        out.addAll(bo.subList(1, bo.size()));
        return out;
    }

    /** About the multiply-adds of one direction over this input: each weight once per row and step. */
    private long multiplyAdds(Tensor input) {
        int rank = input.rank();
        long rows = rank > 1 ? (long) input.dim(0) * input.dim(1) : rank == 1 ? input.dim(0) : 1;
        return rows * directionParameters;
    }

    @Override
    public String trainingRefusal(int inputCount) {
        if (stateful()) {
            return describe() + ": training a stateful Bidirectional layer is not supported yet (re-save the model"
                    + " with stateful=False to fine-tune it)";
        }
        return inputCount == 1 && !returnState() ? null : describe() + ": training a Bidirectional layer with"
                + " return_state outputs or initial_state inputs is not supported yet";
    }

    /** Keras's Bidirectional.compute_mask: the input's mask on each sequence output, none on last outputs. */
    @Override
    public List<Boolean> outputsMasked(List<Boolean> inputsMasked, int outputCount) {
        List<Boolean> out = new ArrayList<>(java.util.Collections.nCopies(outputCount, false));
        for (int i = 0; i < mergedOutputs(); i++) {
            out.set(i, returnSequences() && inputsMasked.get(0));
        }
        return out;
    }

    @Override
    public List<Mask> outputMasks(List<Tensor> inputs, List<Mask> masks) {
        if (!returnSequences() || masks.get(0) == null) {
            return null;
        }
        int states = returnState() ? forward.stateCount() + backward.stateCount() : 0;
        List<Mask> out = new ArrayList<>(java.util.Collections.nCopies(mergedOutputs() + states,
                null));
        for (int i = 0; i < mergedOutputs(); i++) {
            out.set(i, masks.get(0));
        }
        return out;
    }

    @Override
    public List<Tensor> forwardTrain(List<Tensor> inputs, float[][] weights, Saved saved, TrainContext ctx) {
        if (trainingRefusal(inputs.size()) != null) {
            throw new IllegalArgumentException(trainingRefusal(inputs.size()));
        }
        int nf = forward.weightSpecs().size();
        TrainContext fresh = ctx.withStates(null); // a stateful Bidirectional is refused by trainingRefusal
        Tensor f = half(forward).applyTrain(inputs.get(0), Arrays.copyOfRange(weights, 0, nf), saved.child("forward"),
                fresh);
        Tensor b = half(backward).applyTrain(inputs.get(0), Arrays.copyOfRange(weights, nf, weights.length),
                saved.child("backward"), fresh);
        if (returnSequences()) {
            b = TimeAxis.reversed(b);
        }
        saved.putObject("forward_out", f);
        saved.putObject("backward_out", b);
        return switch (merge) {
            case NONE -> List.of(f, b);
            case CONCAT -> List.of(concatLast(f, b));
            default -> List.of(elementwise(f, b));
        };
    }

    @Override
    public List<Tensor> backward(List<Tensor> outputGrads, float[][] weights, float[][] grads, Saved saved,
                                 boolean[] needInputGrads) {
        Tensor f = saved.getObject("forward_out", Tensor.class);
        Tensor b = saved.getObject("backward_out", Tensor.class);
        Tensor df;
        Tensor db;
        if (merge == Merge.NONE) {
            df = outputGrads.get(0) != null ? outputGrads.get(0) : Tensor.zeros(f.shape());
            db = outputGrads.get(1) != null ? outputGrads.get(1) : Tensor.zeros(b.shape());
        } else if (outputGrads.get(0) == null) {
            return java.util.Collections.singletonList(null);
        } else {
            Tensor[] split = splitGrad(outputGrads.get(0), f, b);
            df = split[0];
            db = split[1];
        }
        if (returnSequences()) {
            db = TimeAxis.reversed(db); // the backward half produced its steps last to first
        }
        int nf = forward.weightSpecs().size();
        Tensor dxf = half(forward).backpropagate(df, Arrays.copyOfRange(weights, 0, nf), Arrays.copyOfRange(grads, 0, nf),
                saved.child("forward"), needInputGrads[0]);
        Tensor dxb = half(backward).backpropagate(db, Arrays.copyOfRange(weights, nf, weights.length),
                Arrays.copyOfRange(grads, nf, grads.length), saved.child("backward"), needInputGrads[0]);
        if (dxf == null) {
            return java.util.Collections.singletonList(null);
        }
        float[] sum = dxf.data().clone();
        float[] other = dxb.data();
        for (int i = 0; i < sum.length; i++) {
            sum[i] += other[i];
        }
        return List.of(Tensor.wrap(sum, dxf.shape()));
    }

    /** The merged output's gradient split into the two halves' (the backward half still in input order). */
    private Tensor[] splitGrad(Tensor dy, Tensor f, Tensor b) {
        float[] g = dy.data();
        if (merge == Merge.CONCAT) {
            int uf = f.dim(-1);
            int ub = b.dim(-1);
            int rows = f.size() / Math.max(1, uf);
            float[] df = new float[f.size()];
            float[] db = new float[b.size()];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(g, r * (uf + ub), df, r * uf, uf);
                System.arraycopy(g, r * (uf + ub) + uf, db, r * ub, ub);
            }
            return new Tensor[] {Tensor.wrap(df, f.shape()), Tensor.wrap(db, b.shape())};
        }
        float[] df = new float[g.length];
        float[] db = new float[g.length];
        float[] fd = f.data();
        float[] bd = b.data();
        for (int i = 0; i < g.length; i++) {
            switch (merge) {
                case SUM -> {
                    df[i] = g[i];
                    db[i] = g[i];
                }
                case AVE -> {
                    df[i] = g[i] / 2f;
                    db[i] = g[i] / 2f;
                }
                case MUL -> {
                    df[i] = g[i] * bd[i];
                    db[i] = g[i] * fd[i];
                }
                default -> throw new IllegalStateException(merge.toString());
            }
        }
        return new Tensor[] {Tensor.wrap(df, f.shape()), Tensor.wrap(db, b.shape())};
    }

    @Override
    public Layer withWeights(List<Tensor> weights) {
        int nf = forward.weightSpecs().size();
        WeightShapes.requireCount(this, weights, nf + backward.weightSpecs().size());
        return new Bidirectional(name, (RecurrentLayer) half(forward).withWeights(weights.subList(0, nf)),
                (RecurrentLayer) half(backward).withWeights(weights.subList(nf, weights.size())), merge);
    }

    private SingleInputLayer half(RecurrentLayer layer) {
        if (!(layer instanceof SingleInputLayer s)) {
            throw new IllegalStateException(describe() + ": its " + layer.kind() + " half cannot be trained");
        }
        return s;
    }

    // f: [..., uf], b: [..., ub] -> [..., uf + ub]
    private static Tensor concatLast(Tensor f, Tensor b) {
        int[] shape = f.shape();
        int uf = shape[shape.length - 1];
        int ub = b.dim(-1);
        int rows = f.size() / Math.max(1, uf);
        float[] fd = f.data();
        float[] bd = b.data();
        float[] out = new float[Math.multiplyExact(rows, uf + ub)];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(fd, r * uf, out, r * (uf + ub), uf);
            System.arraycopy(bd, r * ub, out, r * (uf + ub) + uf, ub);
        }
        shape[shape.length - 1] = uf + ub;
        return Tensor.wrap(out, shape);
    }

    private Tensor elementwise(Tensor f, Tensor b) {
        float[] fd = f.data();
        float[] bd = b.data();
        float[] out = new float[fd.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (merge) {
                case SUM -> fd[i] + bd[i];
                case AVE -> (fd[i] + bd[i]) / 2f;
                case MUL -> fd[i] * bd[i];
                default -> throw new IllegalStateException(merge.toString());
            };
        }
        return Tensor.wrap(out, f.shape());
    }

    /** The forward layer's weights then the backward layer's, named {@code forward/...} and {@code backward/...}. */
    @Override
    public List<Weight> weights() {
        List<Weight> list = new ArrayList<>();
        for (Weight w : forward.weights()) {
            list.add(new Weight("forward/" + w.name(), w.value()));
        }
        for (Weight w : backward.weights()) {
            list.add(new Weight("backward/" + w.name(), w.value()));
        }
        return list;
    }

    /** The names and shapes of {@link #weights()}, without unpacking either half's weights. */
    @Override
    public List<WeightSpec> weightSpecs() {
        List<WeightSpec> list = new ArrayList<>();
        for (WeightSpec w : forward.weightSpecs()) {
            list.add(new WeightSpec("forward/" + w.name(), w.shape()));
        }
        for (WeightSpec w : backward.weightSpecs()) {
            list.add(new WeightSpec("backward/" + w.name(), w.shape()));
        }
        return list;
    }

    private String describe() {
        return "layer '" + name + "' (Bidirectional)";
    }

    @Override
    public String toString() {
        return describe();
    }
}
