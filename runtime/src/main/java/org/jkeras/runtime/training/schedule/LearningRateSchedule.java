package org.jkeras.runtime.training.schedule;

/**
 * A learning rate as a function of the optimizer step, like Keras's
 * {@code LearningRateSchedule}: Keras calls it with the optimizer's {@code iterations} before
 * they are incremented, so the first update uses {@code rate(0)}. Implementations are immutable
 * and thread-safe.
 */
public interface LearningRateSchedule {
    /**
     * The Keras class name, e.g. {@code "ExponentialDecay"}.
     *
     * @return the class name as Keras registers it
     */
    String kind();

    /**
     * The schedule's {@code name} field (Keras's default names differ per class).
     *
     * @return the name saved in the schedule's Keras config
     */
    String name();

    /**
     * The learning rate at {@code step} (>= 0), in float32 as Keras computes it.
     *
     * @param step the optimizer's {@code iterations} before the update, {@code >= 0}
     * @throws IllegalArgumentException when {@code step} is negative
     * @return the learning rate for that update, float32
     */
    float rate(long step);

    /**
     * Checks a step argument; shared by the implementations.
     *
     * @param step the step to check
     * @throws IllegalArgumentException if {@code step < 0}
     */
    static void checkStep(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("learning-rate schedule step must be >= 0, got " + step);
        }
    }

    /**
     * Checks that a decay-steps argument is > 0, as Keras does, naming the argument.
     *
     * @param argument the Keras argument name for the error message, e.g. {@code decay_steps}
     * @param value the value to check
     * @throws IllegalArgumentException unless {@code value > 0} (NaN fails)
     */
    static void checkPositive(String argument, double value) {
        if (!(value > 0)) {
            throw new IllegalArgumentException("Argument `" + argument + "` must be > 0, got " + value);
        }
    }

    /**
     * Checks that a hyper-parameter is a finite number, naming it.
     *
     * @param argument the Keras argument name for the error message
     * @param value the value to check
     * @throws IllegalArgumentException if {@code value} is infinite or NaN
     */
    static void checkFinite(String argument, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("Argument `" + argument + "` must be a finite number, got " + value);
        }
    }
}
