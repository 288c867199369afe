package org.jkeras.keras.security;

import org.jkeras.keras.KerasModels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * NaN and infinities in inputs go through every activation and every recurrent layer as in Keras (recorded by
 * {@code make_malformed.py}): NaN propagates (relu(NaN) is NaN), and an infinite input gives the finite values
 * Keras gives where saturating gates absorb it. Runs on the Vector API kernels and, in the scalar-kernel
 * Surefire execution, on the scalar ones: zero padding of the vector kernels must not change any value (an
 * infinity times a padded zero weight is NaN).
 */
class SpecialValuesTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"special_activations.keras", "special_recurrent.keras"})
    void nanAndInfinitiesGiveKerasValues(String file) {
        MalformedFiles.assertAllOutputsLikeKeras(file, KerasModels.load(MalformedFiles.file(file)));
    }
}
