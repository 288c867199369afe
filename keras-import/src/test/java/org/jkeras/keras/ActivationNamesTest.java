package org.jkeras.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.jkeras.keras.KerasVersion;
import org.jkeras.keras.translate.ActivationNames;
import org.jkeras.runtime.tensor.Activation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Activation names as configs spell them map to the runtime functions Keras meant. */
class ActivationNamesTest {
    @ParameterizedTest
    @CsvSource({
        "1.2.2, HARD_SIGMOID_LEGACY", "2.0.8, HARD_SIGMOID_LEGACY", "2.2.4-tf, HARD_SIGMOID_LEGACY",
        "2.21.0, HARD_SIGMOID_LEGACY", "3.0.0, HARD_SIGMOID", "3.15.1, HARD_SIGMOID",
    })
    void hardSigmoidMeansWhatTheWritingKerasVersionMeant(String version, Activation expected) {
        assertEquals(expected, ActivationNames.byName("hard_sigmoid", KerasVersion.parse(version)));
    }

    @ParameterizedTest
    @CsvSource({
        "swish, SILU", "silu, SILU", "hard_swish, HARD_SILU", "hard_silu, HARD_SILU", "linear, LINEAR",
        "relu6, RELU6", "log_softmax, LOG_SOFTMAX", "gelu, GELU", "tanh_shrink, TANH_SHRINK",
        "sparse_plus, SPARSE_PLUS", "squareplus, SQUAREPLUS", "celu, CELU", "mish, MISH", "selu, SELU",
    })
    void aliasesMapToOneFunction(String name, Activation expected) {
        assertEquals(expected, ActivationNames.byName(name, KerasVersion.parse("3.15.1")));
    }

    @Test
    void unknownNameIsNotGuessed() {
        assertNull(ActivationNames.byName("maxout", KerasVersion.parse("3.15.1")));
    }

    @Test
    void recurrentActivationDefaultFollowsTheKerasVersion() {
        assertEquals("hard_sigmoid", KerasVersion.parse("1.2.2").defaultRecurrentActivation());
        assertEquals("hard_sigmoid", KerasVersion.parse("2.1.3").defaultRecurrentActivation());
        assertEquals("sigmoid", KerasVersion.parse("2.21.0").defaultRecurrentActivation());
        assertEquals("sigmoid", KerasVersion.parse("3.15.1").defaultRecurrentActivation());
    }
}
