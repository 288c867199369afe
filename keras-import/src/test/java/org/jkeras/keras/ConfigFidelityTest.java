package org.jkeras.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import org.jkeras.fixtures.FixtureCase;
import org.jkeras.fixtures.FixtureCases;
import org.jkeras.fixtures.Fixtures;
import org.jkeras.keras.config.Json;
import org.jkeras.keras.save.KerasOrigin;
import org.jkeras.runtime.Model;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The config.json jkeras writes: for Keras 3 sources the original, unchanged ({@code .keras} and
 * {@code to_json}) or completed to exactly what Keras's {@code .keras} file of the same model holds (Keras 3
 * {@code .h5}, apart from the run-dependent {@code shared_object_id}); for Keras 2 sources a conversion that
 * keeps every option's value.
 */
class ConfigFidelityTest {
    /** Keras 2 fields the conversion drops, moves or rewrites (checked elsewhere: by Keras loading the file). */
    private static final Set<String> REWRITTEN = Set.of("batch_input_shape", "dtype", "implementation", "time_major",
            "input_length", "activation", "recurrent_activation", "layer", "backward_layer", "noise_shape",
            "trainable", "name");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @FixtureCases(format = {"keras_zip", "keras3_json_weights", "keras3_h5"})
    void keras3ConfigsAreKeptAsKerasWritesThem(FixtureCase c) {
        Model model = KerasModels.load(c.modelPath(), c.weightsPath().orElse(null));
        Path file = dir.resolve("m.keras");
        KerasModels.save(model, file);
        JsonNode saved = Json.parse(new String(TestFiles.zipEntry(file, "config.json"), StandardCharsets.UTF_8), "saved");
        if (c.format().equals("keras3_json_weights")) { // its own config (some families have no .keras file)
            assertEquals(Json.parse(TestFiles.modelConfig(c), c.id()), saved, c.id());
            return;
        }
        FixtureCase zip = Fixtures.byId(c.family() + "__" + c.api() + "__keras_zip");
        JsonNode expected = Json.parse(new String(TestFiles.zipEntry(zip.modelPath(), "config.json"),
                StandardCharsets.UTF_8), "original");
        if (c.format().equals("keras3_h5")) {
            assertEquals(withoutDroppedAxes(strip(expected), model.metadata().get("keras3_h5_axis_dropped")),
                    strip(saved), c.id());
        } else {
            assertEquals(expected, saved, c.id());
        }
    }

    @ParameterizedTest(name = "{0}")
    @FixtureCases(format = {"tf_keras2_h5", "tf_keras2_json_h5weights", "external_keras2_h5"})
    void keras2ConversionKeepsEveryOption(FixtureCase c) {
        Model model = KerasModels.load(c.modelPath(), c.weightsPath().orElse(null));
        KerasOrigin origin = model.origin(KerasOrigin.class).orElseThrow();
        if (origin.keras3Config() == null) {
            assertTrue(origin.refusal().contains("hard_sigmoid"), origin.refusal());
            return;
        }
        JsonNode source = Json.parse(TestFiles.modelConfig(c), c.id());
        JsonNode sourceLayers = source.path("config").isArray() ? source.path("config") : source.path("config").path("layers");
        JsonNode converted = origin.keras3Config().path("config").path("layers");
        int checked = 0;
        for (JsonNode l : sourceLayers) {
            String name = l.path("config").path("name").asString();
            JsonNode match = null;
            for (JsonNode k : converted) {
                if (name.equals(k.path("config").path("name").asString())) {
                    match = k;
                }
            }
            assertTrue(match != null, c.id() + ": layer " + name + " kept");
            checked += sameOptions(c.id() + " " + name, l.path("config"), match.path("config"));
        }
        assertTrue(checked > 0);
    }

    private static int sameOptions(String where, JsonNode k2, JsonNode k3) {
        int n = 0;
        for (String f : k2.propertyNames()) {
            if (REWRITTEN.contains(f)) {
                continue;
            }
            JsonNode a = k2.get(f);
            JsonNode b = k3.get(f);
            if (a.isObject() && a.has("class_name")) {
                assertEquals(a.get("class_name"), b.get("class_name"), where + " " + f);
            } else if (f.equals("theta") && b == null && k3.has("threshold")) {
                // tf.keras 2's ThresholdedReLU(theta) is written as Keras 3's ReLU(threshold=theta)
                assertEquals(a, k3.get("threshold"), where + ": field theta as threshold");
            } else if (f.equals("alpha") && b == null && k3.has("negative_slope")) {
                // tf.keras 2's LeakyReLU alpha is Keras 3's negative_slope (Keras 3 renames it on load too)
                assertEquals(a, k3.get("negative_slope"), where + ": field alpha as negative_slope");
            } else if (f.equals("axis") && a.isArray() && a.size() == 1 && b != null && b.isIntegralNumber()) {
                // tf.keras 2's BatchNormalization writes axis [2]; Keras 3's takes int(axis), so it is written 2
                assertEquals(a.get(0).asInt(), b.asInt(), where + ": field " + f);
            } else {
                assertEquals(a, b, where + ": field " + f);
            }
            n++;
        }
        return n;
    }

    /**
     * The .keras config as Keras 3's .h5 loader sees the same model: it drops a list of several axes (the layer
     * takes its default), and jkeras's metadata names those layers ({@code "a, b (why)"}).
     */
    private static JsonNode withoutDroppedAxes(JsonNode config, String dropped) {
        if (dropped == null) {
            return config;
        }
        java.util.Set<String> names = Set.of(dropped.substring(0, dropped.indexOf(" (")).split(", "));
        for (JsonNode l : config.path("config").path("layers")) {
            if (names.contains(l.path("config").path("name").asString()) && l.path("config") instanceof ObjectNode o) {
                o.remove("axis");
            }
        }
        return config;
    }

    /** Without {@code shared_object_id}: Keras writes Python {@code id()}s, different on every run. */
    private static JsonNode strip(JsonNode n) {
        JsonNode copy = n.deepCopy();
        strip0(copy);
        return copy;
    }

    private static void strip0(JsonNode n) {
        if (n instanceof ObjectNode o) {
            o.remove("shared_object_id");
        }
        for (JsonNode child : n.values()) {
            strip0(child);
        }
    }
}
