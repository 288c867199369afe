package org.jkeras.runtime.training.schedule;

import org.jkeras.runtime.tensor.Float32;

/**
 * {@code (initial - end) * (1 - step / decay_steps) ^ power + end} with the step capped at
 * {@code decay_steps}, or, when {@code cycle}, {@code decay_steps} stretched to the first
 * multiple above the step: Keras's {@code PolynomialDecay} in float32.
 *
 * @param initialLearningRate the rate at step 0
 * @param decaySteps          > 0
 * @param endLearningRate     the final rate (Keras default 0.0001)
 * @param power               the polynomial's power (default 1)
 * @param cycle               restart after {@code decaySteps}
 * @param name                Keras's name field (default {@code "PolynomialDecay"})
 */
public record PolynomialDecay(double initialLearningRate, double decaySteps, double endLearningRate,
                              double power, boolean cycle, String name) implements LearningRateSchedule {
    /** Validates like Keras. */
    public PolynomialDecay {
        LearningRateSchedule.checkFinite("initial_learning_rate", initialLearningRate);
        LearningRateSchedule.checkPositive("decay_steps", decaySteps);
        LearningRateSchedule.checkFinite("end_learning_rate", endLearningRate);
        LearningRateSchedule.checkFinite("power", power);
        name = name == null ? "PolynomialDecay" : name;
    }

    @Override
    public String kind() {
        return "PolynomialDecay";
    }

    @Override
    public float rate(long step) {
        LearningRateSchedule.checkStep(step);
        float initial = (float) initialLearningRate;
        float end = (float) endLearningRate;
        float s = (float) step;
        float steps = (float) decaySteps;
        if (cycle) {
            // Keras divides by the Python decay_steps here, which float32 conversion makes the same.
            float multiplier = s == 0f ? 1f : (float) Math.ceil(s / (float) decaySteps);
            steps = steps * multiplier;
        } else {
            s = Math.min(s, steps);
        }
        float p = s / steps;
        return (initial - end) * Float32.pow(1f - p, (float) power) + end;
    }
}
