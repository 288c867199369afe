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

    /** Epochs the fit was asked for. */
    public int epochs() {
        return epochs;
    }

    /** Training steps (batches) per epoch. */
    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    /** Training samples per epoch (after any validation split). */
    public int samples() {
        return samples;
    }

    /** The trainer: current weights, gradients, optimizer state. */
    public Trainer trainer() {
        return trainer;
    }

    /** An immutable model of the current weights. */
    public Model snapshot() {
        return trainer.snapshot();
    }

    /** Ends the fit after the current step (Keras's {@code model.stop_training = True}). */
    public void stopTraining() {
        stopRequested = true;
    }

    /** True once {@link #stopTraining()} was called. */
    public boolean stopRequested() {
        return stopRequested;
    }

    /** A copy of every weight now, to restore later with {@link #restoreWeights}. */
    public Parameters saveWeights() {
        Parameters copy = new Parameters(trainer.source(), java.util.Set.of());
        copy.copyFrom(trainer.parameters());
        return copy;
    }

    /** Puts back weights saved with {@link #saveWeights} (Keras's {@code set_weights}). */
    public void restoreWeights(Parameters saved) {
        trainer.parameters().copyFrom(saved);
    }
}
