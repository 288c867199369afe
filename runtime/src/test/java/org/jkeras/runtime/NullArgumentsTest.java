package org.jkeras.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jkeras.runtime.graph.Graph;
import org.jkeras.runtime.graph.Port;
import org.jkeras.runtime.layers.Dense;
import org.jkeras.runtime.session.Session;
import org.jkeras.runtime.tensor.Activation;
import org.jkeras.runtime.tensor.InputMismatchException;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** A null argument to the public API is named in the error, never a bare NullPointerException. */
class NullArgumentsTest {
    private static String iae(Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    @Test
    void tensorFactoriesNameTheNullArgument() {
        assertEquals("data is null", iae(() -> Tensor.of((float[]) null, 2)));
        assertEquals("shape is null", iae(() -> Tensor.of(new float[2], (int[]) null)));
        assertEquals("data is null", iae(() -> Tensor.wrap(null, 2)));
        assertEquals("data is null", iae(() -> Tensor.of((double[]) null, 2)));
        assertEquals("buffer is null", iae(() -> Tensor.of((FloatBuffer) null, 2)));
        assertEquals("rows is null", iae(() -> Tensor.of((float[][]) null)));
        assertEquals("row 1 is null", iae(() -> Tensor.of(new float[][] {{1}, null})));
        assertEquals("sequences is null", iae(() -> Tensor.of((float[][][]) null)));
        assertEquals("sequence 0 step 1 is null", iae(() -> Tensor.of(new float[][][] {{{1}, null}})));
    }

    @Test
    void predictingNullInputsIsAnInputError() {
        Random r = new Random(1);
        Graph.Builder g = Graph.builder();
        Port x = g.input("x", Shape.of(Shape.UNKNOWN, 3));
        Port y = g.apply(new Dense("dense", ModelTest.random(r, 3, 2), ModelTest.random(r, 2), Activation.LINEAR), x);
        Model m = new Model(g.build(List.of(y)), Map.of());
        String expected = "the inputs are null: pass one tensor per model input";
        assertEquals(expected, assertThrows(InputMismatchException.class, () -> m.predict((List<Tensor>) null)).getMessage());
        assertEquals(expected, assertThrows(InputMismatchException.class, () -> m.predict(null, 2)).getMessage());
        assertEquals(expected, assertThrows(InputMismatchException.class,
                () -> Session.keras(m).predict((List<Tensor>) null)).getMessage());
        assertEquals("input 'x' expects shape (None, 3), got null", assertThrows(InputMismatchException.class,
                () -> m.predict(Arrays.asList((Tensor) null))).getMessage());
    }
}
