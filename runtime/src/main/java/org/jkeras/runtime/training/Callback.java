package org.jkeras.runtime.training;

import java.util.Map;

/**
 * Hooks into {@link Fit}, called on the training thread as Keras calls its callbacks. The logs are
 * Keras's: {@code loss} and each metric as running means over the epoch so far (at batch end) or over
 * the epoch (at epoch end, plus {@code val_...} entries when there is validation data). Every method
 * does nothing by default.
 */
public interface Callback {
    /** Before the first epoch. */
    default void onTrainBegin(FitProgress fit) {
    }

    /** Before each epoch ({@code epoch} counts from 0). */
    default void onEpochBegin(int epoch, FitProgress fit) {
    }

    /** After each training step ({@code batch} counts from 0 within the epoch). */
    default void onBatchEnd(int epoch, int batch, Map<String, Double> logs, FitProgress fit) {
    }

    /** After each epoch, with its training and validation results. */
    default void onEpochEnd(int epoch, Map<String, Double> logs, FitProgress fit) {
    }

    /** After the last epoch (also after an early stop), with the last epoch's logs. */
    default void onTrainEnd(Map<String, Double> logs, FitProgress fit) {
    }
}
