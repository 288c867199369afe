package org.jkeras.runtime.layers;

import org.jkeras.runtime.Shape;
import org.jkeras.runtime.Tensor;

/**
 * A dropout layer, which is the identity at inference; kept in the graph so summaries match
 * Keras and training can use it later.
 */
public final class Dropout extends SingleInputLayer {
    private final String kind;
    private final double rate;

    /**
     * A dropout layer.
     *
     * @param kind the Keras class it stands for ({@code Dropout}, {@code SpatialDropout1D}, ...)
     * @param rate fraction of units dropped in training
     */
    public Dropout(String name, String kind, double rate) {
        super(name);
        this.kind = kind;
        this.rate = rate;
    }

    @Override
    public String kind() {
        return kind;
    }

    /** The training-time drop rate. */
    public double rate() {
        return rate;
    }

    @Override
    public Shape outputShape(Shape input) {
        return input;
    }

    @Override
    public Tensor apply(Tensor input) {
        return input;
    }
}
