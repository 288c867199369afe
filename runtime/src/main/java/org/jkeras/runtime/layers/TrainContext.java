package org.jkeras.runtime.layers;

import java.util.SplittableRandom;

/**
 * Per-call facts of a training forward pass, passed explicitly to each layer as Keras passes
 * {@code training} to {@code call}: whether training-only behaviour (dropout, noise) is on, the
 * random source for its masks, and the carried recurrent state of a stateful layer.
 *
 * @param training true to apply dropout and noise as Keras does in {@code fit}
 * @param random   the source of dropout masks and noise (seeded by the trainer, so runs repeat)
 * @param states   for a recurrent layer: its state arrays ([batch, units] each), read as the initial
 *                 state and overwritten with the final one; null to start from zero. Gradients do not
 *                 flow into them (truncated backpropagation through time, like Keras's stateful fit)
 * @param threads  how many threads a layer's training kernels may use (at least 1); the results are the same
 *                 for any count
 */
public record TrainContext(boolean training, SplittableRandom random, float[][] states, int threads) {
    /** Validates the thread count. */
    public TrainContext {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
    }

    /**
     * A context on one thread.
     *
     * @param training true to apply dropout and noise
     * @param random   the source of dropout masks and noise
     * @param states   carried recurrent states ([batch, units] each), or null to start from zero
     */
    public TrainContext(boolean training, SplittableRandom random, float[][] states) {
        this(training, random, states, 1);
    }

    /**
     * A context for layers without state: training on, masks from {@code random}.
     *
     * @param random the source of dropout masks and noise
     * @return a one-thread context without carried states
     */
    public static TrainContext training(SplittableRandom random) {
        return new TrainContext(true, random, null);
    }

    /**
     * This context with other carried states.
     *
     * @param newStates the states to carry ([batch, units] each), or null for zero
     * @return a new context; training flag, random source and thread count kept
     */
    public TrainContext withStates(float[][] newStates) {
        return new TrainContext(training, random, newStates, threads);
    }
}
