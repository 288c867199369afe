package org.jkeras.runtime.training.callback;

import org.jkeras.runtime.training.Callback;
import org.jkeras.runtime.training.FitProgress;
import org.jkeras.runtime.training.optimizer.OptimizerState;

/**
 * Keras's {@code LearningRateScheduler}: before each epoch sets the optimizer's learning rate to
 * {@code schedule(epoch, currentRate)}. Only for optimizers with a constant rate (Keras refuses to
 * overwrite a {@code LearningRateSchedule} too).
 */
public final class LearningRateScheduler implements Callback {
    /** The schedule: epoch (from 0) and current rate to the new rate. */
    @FunctionalInterface
    public interface Schedule {
        /**
         * The learning rate for {@code epoch}.
         *
         * @param epoch the epoch about to start, from 0
         * @param current the optimizer's learning rate now
         * @return the new learning rate; must be finite
         */
        double rate(int epoch, double current);
    }

    private final Schedule schedule;

    /**
     * A scheduler calling {@code schedule} before every epoch.
     *
     * @param schedule the function from epoch and current rate to the new rate
     */
    public LearningRateScheduler(Schedule schedule) {
        this.schedule = schedule;
    }

    @Override
    public void onEpochBegin(int epoch, FitProgress fit) {
        OptimizerState s = fit.trainer().optimizerState();
        double rate = schedule.rate(epoch, s.learningRate());
        if (!Double.isFinite(rate)) {
            throw new IllegalArgumentException("the learning-rate schedule returned " + rate + " for epoch " + epoch);
        }
        s.setLearningRate((float) rate);
    }
}
