package org.jkeras.runtime.training.callback;

import java.util.Map;
import org.jkeras.runtime.training.Callback;
import org.jkeras.runtime.training.FitProgress;
import org.jkeras.runtime.training.Parameters;

/**
 * Keras's {@code EarlyStopping}: stops the fit when the monitored value has not improved for
 * {@code patience} epochs, optionally restoring the weights of the best epoch at the end. The rules are
 * Keras 3's: an improvement is {@code current - minDelta < best} (or {@code >} when maximizing); the
 * first monitored epoch always improves; with a baseline the wait resets only when the baseline is
 * beaten; no stop at epoch 0; epochs before {@code startFromEpoch} are ignored; with
 * {@code restoreBestWeights} the weights of the best epoch (or of the first monitored epoch) are put
 * back at the end of training, whether or not it stopped early.
 */
public final class EarlyStopping implements Callback {
    /** Whether smaller or larger values are better. */
    public enum Mode {
        /** From the name: {@code ...accuracy} and {@code acc} are maximized, everything else minimized. */
        AUTO,
        /** Smaller is better. */
        MIN,
        /** Larger is better. */
        MAX
    }

    private final String monitor;
    private final double minDelta;
    private final int patience;
    private final Mode mode;
    private final Double baseline;
    private final boolean restoreBestWeights;
    private final int startFromEpoch;
    private int wait;
    private int stoppedEpoch;
    private Double best;
    private int bestEpoch;
    private Parameters bestWeights;

    /**
     * An early stop on {@code monitor} (e.g. {@code val_loss}) with Keras's other defaults: min_delta 0,
     * auto mode, no baseline, no restoring, start from epoch 0.
     *
     * @param monitor the log entry watched, e.g. {@code val_loss}; it must be logged at every epoch end
     * @param patience epochs without improvement before stopping, {@code >= 0}
     * @throws IllegalArgumentException if {@code patience < 0}
     */
    public EarlyStopping(String monitor, int patience) {
        this(monitor, 0, patience, Mode.AUTO, null, false, 0);
    }

    /**
     * Keras's full set of options.
     *
     * @param monitor the log entry watched, e.g. {@code val_loss}; it must be logged at every epoch end
     * @param minDelta Keras's {@code min_delta}: the least change that counts as improvement (its absolute value is
     *                 used)
     * @param patience epochs without improvement before stopping, {@code >= 0}
     * @param mode whether smaller or larger values are better
     * @param baseline the value to beat before the wait resets, or null
     * @param restoreBestWeights Keras's {@code restore_best_weights}: put back the best epoch's weights when training
     *                           ends
     * @param startFromEpoch Keras's {@code start_from_epoch}: epochs (from 0) before this one are not monitored
     * @throws IllegalArgumentException if {@code patience < 0}
     */
    public EarlyStopping(String monitor, double minDelta, int patience, Mode mode, Double baseline,
                         boolean restoreBestWeights, int startFromEpoch) {
        if (patience < 0) {
            throw new IllegalArgumentException("patience must be >= 0, got " + patience);
        }
        this.monitor = monitor;
        this.minDelta = Math.abs(minDelta);
        this.patience = patience;
        this.mode = mode;
        this.baseline = baseline;
        this.restoreBestWeights = restoreBestWeights;
        this.startFromEpoch = startFromEpoch;
    }

    @Override
    public void onTrainBegin(FitProgress fit) {
        wait = 0;
        stoppedEpoch = 0;
        best = null;
        bestWeights = null;
        bestEpoch = 0;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs, FitProgress fit) {
        Double current = logs.get(monitor);
        if (current == null) {
            throw new IllegalArgumentException("EarlyStopping monitors '" + monitor + "', which is not logged"
                    + " (logged: " + logs.keySet() + "); monitor a val_ value only when there is validation data");
        }
        if (epoch < startFromEpoch) {
            return;
        }
        if (restoreBestWeights && bestWeights == null) {
            bestWeights = fit.saveWeights();
            bestEpoch = epoch;
        }
        wait++;
        if (improves(current, best)) {
            best = current;
            bestEpoch = epoch;
            if (restoreBestWeights) {
                bestWeights = fit.saveWeights();
            }
            if (baseline == null || improves(current, baseline)) {
                wait = 0;
            }
            return;
        }
        if (wait >= patience && epoch > 0) {
            stoppedEpoch = epoch;
            fit.stopTraining();
        }
    }

    @Override
    public void onTrainEnd(Map<String, Double> logs, FitProgress fit) {
        if (restoreBestWeights && bestWeights != null) {
            fit.restoreWeights(bestWeights);
        }
    }

    /**
     * The epoch (from 0) at which training was stopped, or 0 when it was not.
     *
     * @return the stopping epoch, from 0; 0 if the fit ran all its epochs
     */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }

    /**
     * The epoch (from 0) with the best monitored value.
     *
     * @return the best epoch, from 0, of the last fit (0 before any)
     */
    public int bestEpoch() {
        return bestEpoch;
    }

    private boolean improves(double value, Double reference) {
        if (reference == null) {
            return true;
        }
        return maximize() ? value - minDelta > reference : value + minDelta < reference;
    }

    private boolean maximize() {
        if (mode != Mode.AUTO) {
            return mode == Mode.MAX;
        }
        String name = monitor.startsWith("val_") ? monitor.substring(4) : monitor;
        return name.endsWith("accuracy") || name.equals("acc");
    }
}
