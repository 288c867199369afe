package org.jkeras.runtime.training;

import org.jkeras.runtime.Model;

/**
 * What a {@link Callback} sees of a running {@link Fit} and may do to it: the plan (epochs, steps per
 * epoch), the trainer (current weights, optimizer state, learning rate), stopping, and saving or
 * restoring weights.
 */
public final class FitProgress {
    private final Trainer trainer;
    private final int epochs;
    private final int stepsPerEpoch;
    private final int samples;
    private volatile boolean stopRequested;

    FitProgress(Trainer trainer, int epochs, int stepsPerEpoch, int samples) {
        this.trainer = trainer;
        this.epochs = epochs;
        this.stepsPerEpoch = stepsPerEpoch;
        this.samples = samples;
    }

    /**
     * Epochs the fit was asked for.
     *
     * @return the number of epochs requested, at least 1; fewer run if the fit stops early
     */
    public int epochs() {
        return epochs;
    }

    /**
     * Training steps (batches) per epoch.
     *
     * @return the number of batches per epoch, {@code ceil(samples / batchSize)}
     */
    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    /**
     * Training samples per epoch (after any validation split).
     *
     * @return the number of training samples
     */
    public int samples() {
        return samples;
    }

    /**
     * The trainer: current weights, gradients, optimizer state.
     *
     * @return the live trainer; use it from the callback only, on the training thread
     */
    public Trainer trainer() {
        return trainer;
    }

    /**
     * An immutable model of the current weights.
     *
     * @return a new model; later steps do not change it
     */
    public Model snapshot() {
        return trainer.snapshot();
    }

    /** Ends the fit after the current step (Keras's {@code model.stop_training = True}). */
    public void stopTraining() {
        stopRequested = true;
    }

    /**
     * True once {@link #stopTraining()} was called.
     *
     * @return true if a stop was requested through this object
     */
    public boolean stopRequested() {
        return stopRequested;
    }

    /**
     * A copy of every weight now, to restore later with {@link #restoreWeights}.
     *
     * @return new parameters holding a copy of the current weights (not gradients)
     */
    public Parameters saveWeights() {
        Parameters copy = new Parameters(trainer.source(), java.util.Set.of());
        copy.copyFrom(trainer.parameters());
        return copy;
    }

    /**
     * Puts back weights saved with {@link #saveWeights} (Keras's {@code set_weights}).
     *
     * @param saved weights from {@link #saveWeights} of this same fit
     */
    public void restoreWeights(Parameters saved) {
        trainer.parameters().copyFrom(saved);
    }
}
