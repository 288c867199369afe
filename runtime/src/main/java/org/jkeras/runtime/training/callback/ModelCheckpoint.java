package org.jkeras.runtime.training.callback;

import java.util.Map;
import java.util.function.BiConsumer;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.training.Callback;
import org.jkeras.runtime.training.FitProgress;

/**
 * Keras's {@code ModelCheckpoint} at epoch granularity: after each epoch hands a snapshot of the model
 * to a saver (e.g. {@code (m, epoch) -> KerasModels.save(m, dir.resolve("epoch" + epoch + ".keras"))},
 * since the runtime does not know file formats), every epoch or only when the monitored value improved
 * ({@code saveBestOnly}, strictly better, as in Keras).
 */
public final class ModelCheckpoint implements Callback {
    private final BiConsumer<Model, Integer> saver;
    private final String monitor;
    private final boolean saveBestOnly;
    private final boolean maximize;
    private Double best;

    /**
     * Saves after every epoch.
     *
     * @param saver called with the snapshot and the epoch (from 0); it does the writing
     */
    public ModelCheckpoint(BiConsumer<Model, Integer> saver) {
        this(saver, "val_loss", false, false);
    }

    /**
     * Saves after every epoch, or with {@code saveBestOnly} only after epochs that improve {@code monitor}.
     *
     * @param saver called with the snapshot and the epoch (from 0); it does the writing
     * @param monitor the log entry compared with {@code saveBestOnly}, e.g. {@code val_loss}
     * @param saveBestOnly Keras's {@code save_best_only}: save only when {@code monitor} is strictly better than
     *                     at every earlier save
     * @param maximize true when larger values of {@code monitor} are better
     */
    public ModelCheckpoint(BiConsumer<Model, Integer> saver, String monitor, boolean saveBestOnly, boolean maximize) {
        this.saver = saver;
        this.monitor = monitor;
        this.saveBestOnly = saveBestOnly;
        this.maximize = maximize;
    }

    @Override
    public void onTrainBegin(FitProgress fit) {
        best = null;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs, FitProgress fit) {
        if (saveBestOnly) {
            Double current = logs.get(monitor);
            if (current == null) {
                throw new IllegalArgumentException("ModelCheckpoint monitors '" + monitor + "', which is not logged"
                        + " (logged: " + logs.keySet() + ")");
            }
            if (best != null && !(maximize ? current > best : current < best)) {
                return;
            }
            best = current;
        }
        saver.accept(fit.snapshot(), epoch);
    }
}
