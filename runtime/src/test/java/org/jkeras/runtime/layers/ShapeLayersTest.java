package org.jkeras.runtime.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.tensor.Activation;
import org.junit.jupiter.api.Test;

/** Dense, TimeDistributed, Flatten, Dropout and Activation layers: shapes and values by hand. */
class ShapeLayersTest {
    static final int U = Shape.UNKNOWN;

    /** kernel [[1, 2, 3], [4, 5, 6]] (in 2, units 3), bias [0.5, 0, -0.5]. */
    static Dense dense(Activation a) {
        return new Dense("dense", Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3),
                Tensor.of(new float[] {0.5f, 0f, -0.5f}, 3), a);
    }

    static final float[] ROWS = {1, 0, 0, 1, 1, 1, 2, -1, 0, 0, -1, 3};
    // Each row (x0, x1) -> (x0 + 4 x1 + 0.5, 2 x0 + 5 x1, 3 x0 + 6 x1 - 0.5), worked out by hand.
    static final float[] DENSE_ROWS = {1.5f, 2f, 2.5f, 4.5f, 5f, 5.5f, 5.5f, 7f, 8.5f, -1.5f, -1f, -0.5f,
        0.5f, 0f, -0.5f, 11.5f, 13f, 14.5f};

    @Test
    void timeDistributedDenseAppliesToEveryStep() {
        TimeDistributed td = new TimeDistributed("td", dense(Activation.LINEAR));
        assertEquals(Shape.of(U, U, 3), td.outputShape(Shape.of(U, U, 2)));
        assertEquals(Shape.of(U, 3, 3), td.outputShape(Shape.of(U, 3, 2)));
        Tensor y = td.apply(Tensor.of(ROWS, 2, 3, 2));
        assertArrayEquals(new int[] {2, 3, 3}, y.shape());
        assertArrayEquals(DENSE_ROWS, y.data());
        assertEquals(2, td.weights().size());
    }

    @Test
    void timeDistributedKeepsInnerStepDimensions() {
        TimeDistributed td = new TimeDistributed("td", dense(Activation.LINEAR));
        assertEquals(Shape.of(U, 5, 4, 3), td.outputShape(Shape.of(U, 5, 4, 2)));
        Tensor y = td.apply(Tensor.of(ROWS, 1, 2, 3, 2));
        assertArrayEquals(new int[] {1, 2, 3, 3}, y.shape());
        assertArrayEquals(DENSE_ROWS, y.data());
        TimeDistributed flat = new TimeDistributed("tdf", new Flatten("f"));
        assertEquals(Shape.of(U, 7, 6), flat.outputShape(Shape.of(U, 7, 2, 3)));
        assertArrayEquals(new int[] {1, 2, 6}, flat.apply(Tensor.of(ROWS, 1, 2, 2, 3)).shape());
    }

    @Test
    void timeDistributedRefusesInputWithoutTimeAxis() {
        TimeDistributed td = new TimeDistributed("td", dense(Activation.LINEAR));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> td.outputShape(Shape.of(U, 2)));
        assertTrue(e.getMessage().contains("layer 'td' (TimeDistributed)") && e.getMessage().contains("(None, 2)"),
                e.getMessage());
        IllegalArgumentException inner = assertThrows(IllegalArgumentException.class,
                () -> td.outputShape(Shape.of(U, 4, 7)));
        assertTrue(inner.getMessage().contains("layer 'dense' (Dense)"), inner.getMessage());
    }

    @Test
    void denseActsOnTheLastAxisWithItsActivation() {
        Tensor y = dense(Activation.RELU).apply(Tensor.of(ROWS, 6, 2));
        float[] relu = DENSE_ROWS.clone();
        for (int i = 0; i < relu.length; i++) {
            relu[i] = Math.max(relu[i], 0f);
        }
        assertArrayEquals(relu, y.data());
        Tensor s = dense(Activation.SOFTMAX).apply(Tensor.of(new float[] {0, 0}, 1, 2));
        // softmax(0.5, 0, -0.5) = (e^0.5, 1, e^-0.5) / 3.2552519 (Python math.exp)
        assertArrayEquals(new float[] {0.50648039f, 0.30719589f, 0.18632372f}, s.data(), 1e-6f);
    }

    @Test
    void denseRejectsBadWeightsAndInputs() {
        IllegalArgumentException k = assertThrows(IllegalArgumentException.class,
                () -> new Dense("d", Tensor.of(new float[6], 6), null, Activation.LINEAR));
        assertEquals("layer 'd': weight 'kernel' has shape (6,), expected rank 2 [in, units]", k.getMessage());
        IllegalArgumentException b = assertThrows(IllegalArgumentException.class,
                () -> new Dense("d", Tensor.of(new float[6], 2, 3), Tensor.of(new float[2], 2), Activation.LINEAR));
        assertEquals("layer 'd': weight 'bias' has shape (2,), expected (3,)", b.getMessage());
        IllegalArgumentException in = assertThrows(IllegalArgumentException.class,
                () -> dense(Activation.LINEAR).outputShape(Shape.of(U, 4)));
        assertEquals("layer 'dense' (Dense) has a kernel for 2 inputs but its input is (None, 4)", in.getMessage());
    }

    @Test
    void flattenKeepsRowMajorOrderAndBatch() {
        Flatten f = new Flatten("flatten");
        assertEquals(Shape.of(U, 12), f.outputShape(Shape.of(U, 3, 4)));
        assertEquals(Shape.of(U, U), f.outputShape(Shape.of(U, U, 4)));
        assertEquals(Shape.of(U, 5), f.outputShape(Shape.of(U, 5)));
        float[] x = new float[24];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        Tensor y = f.apply(Tensor.of(x, 2, 3, 4));
        assertArrayEquals(new int[] {2, 12}, y.shape());
        assertArrayEquals(x, y.data());
        assertEquals(0f, y.get(1, 0) - 12f);
        assertArrayEquals(new int[] {0, 0}, f.apply(Tensor.zeros(0, 3, 4)).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.outputShape(Shape.of(U)));
        assertTrue(e.getMessage().contains("layer 'flatten' (Flatten)"), e.getMessage());
    }

    @Test
    void dropoutIsIdentityAtInference() {
        Tensor x = Tensor.of(ROWS, 6, 2);
        Dropout d = new Dropout("drop", "SpatialDropout1D", 0.3);
        assertSame(x, d.apply(x));
        assertEquals("SpatialDropout1D", d.kind());
        assertEquals(Shape.of(U, 6, 2), d.outputShape(Shape.of(U, 6, 2)));
    }

    @Test
    void activationLayerAppliesRowwiseAlongLastAxisWithoutTouchingItsInput() {
        Tensor x = Tensor.of(new float[] {0.5f, 0f, -0.5f, 0.5f, 0f, -0.5f}, 2, 3);
        Tensor y = new ActivationLayer("act", Activation.SOFTMAX).apply(x);
        assertArrayEquals(new float[] {0.50648039f, 0.30719589f, 0.18632372f, 0.50648039f, 0.30719589f, 0.18632372f},
                y.data(), 1e-6f);
        assertArrayEquals(new float[] {0.5f, 0f, -0.5f, 0.5f, 0f, -0.5f}, x.data());
    }
}
