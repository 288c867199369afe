package org.jkeras.flink.example;

import java.io.Serial;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.jkeras.flink.StepEvent;

/**
 * A deterministic stream of {@link StepEvent}s for the example job and the tests: event {@code i}
 * belongs to key {@code "k" + (i % keys)} and is that key's event number {@code i / keys}; it holds
 * 1 to 3 time steps of values in {@code [-1, 1)} that depend only on (key, event number), and every
 * fifth event of every thirteenth key also resets the key first. Its {@code seq} is {@code i}.
 * Replaying an index gives the same event, as a checkpointed source needs.
 */
public final class SyntheticSteps implements GeneratorFunction<Long, StepEvent> {
    @Serial
    private static final long serialVersionUID = 1L;
    private final int keys;
    private final int features;

    /** Events for {@code keys} streams of a model with {@code features} input features. */
    public SyntheticSteps(int keys, int features) {
        if (keys < 1 || features < 1) {
            throw new IllegalArgumentException("keys and features must be >= 1, got " + keys + ", " + features);
        }
        this.keys = keys;
        this.features = features;
    }

    @Override
    public StepEvent map(Long index) {
        return event(index);
    }

    /** Event number {@code index} of the stream. */
    public StepEvent event(long index) {
        int key = (int) (index % keys);
        long round = index / keys;
        int steps = 1 + (int) Math.floorMod(key * 7L + round, 3L);
        float[] x = new float[steps * features];
        long h = mix(key * 0x9E3779B97F4A7C15L ^ round);
        for (int j = 0; j < x.length; j++) {
            h = mix(h + j + 1);
            x[j] = (float) ((h >>> 40) / (double) (1L << 23) - 1.0); // [-1, 1), exact in float
        }
        boolean reset = round % 5 == 4 && key % 13 == 0;
        return new StepEvent("k" + key, index, x, reset);
    }

    private static long mix(long z) { // SplitMix64's finalizer
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
