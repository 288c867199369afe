package org.jkeras.runtime.training;

import java.util.List;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.layers.Bidirectional;
import org.jkeras.runtime.layers.Saved;
import org.jkeras.runtime.layers.SingleInputLayer;
import org.jkeras.runtime.layers.TrainContext;
import org.jkeras.runtime.layers.Weight;

/** Adapts a single-output Bidirectional to {@link GradientCheck}, which drives one-input, one-output layers. */
final class BidirectionalAsSingle extends SingleInputLayer {
    private final Bidirectional bi;

    BidirectionalAsSingle(Bidirectional bi) {
        super(bi.name());
        this.bi = bi;
    }

    @Override
    public String kind() {
        return "Bidirectional";
    }

    @Override
    public Shape outputShape(Shape input) {
        return bi.outputShapes(List.of(input)).get(0);
    }

    @Override
    public Tensor apply(Tensor input) {
        return bi.forward(List.of(input)).get(0);
    }

    @Override
    public Tensor applyTrain(Tensor input, float[][] weights, Saved saved, TrainContext ctx) {
        return bi.forwardTrain(List.of(input), weights, saved, ctx).get(0);
    }

    @Override
    public Tensor backpropagate(Tensor dy, float[][] weights, float[][] grads, Saved saved, boolean needInput) {
        return bi.backward(List.of(dy), weights, grads, saved, new boolean[] {needInput}).get(0);
    }

    @Override
    public List<Weight> weights() {
        return bi.weights();
    }
}
