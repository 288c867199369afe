package org.jkeras.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jkeras.runtime.graph.Graph;
import org.jkeras.runtime.graph.Port;
import org.jkeras.runtime.layers.RepeatVector;
import org.jkeras.runtime.session.Session;
import org.jkeras.runtime.tensor.InputLimits;
import org.jkeras.runtime.tensor.InputMismatchException;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Inputs are checked against {@link InputLimits} before anything is computed: a zero-element input with a batch
 * near 2^31, or a tiny input asking for a huge output, fails with an {@link InputMismatchException} naming the
 * limit (never an integer overflow or an out-of-memory error), on every prediction path.
 */
class InputLimitsTest {
    /** [batch, features] -> RepeatVector(times) -> [batch, times, features]. */
    private static Model repeat(int features, int times) {
        Graph.Builder g = Graph.builder();
        Port in = g.input("x", Shape.of(Shape.UNKNOWN, features));
        Port out = g.apply(new RepeatVector("repeat", times), in);
        return new Model(g.build(List.of(out)), Map.of());
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message should mention '" + p + "': " + e.getMessage());
        }
    }

    @Test
    void zeroElementInputWithHugeBatchIsRefusedByTheBatchLimit() {
        Model m = repeat(0, 5);
        Tensor x = Tensor.wrap(new float[0], Integer.MAX_VALUE - 1, 0);
        InputMismatchException e = assertThrows(InputMismatchException.class, () -> m.predict(x));
        assertMentions(e, "input 'x' has a batch of 2147483646, more than the limit max_input_batch=16777216");
        assertThrows(InputMismatchException.class, () -> m.predict(List.of(x), 2));
        Model raised = m.withInputLimits(new InputLimits(Integer.MAX_VALUE, 1L << 24, 1L << 28));
        assertArrayEquals(new int[] {Integer.MAX_VALUE - 1, 5, 0}, raised.predict(x).shape()); // nothing to compute
    }

    @Test
    void smallInputAskingForAHugeOutputIsRefusedByTheElementLimit() {
        Model m = repeat(4, 10_000_000); // 128 bytes of input ask for 2 * 10^7 * 4 floats of output... and more
        Tensor x = ModelTest.random(new Random(1), 8, 4);
        InputMismatchException e = assertThrows(InputMismatchException.class, () -> m.predict(x));
        assertMentions(e, "layer 'repeat' would output a tensor of shape (8, 10000000, 4)",
                "more than the limit max_tensor_elements=268435456");
        assertThrows(InputMismatchException.class, () -> Session.streaming(m).predict(x));
    }

    @Test
    void elementCountsNeverOverflow() {
        Model m = repeat(1 << 16, 1 << 16).withInputLimits(new InputLimits(1L << 30, 1L << 30, Long.MAX_VALUE));
        Tensor x = Tensor.zeros(1 << 10, 1 << 16); // output 2^42 elements: more than any array
        InputMismatchException e = assertThrows(InputMismatchException.class, () -> m.predict(x));
        assertMentions(e, "more than the limit max_tensor_elements=" + InputLimits.ARRAY_MAX);
    }

    @Test
    void limitsSurviveDerivedGraphs() {
        InputLimits tight = new InputLimits(4, 4, 1000);
        Model m = repeat(2, 3).withInputLimits(tight);
        assertTrue(m.graph().withFreeTime().inputLimits().equals(tight));
        assertTrue(m.graph().mapLayers(l -> l).inputLimits().equals(tight));
        assertThrows(InputMismatchException.class, () -> m.predict(Tensor.zeros(5, 2)));
    }
}
