package org.jkeras.runtime.training.schedule;

import java.util.List;

/**
 * {@code values[0]} while {@code step <= boundaries[0]}, {@code values[i]} while
 * {@code boundaries[i-1] < step <= boundaries[i]}, {@code values[n]} after the last boundary:
 * Keras's {@code PiecewiseConstantDecay}. As in Keras the boundaries are compared with the
 * integer step after conversion to the step's integer type (a fractional boundary truncates
 * toward zero), and the result is Keras's sum of indicator-times-value in float32.
 *
 * @param boundaries strictly increasing step numbers, one fewer than {@code values}
 * @param values     the learning rates
 * @param name       Keras's name field (default {@code "PiecewiseConstant"})
 */
public record PiecewiseConstantDecay(List<Double> boundaries, List<Double> values, String name)
        implements LearningRateSchedule {
    /** Validates like Keras and copies the lists. */
    public PiecewiseConstantDecay {
        boundaries = List.copyOf(boundaries);
        values = List.copyOf(values);
        if (boundaries.size() != values.size() - 1) {
            throw new IllegalArgumentException("The length of boundaries should be 1 less than the length of values."
                    + " Received: boundaries=" + boundaries + " of length " + boundaries.size() + ", and values="
                    + values + " of length " + values.size() + ".");
        }
        if (boundaries.isEmpty()) {
            throw new IllegalArgumentException("PiecewiseConstantDecay needs at least one boundary, got none");
        }
        for (double b : boundaries) {
            LearningRateSchedule.checkFinite("boundaries", b);
        }
        name = name == null ? "PiecewiseConstant" : name;
    }

    @Override
    public String kind() {
        return "PiecewiseConstantDecay";
    }

    @Override
    public float rate(long step) {
        LearningRateSchedule.checkStep(step);
        int n = boundaries.size();
        // Keras: result = 0; += (step <= b0) * v0; += (step > b_last) * v_last; += in-range * v_i.
        float result = 0f;
        result += (step <= bound(0) ? 1f : 0f) * (float) (double) values.get(0);
        result += (step > bound(n - 1) ? 1f : 0f) * (float) (double) values.get(n);
        for (int i = 0; i < n - 1; i++) {
            boolean inRange = step > bound(i) && step <= bound(i + 1);
            result += (inRange ? 1f : 0f) * (float) (double) values.get(i + 1);
        }
        return result;
    }

    /** Boundary {@code i} as Keras compares it: converted to float32 if fractional, then truncated. */
    private long bound(int i) {
        double b = boundaries.get(i);
        return b == Math.rint(b) ? (long) b : (long) (float) b;
    }
}
