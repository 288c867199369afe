package org.jkeras.runtime.training.schedule;

import org.jkeras.runtime.tensor.Float32;

/**
 * Keras's {@code CosineDecayRestarts} (SGDR): cosine decay from the initial rate to
 * {@code alpha} times it over {@code first_decay_steps}, then warm restarts whose length is
 * multiplied by {@code t_mul} and whose peak by {@code m_mul} each time. Float32 throughout, in
 * Keras's operation order.
 *
 * @param initialLearningRate the rate at step 0
 * @param firstDecaySteps     > 0
 * @param tMul                period multiplier (default 2)
 * @param mMul                peak multiplier (default 1)
 * @param alpha               minimum as a fraction of the initial rate (default 0)
 * @param name                Keras's name field (default {@code "SGDRDecay"})
 */
public record CosineDecayRestarts(double initialLearningRate, double firstDecaySteps, double tMul, double mMul,
                                  double alpha, String name) implements LearningRateSchedule {
    /** Validates like Keras. */
    public CosineDecayRestarts {
        LearningRateSchedule.checkFinite("initial_learning_rate", initialLearningRate);
        LearningRateSchedule.checkPositive("first_decay_steps", firstDecaySteps);
        LearningRateSchedule.checkFinite("t_mul", tMul);
        LearningRateSchedule.checkFinite("m_mul", mMul);
        LearningRateSchedule.checkFinite("alpha", alpha);
        name = name == null ? "SGDRDecay" : name;
    }

    @Override
    public String kind() {
        return "CosineDecayRestarts";
    }

    @Override
    public float rate(long step) {
        LearningRateSchedule.checkStep(step);
        float initial = (float) initialLearningRate;
        float first = (float) firstDecaySteps;
        float a = (float) alpha;
        float t = (float) tMul;
        float m = (float) mMul;
        float completed = (float) step / first;
        float restart;
        if (t == 1f) {
            restart = (float) Math.floor(completed);
            completed -= restart;
        } else {
            restart = (float) Math.floor(Float32.log(1f - completed * (1f - t)) / Float32.log(t));
            float sumR = (1f - Float32.pow(t, restart)) / (1f - t);
            completed = (completed - sumR) / Float32.pow(t, restart);
        }
        float mFac = Float32.pow(m, restart);
        float cosine = 0.5f * mFac * (1f + Float32.cos((float) Math.PI * completed));
        float decayed = (1f - a) * cosine + a;
        return initial * decayed;
    }
}
