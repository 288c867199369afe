package org.jkeras.keras.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.training.metric.Metric;
import org.jkeras.runtime.training.metric.Metrics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Every metric case of the Keras training fixtures: the running result after each batch, and
 * for {@code "accuracy"} the class Keras's compile resolved it to.
 */
class MetricFixtureTest {
    static Stream<Arguments> cases() {
        return TrainingUnits.arguments("metric");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void runningResultMatchesKeras(String id, JsonNode c) {
        JsonNode first = c.get("batches").get(0);
        Tensor yTrue0 = TrainingUnits.array(first.get("y_true").asString());
        Tensor yPred0 = TrainingUnits.array(first.get("y_pred").asString());
        JsonNode resolvedFrom = c.get("resolved_from");
        Metric m = resolvedFrom != null && !resolvedFrom.isNull()
                ? Metrics.resolve(resolvedFrom.asString(), yTrue0.shape(), yPred0.shape())
                : MetricConfigs.fromKeras(c.get("metric"), id, yTrue0.shape(), yPred0.shape());
        assertEquals(c.get("metric").get("class_name").asString(), m.kind(), id + " metric class");
        assertEquals(c.get("metric").get("config").get("name").asString(), m.name(), id + " metric name");
        double atol = c.get("tolerances").get("atol").asDouble();
        double rtol = c.get("tolerances").get("rtol").asDouble();
        int k = 0;
        for (JsonNode b : c.get("batches")) {
            JsonNode sw = b.get("sample_weight");
            m.update(TrainingUnits.array(b.get("y_true").asString()), TrainingUnits.array(b.get("y_pred").asString()),
                    sw == null || sw.isNull() ? null : TrainingUnits.array(sw.asString()));
            float expected = TrainingUnits.array(b.get("result").asString()).data()[0];
            assertEquals(expected, m.result(), atol + rtol * Math.abs(expected), id + " result after batch " + k);
            System.out.printf("%s batch %d: |result diff| = %.3g%n", id, k, Math.abs(m.result() - expected));
            k++;
        }
        m.reset();
        assertEquals(0.0, m.result(), id + " after reset");
    }
}
