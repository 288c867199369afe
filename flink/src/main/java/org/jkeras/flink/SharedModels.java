package org.jkeras.flink;

import java.util.concurrent.ConcurrentHashMap;
import org.jkeras.runtime.Model;

/**
 * One loaded {@link Model} per model spec per JVM: every task slot of a task manager and every key
 * they hold share it (a {@code Model} is immutable and thread-safe); per key only the recurrent
 * state is kept. Loaded on first use and kept while the task manager lives (a
 * handful of model versions at most).
 */
final class SharedModels {
    private static final ConcurrentHashMap<String, Model> MODELS = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<String, Integer> LOADS = new ConcurrentHashMap<>();

    private SharedModels() {
    }

    static Model get(ModelSpec spec) {
        return MODELS.computeIfAbsent(spec.cacheKey(), k -> {
            LOADS.merge(k, 1, Integer::sum);
            return spec.load();
        });
    }

    /** How often this JVM has loaded the spec's model (for tests: once, however many slots and keys). */
    static int loads(ModelSpec spec) {
        return LOADS.getOrDefault(spec.cacheKey(), 0);
    }
}
