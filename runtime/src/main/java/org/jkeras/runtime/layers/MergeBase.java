package org.jkeras.runtime.layers;

import java.util.List;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;

/**
 * What Keras's merge layers share: a name, a list of inputs with one output, no weights, and masks refused
 * (Keras 3 and tf.keras 2 merge masks by different rules, and Keras 3 also lets them change the values of
 * Multiply, Maximum and Minimum; jkeras does not implement either yet).
 */
abstract class MergeBase implements Differentiable {
    private final String name;

    MergeBase(String name) {
        this.name = name;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final List<Weight> weights() {
        return List.of();
    }

    @Override
    public final Layer withWeights(List<Tensor> newWeights) {
        if (!newWeights.isEmpty()) {
            throw new IllegalArgumentException(describe() + " has no weights, got " + newWeights.size());
        }
        return this;
    }

    @Override
    public final List<Tensor> forward(List<Tensor> inputs) {
        return List.of(merge(inputs));
    }

    @Override
    public final List<Tensor> forwardTrain(List<Tensor> inputs, float[][] weights, Saved saved, TrainContext ctx) {
        saved.putObject("inputs", List.copyOf(inputs));
        Tensor y = merge(inputs);
        saved.putObject("output", y);
        return List.of(y);
    }

    @Override
    public final List<Tensor> backward(List<Tensor> outputGrads, float[][] weights, float[][] grads, Saved saved,
                                       boolean[] needInputGrads) {
        @SuppressWarnings("unchecked")
        List<Tensor> inputs = saved.getObject("inputs", List.class);
        Tensor dy = outputGrads.get(0);
        if (dy == null) {
            return java.util.Collections.nCopies(inputs.size(), null);
        }
        return inputGrads(dy, inputs, saved.getObject("output", Tensor.class), needInputGrads);
    }

    @Override
    public List<Boolean> outputsMasked(List<Boolean> inputsMasked, int outputCount) {
        if (inputsMasked.contains(true)) {
            throw new IllegalArgumentException(describe() + " receives a masked input (from Masking or"
                    + " Embedding(mask_zero=True)); masks into merge layers are not supported yet");
        }
        return List.of(false);
    }

    /** The merged output of concrete inputs. */
    abstract Tensor merge(List<Tensor> inputs);

    /** The gradient of each input (null where not needed), given the output's gradient. */
    abstract List<Tensor> inputGrads(Tensor dy, List<Tensor> inputs, Tensor output, boolean[] need);

    /** Throws unless there are {@code min..max} inputs. */
    final void requireInputs(List<Shape> in, int min, int max) {
        if (in.size() < min || in.size() > max) {
            String want = min == max ? Integer.toString(min) : max == Integer.MAX_VALUE ? "at least " + min
                    : min + " to " + max;
            throw new IllegalArgumentException(describe() + " takes " + want + " inputs, got " + in.size());
        }
    }

    /** {@code layer 'name' (Kind)}, for messages. */
    final String describe() {
        return "layer '" + name + "' (" + kind() + ")";
    }

    @Override
    public String toString() {
        return describe();
    }
}
