package org.jkeras.runtime.training.schedule;

import org.jkeras.runtime.tensor.Float32;

/**
 * Keras's {@code CosineDecay}: an optional linear warmup from {@code initial_learning_rate} to
 * {@code warmup_target} over {@code warmup_steps}, then
 * {@code from * ((1 - alpha) * 0.5 * (1 + cos(pi * t / decay_steps)) + alpha)} with {@code t}
 * capped at {@code decay_steps} and {@code from} the warmup target (or the initial rate without
 * warmup). Float32 throughout, as Keras.
 *
 * @param initialLearningRate the rate at step 0
 * @param decaySteps          > 0
 * @param alpha               the final rate as a fraction of {@code from} (default 0)
 * @param warmupTarget        the rate reached after warmup, or null for no warmup
 * @param warmupSteps         steps of warmup (default 0)
 * @param name                Keras's name field (default {@code "CosineDecay"})
 */
public record CosineDecay(double initialLearningRate, double decaySteps, double alpha, Double warmupTarget,
                          double warmupSteps, String name) implements LearningRateSchedule {
    /** Validates like Keras. */
    public CosineDecay {
        LearningRateSchedule.checkFinite("initial_learning_rate", initialLearningRate);
        LearningRateSchedule.checkPositive("decay_steps", decaySteps);
        LearningRateSchedule.checkFinite("alpha", alpha);
        if (warmupTarget != null) {
            LearningRateSchedule.checkFinite("warmup_target", warmupTarget);
        }
        if (!(warmupSteps >= 0)) {
            throw new IllegalArgumentException("Argument `warmup_steps` must be >= 0, got " + warmupSteps);
        }
        name = name == null ? "CosineDecay" : name;
    }

    /**
     * Without warmup, alpha 0.
     *
     * @param initialLearningRate Keras's {@code initial_learning_rate}, the rate at step 0
     * @param decaySteps Keras's {@code decay_steps}, {@code > 0}: steps from the full rate to {@code alpha} of it
     */
    public CosineDecay(double initialLearningRate, double decaySteps) {
        this(initialLearningRate, decaySteps, 0.0, null, 0, null);
    }

    @Override
    public String kind() {
        return "CosineDecay";
    }

    @Override
    public float rate(long step) {
        LearningRateSchedule.checkStep(step);
        float initial = (float) initialLearningRate;
        float steps = (float) decaySteps;
        float s = (float) step;
        if (warmupTarget == null) {
            return decay(Math.min(s, steps), steps, initial);
        }
        float target = (float) (double) warmupTarget;
        float warmup = (float) warmupSteps;
        s = Math.min(s, steps + warmup);
        if (s < warmup) {
            float completed = s / warmup;
            float delta = target - initial;
            return delta * completed + initial;
        }
        return decay(s - warmup, steps, target);
    }

    private float decay(float s, float steps, float from) {
        float completed = s / steps;
        float cosine = 0.5f * (1f + Float32.cos((float) Math.PI * completed));
        // (1 - alpha) is a Python double product before Keras casts it to float32.
        float decayed = (float) (1.0 - alpha) * cosine + (float) alpha;
        return from * decayed;
    }
}
