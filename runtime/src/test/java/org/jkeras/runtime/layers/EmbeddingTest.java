package org.jkeras.runtime.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.jkeras.runtime.tensor.InputMismatchException;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.graph.Graph;
import org.jkeras.runtime.graph.Port;
import org.junit.jupiter.api.Test;

/** Embedding: row gathers by hand, and refusal of every index that is not an integer in [0, input_dim). */
class EmbeddingTest {
    static final int U = Shape.UNKNOWN;

    /** Table [3, 2]: row i is (10 i, 10 i + 1). */
    static Embedding embedding() {
        return new Embedding("embedding", Tensor.of(new float[] {0, 1, 10, 11, 20, 21}, 3, 2));
    }

    @Test
    void gathersTheRowOfEveryIndexKeepingInputShape() {
        Embedding e = embedding();
        assertEquals(Shape.of(U, U, 2), e.outputShape(Shape.of(U, U)));
        assertEquals(Shape.of(U, 4, 5, 2), e.outputShape(Shape.of(U, 4, 5)));
        Tensor y = e.apply(Tensor.of(new float[] {2, 0, 1, 1, 2, 2}, 2, 3));
        assertArrayEquals(new int[] {2, 3, 2}, y.shape());
        assertArrayEquals(new float[] {20, 21, 0, 1, 10, 11, 10, 11, 20, 21, 20, 21}, y.data());
        assertArrayEquals(new int[] {3, 2}, e.apply(Tensor.of(new float[] {1, 0, 2}, 3)).shape());
        assertEquals(3, e.inputDim());
        assertEquals(2, e.outputDim());
        assertEquals(6, e.parameterCount());
    }

    @Test
    void refusesNonIntegerNegativeAndOutOfRangeIndicesNamingLayerValueAndPosition() {
        Embedding e = embedding();
        assertBadIndex(e, 3.5f, "input value 3.5 at position [1, 0]");
        assertBadIndex(e, -1f, "input value -1 at position [1, 0]");
        assertBadIndex(e, 3f, "input value 3 at position [1, 0]");
        assertBadIndex(e, 0.5f, "input value 0.5 at position [1, 0]");
        assertBadIndex(e, Float.NaN, "input value NaN at position [1, 0]");
        assertBadIndex(e, 1e30f, "input value 1.0E30 at position [1, 0]");
    }

    private static void assertBadIndex(Embedding e, float bad, String expected) {
        Tensor x = Tensor.of(new float[] {0, 1, bad, 2}, 2, 2); // bad value at [1, 0]
        InputMismatchException ex = assertThrows(InputMismatchException.class, () -> e.apply(x));
        String m = ex.getMessage();
        assertTrue(m.contains("layer 'embedding' (Embedding)") && m.contains(expected)
                && m.contains("expected an integer in [0, 3)"), m);
    }

    @Test
    void modelPredictReportsTheBadIndexPositionInTheBatch() {
        Graph.Builder b = Graph.builder();
        Port x = b.input("tokens", Shape.of(U, 2));
        Model model = new Model(b.build(List.of(b.apply(embedding(), x))), Map.of());
        float[] data = new float[8 * 2];
        data[13] = 7; // row 6, step 1
        InputMismatchException e = assertThrows(InputMismatchException.class,
                () -> model.predict(Tensor.of(data, 8, 2)));
        assertTrue(e.getMessage().contains("input value 7 at position [6, 1]"), e.getMessage());
    }

    @Test
    void refusesTablesThatAreNotRank2OrEmpty() {
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
                () -> new Embedding("emb", Tensor.of(new float[] {1, 2, 3}, 3)));
        assertTrue(rank.getMessage().contains("layer 'emb' (Embedding)") && rank.getMessage().contains("rank 2"),
                rank.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> new Embedding("emb", Tensor.of(new float[0], 0, 4)));
        assertTrue(empty.getMessage().contains("out of bounds"), empty.getMessage());
    }

    @Test
    void refusesRankZeroInput() {
        assertThrows(IllegalArgumentException.class, () -> embedding().outputShape(Shape.of()));
    }
}
