package org.jkeras.keras.translate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jkeras.keras.config.ConfigNode;
import tools.jackson.databind.JsonNode;

/**
 * What the layer configs say about training, gathered as each top-level layer is translated: which
 * weights are frozen ({@code trainable: false}), which regularizers add to the loss, and what jkeras
 * cannot train as Keras would (weight constraints, noise shapes), so fitting such a model is refused with
 * the reason instead of silently training something else. Weight keys are the runtime's
 * ({@code layer/weight}, e.g. {@code bidirectional/forward/kernel}). Inference never looks at these.
 */
public final class TrainingFacts {
    /** Regularizer fields and the runtime weight each applies to. */
    private static final Map<String, String> REGULARIZED = Map.of(
            "kernel_regularizer", "kernel",
            "recurrent_regularizer", "recurrent_kernel",
            "bias_regularizer", "bias",
            "embeddings_regularizer", "embeddings",
            "alpha_regularizer", "alpha",
            "gamma_regularizer", "gamma",
            "beta_regularizer", "beta");
    private static final List<String> CONSTRAINTS = List.of("kernel_constraint", "recurrent_constraint",
            "bias_constraint", "embeddings_constraint", "alpha_constraint", "gamma_constraint", "beta_constraint");

    private final Set<String> frozen = new LinkedHashSet<>();
    private final Map<String, JsonNode> weightRegularizers = new LinkedHashMap<>();
    private final Map<String, JsonNode> activityRegularizers = new LinkedHashMap<>();
    private final Map<String, String> regularizerOwners = new LinkedHashMap<>(); // weight key -> "layer 'x' field f"
    private final List<String> refusals = new ArrayList<>();

    /** Records the facts of one top-level layer. */
    void record(LayerSpec spec) {
        ConfigNode c = spec.config();
        String name = spec.name();
        if (!c.bool("trainable", true)) {
            frozen.add(name);
        }
        JsonNode activity = present(c.raw("activity_regularizer"));
        if (activity != null) {
            activityRegularizers.put(name, activity);
            regularizerOwners.put(name, spec.describe() + " field 'activity_regularizer'");
        }
        switch (spec.className()) {
            case "TimeDistributed" -> inner(spec, c.raw("layer"), name + "/", "");
            case "Bidirectional" -> {
                JsonNode forward = c.raw("layer");
                JsonNode backward = present(c.raw("backward_layer"));
                inner(spec, forward, name + "/", "forward/");
                inner(spec, backward != null ? backward : forward, name + "/", "backward/");
            }
            default -> own(spec, c, name + "/", "");
        }
        if ("BatchNormalization".equals(spec.className())) {
            // Keras never trains the moving statistics (non-trainable weights); a trainable BatchNormalization
            // normalizes with the batch's statistics in fit and assigns the moving ones, which jkeras does not do
            frozen.add(name + "/moving_mean");
            frozen.add(name + "/moving_variance");
            if (c.bool("trainable", true)) {
                refusals.add(spec.describe() + ": a trainable BatchNormalization is not supported in training (Keras"
                        + " normalizes with the batch's statistics and updates moving_mean/moving_variance); set"
                        + " trainable=False, which Keras runs in inference mode in fit too");
            }
        }
        if ("Dropout".equals(spec.className()) && present(c.raw("noise_shape")) != null) {
            refusals.add(spec.describe() + ": noise_shape " + c.raw("noise_shape") + " is not supported in training");
        }
    }

    /** A wrapped layer's config entry ({@code {"class_name", "config"}}): its flags apply to its weights. */
    private void inner(LayerSpec spec, JsonNode entry, String layerPrefix, String weightPrefix) {
        if (entry == null || !entry.isObject() || entry.get("config") == null) {
            return;
        }
        ConfigNode c = new ConfigNode(entry.get("config"), spec.config().where() + " wrapped layer");
        if (!c.bool("trainable", true)) {
            frozen.add(weightPrefix.isEmpty() ? spec.name() : layerPrefix + weightPrefix.substring(0,
                    weightPrefix.length() - 1));
        }
        if (present(c.raw("activity_regularizer")) != null) {
            refusals.add(spec.describe() + ": an activity_regularizer on the wrapped layer is not supported in"
                    + " training");
        }
        own(spec, c, layerPrefix, weightPrefix);
    }

    private void own(LayerSpec spec, ConfigNode c, String layerPrefix, String weightPrefix) {
        for (Map.Entry<String, String> r : REGULARIZED.entrySet()) {
            JsonNode reg = present(c.raw(r.getKey()));
            if (reg != null) {
                String key = layerPrefix + weightPrefix + r.getValue();
                weightRegularizers.put(key, reg);
                regularizerOwners.put(key, spec.describe() + " field '" + r.getKey() + "'");
            }
        }
        for (String field : CONSTRAINTS) {
            JsonNode con = present(c.raw(field));
            if (con != null) {
                refusals.add(spec.describe() + ": " + field + " " + ConfigNode.abbreviate(con)
                        + " is not applied by jkeras training (Keras projects the weight after every update)");
            }
        }
    }

    private static JsonNode present(JsonNode n) {
        return n == null || n.isNull() ? null : n;
    }

    /** Frozen weight keys and whole-layer names. */
    public Set<String> frozen() {
        return Set.copyOf(frozen);
    }

    /** Regularizer configs by weight key. */
    public Map<String, JsonNode> weightRegularizers() {
        return Map.copyOf(weightRegularizers);
    }

    /** Activity-regularizer configs by layer name. */
    public Map<String, JsonNode> activityRegularizers() {
        return Map.copyOf(activityRegularizers);
    }

    /** Where a regularizer came from ({@code layer 'x' (LSTM) field 'kernel_regularizer'}), for error messages. */
    public String ownerOf(String key) {
        return regularizerOwners.getOrDefault(key, key);
    }

    /**
     * Records a reason this model cannot be trained as Keras would (for structures no layer config shows).
     *
     * @param reason the message, naming the layer
     */
    public void refuse(String reason) {
        if (!refusals.contains(reason)) {
            refusals.add(reason);
        }
    }

    /** Why training this model would not match Keras; empty when it would. */
    public List<String> refusals() {
        return List.copyOf(refusals);
    }
}
