package org.jkeras.runtime.training.schedule;

/**
 * {@code initial_learning_rate / (1 + decay_rate * step / decay_steps)}, the quotient floored
 * when {@code staircase}: Keras's {@code InverseTimeDecay} in float32. (It also reproduces the
 * learning rate of Keras 2's legacy {@code decay} argument with {@code decay_steps = 1}.)
 *
 * @param initialLearningRate the rate at step 0
 * @param decaySteps          > 0
 * @param decayRate           the decay factor
 * @param staircase           decay at discrete intervals
 * @param name                Keras's name field (default {@code "InverseTimeDecay"})
 */
public record InverseTimeDecay(double initialLearningRate, double decaySteps, double decayRate,
                               boolean staircase, String name) implements LearningRateSchedule {
    /** Validates like Keras. */
    public InverseTimeDecay {
        LearningRateSchedule.checkFinite("initial_learning_rate", initialLearningRate);
        LearningRateSchedule.checkPositive("decay_steps", decaySteps);
        LearningRateSchedule.checkFinite("decay_rate", decayRate);
        name = name == null ? "InverseTimeDecay" : name;
    }

    @Override
    public String kind() {
        return "InverseTimeDecay";
    }

    @Override
    public float rate(long step) {
        LearningRateSchedule.checkStep(step);
        float p = (float) step / (float) decaySteps;
        if (staircase) {
            p = (float) Math.floor(p);
        }
        return (float) initialLearningRate / (1f + (float) decayRate * p);
    }
}
