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

    private SharedModels() {
    }

    static Model get(ModelSpec spec) {
        return MODELS.computeIfAbsent(spec.cacheKey(), k -> spec.load());
    }

    /** How many distinct models this JVM holds (for tests: shared, not copied per slot). */
    static int loaded() {
        return MODELS.size();
    }
}
