package org.jkeras.runtime.training;

import java.util.Map;

/**
 * Hooks into {@link Fit}, called on the training thread as Keras calls its callbacks. The logs are
 * Keras's: {@code loss} and each metric as running means over the epoch so far (at batch end) or over
 * the epoch (at epoch end, plus {@code val_...} entries when there is validation data). Every method
 * does nothing by default.
 */
public interface Callback {
    /**
     * Before the first epoch.
     *
     * @param fit the run's progress: epoch and step counts, the trainer, and a way to ask the fit to stop
     */
    default void onTrainBegin(FitProgress fit) {
    }

    /**
     * Before each epoch ({@code epoch} counts from 0).
     *
     * @param epoch the epoch about to start, from 0
     * @param fit the run's progress: epoch and step counts, the trainer, and a way to ask the fit to stop
     */
    default void onEpochBegin(int epoch, FitProgress fit) {
    }

    /**
     * After each training step ({@code batch} counts from 0 within the epoch).
     *
     * @param epoch the current epoch, from 0
     * @param batch the step just finished, from 0 within the epoch
     * @param logs running means over the epoch's batches so far, by Keras name (e.g. {@code loss})
     * @param fit the run's progress: epoch and step counts, the trainer, and a way to ask the fit to stop
     */
    default void onBatchEnd(int epoch, int batch, Map<String, Double> logs, FitProgress fit) {
    }

    /**
     * After each epoch, with its training and validation results.
     *
     * @param epoch the epoch just finished, from 0
     * @param logs the epoch's means by Keras name ({@code loss}, metrics, {@code val_...})
     * @param fit the run's progress: epoch and step counts, the trainer, and a way to ask the fit to stop
     */
    default void onEpochEnd(int epoch, Map<String, Double> logs, FitProgress fit) {
    }

    /**
     * After the last epoch (also after an early stop), with the last epoch's logs.
     *
     * @param logs the last epoch's logs by Keras name (empty if no epoch ran)
     * @param fit the run's progress: epoch and step counts, the trainer, and a way to ask the fit to stop
     */
    default void onTrainEnd(Map<String, Double> logs, FitProgress fit) {
    }
}
