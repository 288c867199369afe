package org.jkeras.cli;

import java.util.List;
import java.util.Map;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.graph.Graph;
import org.jkeras.runtime.graph.Port;
import org.jkeras.runtime.tensor.Activation;
import org.jkeras.runtime.layers.ActivationLayer;
import org.jkeras.runtime.layers.Dense;

/**
 * A tiny two-input, two-output model built from runtime layers, small enough to compute by hand,
 * for testing the command line's plumbing (argument order, shapes, file naming) on its own:
 * <pre>
 *   input_a (None, 2) -> dense: x @ [[1, 2], [3, 4]] + [0.5, -0.5]  -> output 0
 *   input_b (None, 3) -> relu                                      -> output 1
 * </pre>
 * Numerical agreement with Keras is tested elsewhere, against Keras fixtures.
 */
final class TwoBranchModel {
    private TwoBranchModel() {
    }

    static Model build() {
        Graph.Builder g = Graph.builder();
        Port a = g.input("input_a", Shape.of(Shape.UNKNOWN, 2));
        Port b = g.input("input_b", Shape.of(Shape.UNKNOWN, 3));
        Port dense = g.apply(new Dense("dense", Tensor.of(new float[] {1, 2, 3, 4}, 2, 2),
                Tensor.of(new float[] {0.5f, -0.5f}, 2), Activation.LINEAR), a);
        Port relu = g.apply(new ActivationLayer("relu", Activation.RELU), b);
        return new Model(g.build(List.of(dense, relu)),
                Map.of("format", "keras_zip", "keras_version", "3.99.0", "backend", "jax", "source", "two.keras"));
    }

    /** A loader that returns this model for any existing file. */
    static ModelLoader loader() {
        return (model, weights) -> build();
    }
}
