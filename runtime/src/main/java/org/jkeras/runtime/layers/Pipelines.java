package org.jkeras.runtime.layers;

import org.jkeras.runtime.kernels.RecurrentPipeline;
import org.jkeras.runtime.tensor.Tensor;

/**
 * Stacked recurrent layers that a batch-1 call may run at once, one per core, the second consuming each step of the
 * first as it comes ({@link RecurrentPipeline}): asked by a graph for a node whose output only the next node reads.
 * Two recurrent layers (LSTM, GRU or SimpleRNN, in any pairing) read forwards on the Vector API kernels, the first
 * returning sequences, neither returning states; results are bit for bit those of running them in turn.
 */
public final class Pipelines {
    private Pipelines() {
    }

    /**
     * Whether {@code second} reading {@code first}'s output may run pipelined with it (fixed by the layers).
     *
     * @param first  the producing layer
     * @param second the layer reading its output
     * @return true for two forward LSTM, GRU or SimpleRNN layers on packed weights, the first returning sequences
     */
    public static boolean pairs(Layer first, Layer second) {
        return packed(first) != null && packed(second) != null && first instanceof RecurrentBase a
                && second instanceof RecurrentBase b && a.returnSequences() && !a.goBackwards() && !b.goBackwards()
                && !a.returnState() && !b.returnState();
    }

    /** The Vector API kernels' packed weights of an LSTM, GRU or SimpleRNN layer, else null. */
    private static Object packed(Layer layer) {
        return switch (layer) {
            case Lstm l -> l.packed();
            case Gru g -> g.packed();
            case SimpleRnn s -> s.packed();
            default -> null;
        };
    }

    /**
     * Whether a layer between the two of a pair leaves the pair intact at inference: a dropout or noise layer, the
     * identity outside training (a pipelined pair runs only for inference).
     *
     * @param between the layer reading the first layer's output and feeding the second
     * @return true for {@link Dropout} (Dropout, SpatialDropout1D, GaussianNoise, GaussianDropout, AlphaDropout)
     */
    public static boolean passesThrough(Layer between) {
        return between instanceof Dropout;
    }

    /**
     * Runs a pair that {@link #pairs} accepted at once when the call is worth it (batch 1, 2+ threads requested,
     * layers too small to split their steps), else runs nothing; from carried states (a session's), which are read
     * and left holding each layer's final states, or from zero.
     *
     * @param first        the producing layer
     * @param x            the first layer's input, {@code [1, steps, features]}
     * @param mid          the first layer's output buffer, written
     * @param second       the layer reading it
     * @param out          the second layer's output buffer, written
     * @param firstStates  the first layer's {h, c}, each of its units, or null for zero
     * @param secondStates the second layer's {h, c}, or null for zero
     * @return true when both layers ran; false when the caller should run them in turn
     */
    public static boolean run(Layer first, Tensor x, Tensor mid, Layer second, Tensor out, float[][] firstStates,
                              float[][] secondStates) {
        RecurrentBase a = (RecurrentBase) first;
        RecurrentBase b = (RecurrentBase) second;
        if (x.rank() != 3 || x.dim(0) != 1 || x.dim(2) != a.inputSize || mid.size() != x.dim(1) * a.units
                || out.size() != (b.returnSequences() ? x.dim(1) * b.units : b.units)) {
            return false;
        }
        if (firstStates != null) {
            RecurrentStates.check(a, firstStates, a.stateCount(), 1, a.units);
        }
        if (secondStates != null) {
            RecurrentStates.check(b, secondStates, b.stateCount(), 1, b.units);
        }
        return RecurrentPipeline.run(packed(a), x.data(), x.dim(1), mid.data(), packed(b), out.data(),
                b.returnSequences(), firstStates, secondStates);
    }
}
