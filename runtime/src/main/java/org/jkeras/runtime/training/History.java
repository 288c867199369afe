package org.jkeras.runtime.training;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras's {@code History}: each epoch's logs ({@code loss}, metrics, {@code val_...}) by name, in
 * the order they first appeared. Immutable once the fit returns.
 */
public final class History {
    private final Map<String, List<Double>> values = new LinkedHashMap<>();
    private int epochs;

    History() {
    }

    void add(Map<String, Double> logs) {
        for (Map.Entry<String, Double> e : logs.entrySet()) {
            List<Double> list = values.computeIfAbsent(e.getKey(), k -> new ArrayList<>());
            while (list.size() < epochs) {
                list.add(Double.NaN); // a key first seen late (e.g. validation every n epochs)
            }
            list.add(e.getValue());
        }
        epochs++;
    }

    /**
     * Number of epochs run.
     *
     * @return the number of epochs logged, also when the fit stopped early
     */
    public int epochs() {
        return epochs;
    }

    /**
     * The names logged ({@code loss}, {@code mae}, {@code val_loss}, ...).
     *
     * @return the logged names in first-seen order (an unmodifiable copy)
     */
    public List<String> keys() {
        return List.copyOf(values.keySet());
    }

    /**
     * One value per epoch of {@code key}.
     *
     * @param key a logged name, e.g. {@code loss} or {@code val_mae}
     * @throws IllegalArgumentException when nothing of that name was logged
     * @return an unmodifiable list indexed by epoch; NaN for epochs before the name first appeared
     */
    public List<Double> get(String key) {
        List<Double> v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no '" + key + "' in the history (logged: " + keys() + ")");
        }
        return Collections.unmodifiableList(v);
    }

    /**
     * Every key with its values.
     *
     * @return a new insertion-ordered map from each name to an unmodifiable copy of its values
     */
    public Map<String, List<Double>> asMap() {
        Map<String, List<Double>> m = new LinkedHashMap<>();
        values.forEach((k, v) -> m.put(k, List.copyOf(v)));
        return m;
    }

    @Override
    public String toString() {
        return "History" + values;
    }
}
