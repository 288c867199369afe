package org.jkeras.keras.compile;

import java.util.stream.Stream;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.training.schedule.LearningRateSchedule;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** Every schedule case of the Keras training fixtures: the rate at steps 0..30 and the config round trip. */
class ScheduleFixtureTest {
    static Stream<Arguments> cases() {
        return TrainingUnits.arguments("schedule");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyStepMatchesKeras(String id, JsonNode c) {
        LearningRateSchedule s = ScheduleConfigs.fromKeras(c.get("schedule"), id);
        JsonAssert.assertSameJson(c.get("schedule"), ScheduleConfigs.toKerasConfig(s), id + " round trip");
        Tensor expected = TrainingUnits.array(c.get("learning_rates").asString());
        float[] actual = new float[expected.size()];
        for (int n = 0; n < actual.length; n++) {
            actual[n] = s.rate(n);
        }
        double worst = TrainingUnits.assertClose(expected.data(), actual, c.get("tolerances").get("atol").asDouble(),
                c.get("tolerances").get("rtol").asDouble(), id + " learning rates");
        System.out.printf("%s: max |java - keras| = %.3g%n", id, worst);
    }
}
