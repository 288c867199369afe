package org.jkeras.runtime.training.schedule;

import org.jkeras.runtime.tensor.Float32;

/**
 * {@code initial_learning_rate * decay_rate ^ (step / decay_steps)}, with the exponent floored
 * when {@code staircase}: Keras's {@code ExponentialDecay}, every value cast to float32 first.
 *
 * @param initialLearningRate the rate at step 0
 * @param decaySteps          > 0
 * @param decayRate           the factor per {@code decaySteps}
 * @param staircase           decay at discrete intervals
 * @param name                Keras's name field (default {@code "ExponentialDecay"})
 */
public record ExponentialDecay(double initialLearningRate, double decaySteps, double decayRate,
                               boolean staircase, String name) implements LearningRateSchedule {
    /** Validates like Keras. */
    public ExponentialDecay {
        LearningRateSchedule.checkFinite("initial_learning_rate", initialLearningRate);
        LearningRateSchedule.checkPositive("decay_steps", decaySteps);
        LearningRateSchedule.checkFinite("decay_rate", decayRate);
        name = name == null ? "ExponentialDecay" : name;
    }

    /**
     * With Keras's defaults: not staircase, default name.
     *
     * @param initialLearningRate Keras's {@code initial_learning_rate}, the rate at step 0
     * @param decaySteps Keras's {@code decay_steps}, {@code > 0}
     * @param decayRate Keras's {@code decay_rate}: the factor applied per {@code decaySteps} steps
     */
    public ExponentialDecay(double initialLearningRate, double decaySteps, double decayRate) {
        this(initialLearningRate, decaySteps, decayRate, false, null);
    }

    @Override
    public String kind() {
        return "ExponentialDecay";
    }

    @Override
    public float rate(long step) {
        LearningRateSchedule.checkStep(step);
        float p = (float) step / (float) decaySteps;
        if (staircase) {
            p = (float) Math.floor(p);
        }
        return (float) initialLearningRate * Float32.pow((float) decayRate, p);
    }
}
