package org.jkeras.keras.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.jkeras.runtime.training.regularizer.Regularizer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** Every regularizer case of the Keras training fixtures: penalty, gradient and config round trip. */
class RegularizerFixtureTest {
    static Stream<Arguments> cases() {
        return TrainingUnits.arguments("regularizer");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void valueAndGradientMatchKeras(String id, JsonNode c) {
        Regularizer r = RegularizerConfigs.fromKeras(c.get("regularizer"), id);
        JsonAssert.assertSameJson(c.get("regularizer"), RegularizerConfigs.toKerasConfig(r), id + " round trip");
        float[] w = TrainingUnits.array(c.get("weight").asString()).data();
        double atol = c.get("tolerances").get("atol").asDouble();
        double rtol = c.get("tolerances").get("rtol").asDouble();
        float expected = TrainingUnits.array(c.get("value").asString()).data()[0];
        float value = r.value(w);
        assertEquals(expected, value, atol + rtol * Math.abs(expected), id + " value");
        float[] grad = new float[w.length];
        r.addGradient(w, grad);
        double worst = TrainingUnits.assertClose(TrainingUnits.array(c.get("grad").asString()).data(), grad, atol, rtol,
                id + " gradient");
        System.out.printf("%s: |value diff| = %.3g, max |grad diff| = %.3g%n", id, Math.abs(value - expected), worst);
    }
}
