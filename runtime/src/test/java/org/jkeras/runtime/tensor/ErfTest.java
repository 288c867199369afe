package org.jkeras.runtime.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * erf against Python's {@code math.erf} (printed with {@code repr}), at points in each of the
 * three ranges of Cody's approximation and at their borders (0.5, 4, 27).
 */
class ErfTest {
    @ParameterizedTest(name = "erf({0}) = {1}")
    @CsvSource({
        "0, 0.0",
        "0.3, 0.3286267594591274",
        "0.49, 0.511668261188523",
        "0.51, 0.5292436198411704",
        "1, 0.8427007929497149",
        "2, 0.9953222650189527",
        "3.5, 0.9999992569016276",
        "3.99, 0.9999999832607886",
        "4.01, 0.9999999858030606",
        "5, 0.9999999999984626",
        "26.9, 1.0",
        "30, 1.0",
    })
    void erfMatchesPythonMathErf(double x, double expected) {
        assertEquals(expected, Erf.erf(x), 1e-12, "erf(" + x + ")");
        assertEquals(-expected, Erf.erf(-x), 1e-12, "erf(" + -x + ")");
    }

    @Test
    void erfOfNanIsNanAndOfInfinityIsOne() {
        assertTrue(Double.isNaN(Erf.erf(Double.NaN)));
        assertEquals(1.0, Erf.erf(Double.POSITIVE_INFINITY), 0);
        assertEquals(-1.0, Erf.erf(Double.NEGATIVE_INFINITY), 0);
    }
}
