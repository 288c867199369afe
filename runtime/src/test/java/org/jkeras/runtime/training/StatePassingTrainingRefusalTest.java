package org.jkeras.runtime.training;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.graph.Graph;
import org.jkeras.runtime.graph.Port;
import org.jkeras.runtime.tensor.Activation;
import org.jkeras.runtime.layers.Lstm;
import org.jkeras.runtime.layers.RecurrentOptions;
import org.junit.jupiter.api.Test;

/**
 * Recurrent layers that return their states or take initial states have no backward pass yet: a trainer refuses
 * the model before its first step, naming the layer, instead of training it wrongly.
 */
class StatePassingTrainingRefusalTest {
    private static Lstm lstm(String name, RecurrentOptions options) {
        SplittableRandom r = new SplittableRandom(1);
        return new Lstm(name, 2, Tensor.wrap(GradientCheck.random(r, 3 * 8, 0.5), 3, 8),
                Tensor.wrap(GradientCheck.random(r, 2 * 8, 0.5), 2, 8), null, Activation.TANH, Activation.SIGMOID,
                options);
    }

    @Test
    void layerReturningItsStatesIsRefusedForTraining() {
        Graph.Builder b = Graph.builder();
        Port x = b.input("x", Shape.of(Shape.UNKNOWN, 4, 3));
        List<Port> out = b.apply(lstm("encoder", RecurrentOptions.sequences(false).withReturnState(true)), List.of(x));
        Graph g = b.build(List.of(out.get(0), out.get(1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Tape(g, new Parameters(new Model(g, Map.of()), Set.of())));
        assertTrue(e.getMessage().contains("layer 'encoder' (LSTM)") && e.getMessage().contains("return_state"),
                e.getMessage());
    }

    @Test
    void layerGivenInitialStatesIsRefusedForTraining() {
        Graph.Builder b = Graph.builder();
        Port x = b.input("x", Shape.of(Shape.UNKNOWN, 4, 3));
        Port h = b.input("h", Shape.of(Shape.UNKNOWN, 2));
        Port c = b.input("c", Shape.of(Shape.UNKNOWN, 2));
        Port y = b.apply(lstm("decoder", RecurrentOptions.sequences(true)), List.of(x, h, c)).get(0);
        Graph g = b.build(List.of(y));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Tape(g, new Parameters(new Model(g, Map.of()), Set.of())));
        assertTrue(e.getMessage().contains("layer 'decoder' (LSTM)") && e.getMessage().contains("initial_state"),
                e.getMessage());
    }
}
