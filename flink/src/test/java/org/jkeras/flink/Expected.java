package org.jkeras.flink;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jkeras.fixtures.Fixtures;
import org.jkeras.keras.KerasModels;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.session.Session;

/**
 * What the operator must produce: per key a jkeras {@code Session.streaming} fed that key's events
 * in order (reset where an event resets), one call per event. Sessions are proven equal to Keras in
 * keras-import's conformance tests.
 */
final class Expected {
    private Expected() {
    }

    /** A fixture model file. */
    static Path model(String family, String file) {
        return Fixtures.root().resolve("models/" + family + "/sequential/" + file);
    }

    /** Outputs by event seq; events of each key must be in the list in their order. */
    static Map<Long, float[]> outputs(Model model, List<StepEvent> events) {
        int features = model.inputShapes().get(0).dim(2);
        Map<String, Session> sessions = new HashMap<>();
        Map<Long, float[]> out = new HashMap<>();
        for (StepEvent e : events) {
            Session s = sessions.computeIfAbsent(e.key(), k -> Session.streaming(model));
            if (e.reset()) {
                s.reset();
            }
            if (e.steps().length > 0) {
                Tensor y = s.predict(Tensor.wrap(e.steps().clone(), 1, e.steps().length / features, features));
                out.put(e.seq(), y.data().clone());
            }
        }
        return out;
    }

    static Model load(Path p) {
        return KerasModels.load(p);
    }
}
