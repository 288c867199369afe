package org.jkeras.keras.translate;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.Limit;
import org.jkeras.keras.Limits;
import org.jkeras.keras.KerasVersion;
import org.jkeras.keras.format.LayerWeights;
import org.jkeras.keras.format.WeightSource;

/** What every translator needs besides the layer itself: the file, the Keras version, the weights. */
public final class TranslationContext {
    private final String fileName;
    private final KerasVersion version;
    private final WeightSource weights;
    private final Limits limits;
    private final Map<String, String> notes;
    private final TrainingFacts training;
    private final int[] depth; // wrapper nesting, shared with the contexts of nested models

    /** A context for one model file, with the default limits. */
    public TranslationContext(String fileName, KerasVersion version, WeightSource weights) {
        this(fileName, version, weights, Limits.defaults());
    }

    /** A context for one model file. */
    public TranslationContext(String fileName, KerasVersion version, WeightSource weights, Limits limits) {
        this(fileName, version, weights, limits, new LinkedHashMap<>(), new TrainingFacts(), new int[1]);
    }

    private TranslationContext(String fileName, KerasVersion version, WeightSource weights, Limits limits,
                               Map<String, String> notes, TrainingFacts training, int[] depth) {
        this.fileName = fileName;
        this.version = version;
        this.weights = weights;
        this.limits = limits;
        this.notes = notes;
        this.training = training;
        this.depth = depth;
    }

    /**
     * The context for the layers of a nested model: the same file, version, limits, notes and training facts,
     * with the nested model's view of the weights.
     *
     * @param nestedWeights the nested model's view of the weights
     * @return the context for its layers
     */
    public TranslationContext withWeights(WeightSource nestedWeights) {
        return new TranslationContext(fileName, version, nestedWeights, limits, notes, training, depth);
    }

    /**
     * The weight store (for the views of nested models).
     *
     * @return this context's weights
     */
    public WeightSource weightSource() {
        return weights;
    }

    /**
     * Enters a layer translation (a wrapper's inner layer is one level deeper), failing past
     * {@link Limit#MAX_NESTING_DEPTH}; pair with {@link #exit()}.
     */
    void enter(LayerSpec spec) {
        depth[0]++;
        if (depth[0] > limits.get(Limit.MAX_NESTING_DEPTH)) {
            depth[0]--;
            throw limits.exceeded(Limit.MAX_NESTING_DEPTH, depth[0] + 1L, fileName + ": " + spec.describe()
                    + ": wrapper layers nested");
        }
    }

    /** Leaves a layer translation. */
    void exit() {
        depth[0]--;
    }

    /** The limits of this load. */
    public Limits limits() {
        return limits;
    }

    /** {@link Limits#getInt} of this load's limit (for config bounds such as units and dimensions). */
    public int limit(Limit limit) {
        return limits.getInt(limit);
    }

    /** The model file's name. */
    public String fileName() {
        return fileName;
    }

    /** The Keras version that wrote the file. */
    public KerasVersion version() {
        return version;
    }

    /** The stored weights of a layer. */
    public LayerWeights weightsOf(LayerSpec spec) {
        return weights.forLayer(spec.name(), spec.keras3Path());
    }

    /** True when weights are stored in the Keras 3 {@code layers/.../vars} layout (looked up by path). */
    public boolean keras3Layout() {
        return weights.isKeras3Layout();
    }

    /** The stored weights under a Keras 3 path (e.g. a Bidirectional's {@code .../forward_layer}). */
    public LayerWeights weightsAt(String layerName, String keras3Path) {
        return weights.forLayer(layerName, keras3Path);
    }

    /** Records a fact for the model's metadata (e.g. that a layer is stateful). */
    public void note(String key, String value) {
        notes.merge(key, value, (a, b) -> a + "; " + b);
    }

    /** The notes recorded so far. */
    public Map<String, String> notes() {
        return notes;
    }

    /** What the layer configs translated so far say about training. */
    public TrainingFacts training() {
        return training;
    }

    /** An error naming the file and the layer. */
    public KerasImportException error(LayerSpec spec, String problem) {
        if (problem == null) {
            problem = "cannot be translated";
        }
        return new KerasImportException(fileName + ": " + spec.describe() + ": " + problem);
    }
}
