package org.jkeras.runtime.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.FloatBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tensors from and to Java arrays and buffers, row slices, stacking and concatenation. */
class TensorConveniencesTest {
    @Test
    void twoAndThreeDimensionalArraysRoundTripRowMajor() {
        float[][] m = {{1, 2, 3}, {4, 5, 6}};
        Tensor t = Tensor.of(m);
        assertArrayEquals(new int[] {2, 3}, t.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, t.data());
        assertArrayEquals(m, t.toArray2D());
        float[][][] seq = {{{1, 2}, {3, 4}, {5, 6}}, {{7, 8}, {9, 10}, {11, 12}}};
        Tensor s = Tensor.of(seq);
        assertArrayEquals(new int[] {2, 3, 2}, s.shape());
        assertEquals(10f, s.get(1, 1, 1));
        assertArrayEquals(seq, s.toArray3D());
        IllegalArgumentException ragged = assertThrows(IllegalArgumentException.class,
                () -> Tensor.of(new float[][] {{1, 2}, {3}}));
        assertEquals("row 1 has 1 values, row 0 has 2", ragged.getMessage());
        assertEquals("tensor of shape (2, 3) is not rank 3", assertThrows(IllegalArgumentException.class,
                t::toArray3D).getMessage());
    }

    @Test
    void doublesAndBuffersConvertToFloat32() {
        Tensor d = Tensor.of(new double[] {0.1, 1e40, -2.5}, 3);
        assertArrayEquals(new float[] {0.1f, Float.POSITIVE_INFINITY, -2.5f}, d.data());
        assertArrayEquals(new double[] {(double) 0.1f, Double.POSITIVE_INFINITY, -2.5}, d.toDoubleArray());
        FloatBuffer in = FloatBuffer.wrap(new float[] {9, 1, 2, 3, 4});
        in.get(); // a buffer is read from its position
        Tensor b = Tensor.of(in, 2, 2);
        assertArrayEquals(new float[] {1, 2, 3, 4}, b.data());
        assertEquals(0, in.remaining());
        FloatBuffer out = FloatBuffer.allocate(5).put(7f);
        b.writeTo(out);
        assertArrayEquals(new float[] {7, 1, 2, 3, 4}, out.array());
    }

    @Test
    void rowsStackAndConcatWorkAlongAxisZero() {
        Tensor x = Tensor.of(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 3, 2, 2);
        Tensor one = x.rows(1, 2);
        assertArrayEquals(new int[] {1, 2, 2}, one.shape());
        assertArrayEquals(new float[] {4, 5, 6, 7}, one.data());
        Tensor back = Tensor.concat(List.of(x.rows(0, 1), one, x.rows(2, 3)));
        assertArrayEquals(x.data(), back.data());
        assertArrayEquals(x.shape(), back.shape());
        Tensor stacked = Tensor.stack(List.of(Tensor.of(new float[] {1, 2}, 2), Tensor.of(new float[] {3, 4}, 2)));
        assertArrayEquals(new int[] {2, 2}, stacked.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4}, stacked.data());
        assertEquals("rows 2..4 outside axis 0 of shape (3, 2, 2)", assertThrows(IndexOutOfBoundsException.class,
                () -> x.rows(2, 4)).getMessage());
        assertEquals("tensor 1 has shape (3,), tensor 0 has (2,)", assertThrows(IllegalArgumentException.class,
                () -> Tensor.stack(List.of(Tensor.zeros(2), Tensor.zeros(3)))).getMessage());
        assertEquals("tensor 1 has shape (1, 3), which does not match (1, 2) after axis 0",
                assertThrows(IllegalArgumentException.class,
                        () -> Tensor.concat(List.of(Tensor.zeros(1, 2), Tensor.zeros(1, 3)))).getMessage());
    }
}
