package org.jkeras.runtime.training.regularizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Regularizer validation and gradient accumulation. (Values against Keras: see the fixture tests.) */
class RegularizerTest {
    @Test
    void factorsMustBeNonNegativeAndFinite() {
        assertThrows(IllegalArgumentException.class, () -> new L2(-0.1));
        assertThrows(IllegalArgumentException.class, () -> new L1(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> new L1L2(0.1, Double.NaN));
    }

    @Test
    void gradientsAddToWhatIsThereWithTheUpstreamScale() {
        float[] w = {1f, -2f, 0f};
        float[] g = {1f, 1f, 1f};
        new L1L2(0.5, 0.25).addGradient(w, g, 2f);
        // 2 * (0.5 sign(w) + 0.25 * 2w), sign(0) = 0
        assertArrayEquals(new float[] {1f + 2f, 1f + (-1f - 2f), 1f}, g);
        assertEquals(0f, new L1L2(0, 0).value(w));
        assertThrows(IllegalArgumentException.class, () -> new L2(0.1).addGradient(w, new float[2]));
    }
}
