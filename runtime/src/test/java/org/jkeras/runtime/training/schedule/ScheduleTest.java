package org.jkeras.runtime.training.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Schedule validation as Keras's constructors do it, and Keras's default names. (Values: see the fixture tests.) */
class ScheduleTest {
    @Test
    void invalidArgumentsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ExponentialDecay(0.1, 0, 0.5));
        assertTrue(e.getMessage().contains("decay_steps"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CosineDecay(0.1, -1));
        assertThrows(IllegalArgumentException.class, () -> new PiecewiseConstantDecay(List.of(1.0), List.of(0.1), null));
        assertThrows(IllegalArgumentException.class, () -> new InverseTimeDecay(Double.NaN, 1, 1, false, null));
        assertThrows(IllegalArgumentException.class, () -> new ExponentialDecay(0.1, 10, 0.5).rate(-1));
    }

    @Test
    void defaultNamesAreKeras() {
        assertEquals("ExponentialDecay", new ExponentialDecay(0.1, 10, 0.5).name());
        assertEquals("CosineDecay", new CosineDecay(0.1, 10).name());
        assertEquals("PiecewiseConstant", new PiecewiseConstantDecay(List.of(1.0), List.of(0.1, 0.2), null).name());
        assertEquals("SGDRDecay", new CosineDecayRestarts(0.1, 10, 2, 1, 0, null).name());
        assertEquals("PolynomialDecay", new PolynomialDecay(0.1, 10, 1e-4, 1, false, null).name());
    }

    @Test
    void piecewiseBoundariesIncludeTheirStep() {
        PiecewiseConstantDecay p = new PiecewiseConstantDecay(List.of(2.0, 4.0), List.of(0.5, 0.25, 0.125), null);
        assertEquals(0.5f, p.rate(2));
        assertEquals(0.25f, p.rate(3));
        assertEquals(0.25f, p.rate(4));
        assertEquals(0.125f, p.rate(5));
    }
}
