package org.jkeras.runtime.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.jkeras.runtime.tensor.Activation;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Graphs, sessions and trainers learn what a layer can do from its capability methods, not from its class: each
 * layer answers for the interfaces it implements, and a layer that declares nothing gets the plain defaults.
 */
class LayerCapabilitiesTest {
    private final SplittableRandom r = new SplittableRandom(3);

    private Tensor t(int... shape) {
        float[] v = new float[Shape.of(shape).product(0)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextDouble() - 0.5);
        }
        return Tensor.wrap(v, shape);
    }

    private Lstm lstm(boolean stateful, boolean goBackwards) {
        return new Lstm(goBackwards ? "bwd" : "fwd", 2, t(3, 8), t(2, 8),
                t(8), Activation.TANH, Activation.SIGMOID, true, stateful, goBackwards);
    }

    @Test
    void recurrentLayersCarryStateAndGoBackwardsReadsTimeBackwards() {
        Lstm forward = lstm(true, false);
        Lstm backward = lstm(false, true);
        assertSame(forward, forward.recurrent().orElseThrow());
        assertSame(forward, forward.differentiable().orElseThrow());
        assertFalse(forward.readsTimeBackwards());
        assertTrue(backward.readsTimeBackwards());
        assertFalse(forward.readsIndices());
        assertTrue(forward.rowGather().isEmpty());
    }

    @Test
    void bidirectionalReadsTimeBackwardsAndCarriesBothHalvesStates() {
        Bidirectional bi = new Bidirectional("bi", lstm(false, false), lstm(false, true), Bidirectional.Merge.CONCAT);
        assertTrue(bi.readsTimeBackwards());
        assertSame(bi, bi.recurrent().orElseThrow()); // a stateful one carries both halves' states in Session.keras
        assertEquals(4, bi.stateCount(), "the forward LSTM's h and c, then the backward one's");
        assertFalse(bi.stateful());
        assertSame(bi, bi.differentiable().orElseThrow());
    }

    @Test
    void embeddingReadsIndicesAndGathersRows() {
        Embedding e = new Embedding("emb", t(5, 2));
        assertTrue(e.readsIndices());
        assertSame(e, e.rowGather().orElseThrow());
        assertTrue(e.logitsOutput().isEmpty());
        assertTrue(e.recurrent().isEmpty());
    }

    @Test
    void denseHandsOutItsLogits() {
        Dense d = new Dense("dense", t(3, 2), t(2), Activation.SOFTMAX);
        assertSame(d, d.logitsOutput().orElseThrow());
        assertSame(d, d.differentiable().orElseThrow());
        assertFalse(d.readsTimeBackwards());
    }

    @Test
    void aLayerThatDeclaresNothingHasNoCapability() {
        Layer plain = new Layer() {
            public String name() {
                return "plain";
            }

            public String kind() {
                return "Plain";
            }

            public List<Shape> outputShapes(List<Shape> inputShapes) {
                return inputShapes;
            }

            public List<Tensor> forward(List<Tensor> inputs) {
                return inputs;
            }

            public List<Weight> weights() {
                return List.of();
            }
        };
        assertTrue(plain.recurrent().isEmpty());
        assertTrue(plain.differentiable().isEmpty());
        assertTrue(plain.logitsOutput().isEmpty());
        assertTrue(plain.rowGather().isEmpty());
        assertFalse(plain.readsIndices());
        assertFalse(plain.readsTimeBackwards());
    }
}
