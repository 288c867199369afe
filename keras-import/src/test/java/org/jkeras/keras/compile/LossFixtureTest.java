package org.jkeras.keras.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.stream.Stream;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.training.loss.Huber;
import org.jkeras.runtime.training.loss.Loss;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Every loss case of the Keras training fixtures: the loss built from Keras's serialized config
 * gives Keras's value and {@code dloss/dy_pred}; for the logits-shortcut cases, {@link Loss#onLogits}
 * on the logits gives Keras's value and {@code dloss/dlogits}. Configs round-trip.
 */
class LossFixtureTest {
    static Stream<Arguments> cases() {
        return TrainingUnits.arguments("loss");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void valueAndGradientMatchKeras(String id, JsonNode c) {
        Loss loss = LossConfigs.fromKeras(c.get("loss"), id);
        JsonAssert.assertSameJson(c.get("loss"), LossConfigs.toKerasConfig(loss), id + " round trip");
        String family = c.get("family").asString();
        if (family.startsWith("huber_delta_")) {
            // Keras's Huber.get_config omits delta, so the config cannot carry it: the case id does.
            assertEquals(1.0, ((Huber) loss).delta(), id + ": a Huber config without delta means delta 1 in Keras");
            double delta = Double.parseDouble(family.substring("huber_delta_".length()).replace('_', '.'));
            loss = new Huber(delta, loss.name(), loss.reduction());
        }
        Tensor yTrue = TrainingUnits.array(c.get("y_true").asString());
        Tensor yPred = TrainingUnits.array(c.get("y_pred").asString());
        JsonNode sw = c.get("sample_weight");
        Tensor weights = sw == null || sw.isNull() ? null : TrainingUnits.array(sw.asString());
        JsonNode logits = c.get("logits");
        Tensor input = yPred;
        if (logits != null && !logits.isNull()) {
            Optional<Loss> onLogits = loss.onLogits(yTrue.shape(), yPred.shape());
            assertTrue(onLogits.isPresent(), id + ": Keras computes this loss from the logits");
            loss = onLogits.get();
            input = TrainingUnits.array(logits.asString());
        }
        loss.checkTargets(yTrue, input.shape());
        float[] grad = new float[input.size()];
        float value = loss.compute(yTrue, input, weights, grad);
        double atol = c.get("tolerances").get("atol").asDouble();
        double rtol = c.get("tolerances").get("rtol").asDouble();
        float expected = TrainingUnits.array(c.get("value").asString()).data()[0];
        assertEquals(expected, value, atol + rtol * Math.abs(expected), id + " value");
        assertEquals(value, loss.compute(yTrue, input, weights, null), 0f, id + " value without gradient");
        double worst = TrainingUnits.assertClose(TrainingUnits.array(c.get("grad").asString()).data(), grad, atol, rtol,
                id + " gradient");
        System.out.printf("%s: |value diff| = %.3g, max |grad diff| = %.3g%n", id, Math.abs(value - expected), worst);
    }
}
