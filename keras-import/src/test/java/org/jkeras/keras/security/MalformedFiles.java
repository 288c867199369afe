package org.jkeras.keras.security;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.KerasModels;
import org.jkeras.keras.LoadOptions;
import org.jkeras.keras.config.Json;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Tensor;
import tools.jackson.databind.JsonNode;

/** The crafted files of {@code malformed/} (made by its {@code make_malformed.py}) and Keras's outputs for the legal ones. */
final class MalformedFiles {
    private static final JsonNode EXPECTED = readExpected();

    private MalformedFiles() {
    }

    /** The directory of the crafted files. */
    static Path dir() {
        try {
            return Path.of(MalformedFiles.class.getResource("/org/jkeras/keras/malformed/make_malformed.py").toURI())
                    .getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path file(String name) {
        Path p = dir().resolve(name);
        if (!Files.isRegularFile(p)) {
            fail("missing crafted file " + p + " (run make_malformed.py)");
        }
        return p;
    }

    /** The weights file a crafted JSON config goes with. */
    static Path weightsFor(String name) {
        return name.endsWith(".json") ? file("base_seq.weights.h5") : null;
    }

    /** Loading fails with a {@link KerasImportException} whose message holds every fragment. */
    static KerasImportException assertRefused(Path model, Path weights, LoadOptions options, String... fragments) {
        KerasImportException e = assertThrows(KerasImportException.class,
                () -> KerasModels.load(model, weights, options), model.getFileName() + " loaded");
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message should mention '" + f + "': " + e.getMessage());
        }
        assertTrue(e.getMessage().length() <= 4000, "message of " + e.getMessage().length() + " characters");
        return e;
    }

    /** The model predicts on Keras's input exactly what Keras predicted from the same file (NaN where Keras has NaN). */
    static void assertPredictsLikeKeras(String name, Model model) {
        JsonNode e = EXPECTED.get(name);
        if (e == null) {
            fail("expected.json has no outputs for " + name);
        }
        Tensor x = Tensor.of(matrix(e.get("input")));
        float[] y = model.predict(x).data();
        float[] want = flat(e.get("output"));
        if (want.length != y.length) {
            fail(name + ": " + y.length + " outputs, Keras has " + want.length);
        }
        for (int i = 0; i < y.length; i++) {
            boolean ok = Float.isNaN(want[i]) ? Float.isNaN(y[i])
                    : Float.isInfinite(want[i]) ? want[i] == y[i]
                    : Math.abs(y[i] - want[i]) <= 1e-5 + 1e-5 * Math.abs(want[i]);
            assertTrue(ok, name + ": output " + i + " is " + y[i] + ", Keras " + want[i]);
        }
    }

    /**
     * A multi-output model predicts on Keras's input what Keras predicted, output by output; NaN where Keras has
     * NaN, the same infinities, finite values within 1e-5 + 1e-5 |keras|.
     */
    static void assertAllOutputsLikeKeras(String name, Model model) {
        JsonNode e = EXPECTED.get(name);
        if (e == null) {
            fail("expected.json has no outputs for " + name);
        }
        Tensor x = tensor(e.get("input"));
        List<Tensor> ys = model.predict(List.of(x));
        JsonNode outs = e.get("outputs");
        if (ys.size() != outs.size()) {
            fail(name + ": " + ys.size() + " outputs, Keras has " + outs.size());
        }
        for (int o = 0; o < ys.size(); o++) {
            float[] y = ys.get(o).data();
            JsonNode want = outs.get(o);
            String what = name + " output " + o + " (" + model.outputNames().get(o) + ")";
            if (want.size() != y.length) {
                fail(what + ": " + y.length + " values, Keras has " + want.size());
            }
            for (int i = 0; i < y.length; i++) {
                float w = value(want.get(i));
                boolean ok = Float.isNaN(w) ? Float.isNaN(y[i]) : Float.isInfinite(w) ? w == y[i]
                        : Math.abs(y[i] - w) <= 1e-5 + 1e-5 * Math.abs(w);
                assertTrue(ok, what + " [" + i + "] is " + y[i] + ", Keras " + w + " (input " + x + ")");
            }
        }
    }

    /** A nested JSON array of numbers as a tensor of its shape. */
    private static Tensor tensor(JsonNode a) {
        List<Integer> shape = new ArrayList<>();
        for (JsonNode n = a; n.isArray(); n = n.get(0)) {
            shape.add(n.size());
        }
        List<Float> values = new ArrayList<>();
        collect(a, values);
        float[] f = new float[values.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = values.get(i);
        }
        return Tensor.wrap(f, shape.stream().mapToInt(Integer::intValue).toArray());
    }

    private static void collect(JsonNode a, List<Float> out) {
        if (a.isArray()) {
            for (JsonNode v : a) {
                collect(v, out);
            }
        } else {
            out.add(value(a));
        }
    }

    private static float[][] matrix(JsonNode rows) {
        float[][] m = new float[rows.size()][];
        for (int r = 0; r < rows.size(); r++) {
            m[r] = new float[rows.get(r).size()];
            for (int c = 0; c < m[r].length; c++) {
                m[r][c] = value(rows.get(r).get(c));
            }
        }
        return m;
    }

    private static float[] flat(JsonNode rows) {
        List<Float> out = new ArrayList<>();
        for (JsonNode row : rows) {
            for (JsonNode v : row) {
                out.add(value(v));
            }
        }
        float[] f = new float[out.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = out.get(i);
        }
        return f;
    }

    private static float value(JsonNode v) {
        if (v.isString()) {
            return switch (v.stringValue()) {
                case "NaN" -> Float.NaN;
                case "Infinity" -> Float.POSITIVE_INFINITY;
                case "-Infinity" -> Float.NEGATIVE_INFINITY;
                default -> throw new IllegalArgumentException(v.stringValue());
            };
        }
        return (float) v.doubleValue();
    }

    private static JsonNode readExpected() {
        try {
            return Json.parse(Files.readString(dir().resolve("expected.json")), "expected.json");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
