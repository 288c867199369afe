package org.jkeras.keras.format;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.jkeras.keras.Echo;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.Limit;
import org.jkeras.keras.Limits;
import org.jkeras.keras.config.Json;
import org.jkeras.runtime.tensor.Tensor;
import tools.jackson.databind.JsonNode;

/**
 * Test cases a {@code .keras} file carries for verify-on-load: {@code assets/jkeras_verify/cases.json} (tolerance
 * and the list of cases) and {@code assets/jkeras_verify/cases.h5} (float32 inputs and Keras's outputs), as
 * {@code test-fixtures/add_verify_cases.py} writes them. Keras ignores assets it did not write, so the file
 * loads in Keras unchanged. Read with the same checks and limits as the model itself.
 *
 * @param atol  absolute tolerance
 * @param rtol  tolerance relative to Keras's value
 * @param kerasVersion the Keras version that computed the outputs, as the cases file records it
 * @param cases the cases, each the inputs in model input order and Keras's outputs in model output order
 */
public record VerificationCases(double atol, double rtol, String kerasVersion, List<Case> cases) {
    /** The zip entries. */
    public static final String JSON = "assets/jkeras_verify/cases.json";
    /** The zip entries. */
    public static final String ARRAYS = "assets/jkeras_verify/cases.h5";
    private static final int MAX_CASES = 1000;

    /**
     * One case.
     *
     * @param inputs  the inputs, in model input order
     * @param outputs Keras's outputs for them, in model output order
     */
    public record Case(List<Tensor> inputs, List<Tensor> outputs) {
    }

    /**
     * The cases of a {@code .keras} file, or null when it has none.
     *
     * @param file   the {@code .keras} file
     * @param limits the bounds on the cases' count and sizes, as for the model
     * @return its cases, or null
     * @throws KerasImportException when they are malformed or over a limit
     */
    public static VerificationCases read(Path file, Limits limits) {
        String name = String.valueOf(file.getFileName());
        if (FormatDetector.detect(file, limits) != FileFormat.KERAS_ZIP) {
            throw new KerasImportException(name + ": verification cases are stored in a .keras file (" + JSON
                    + "); this is not one");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ZipDirectory dir = ZipDirectory.parse(ch, name, limits);
            ZipDirectory.Entry j = dir.entry(JSON);
            ZipDirectory.Entry a = dir.entry(ARRAYS);
            if (j == null) {
                return null;
            }
            String what = name + ": " + JSON;
            JsonNode meta = Json.parse(new String(dir.read(ch, j, Limit.MAX_JSON_BYTES, name, limits),
                    StandardCharsets.UTF_8), what, limits);
            if (a == null) {
                throw new KerasImportException(name + ": has " + JSON + " but no " + ARRAYS);
            }
            String arraysWhat = name + ": " + ARRAYS;
            try (HdfFile h5 = a.method() == 0 ? Hdf5.open(dir.map(ch, a, name, limits), arraysWhat)
                    : Hdf5.open(dir.read(ch, a, Limit.MAX_ZIP_ENTRY_BYTES, name, limits), arraysWhat)) {
                return parse(meta, new Hdf5Tree(h5, arraysWhat, limits), what);
            }
        } catch (IOException e) {
            throw new KerasImportException(name + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static VerificationCases parse(JsonNode meta, Hdf5Tree tree, String what) {
        double atol = number(meta, "atol", what);
        double rtol = number(meta, "rtol", what);
        JsonNode list = meta.get("cases");
        if (list == null || !list.isArray() || list.isEmpty() || list.size() > MAX_CASES) {
            throw new KerasImportException(what + ": 'cases' must be a list of 1 to " + MAX_CASES + " cases");
        }
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode c = list.get(i);
            cases.add(new Case(arrays(c, "inputs", tree, what + ": case " + i),
                    arrays(c, "outputs", tree, what + ": case " + i)));
        }
        JsonNode v = meta.get("keras_version");
        return new VerificationCases(atol, rtol, v != null && v.isString() ? v.stringValue() : null, cases);
    }

    private static double number(JsonNode meta, String field, String what) {
        JsonNode v = meta.get(field);
        if (v == null || !v.isNumber() || !(v.doubleValue() >= 0) || v.doubleValue() > 1) {
            throw new KerasImportException(what + ": '" + field + "' must be a tolerance in [0, 1]");
        }
        return v.doubleValue();
    }

    private static List<Tensor> arrays(JsonNode c, String field, Hdf5Tree tree, String what) {
        JsonNode names = c == null ? null : c.get(field);
        if (names == null || !names.isArray() || names.isEmpty() || names.size() > 64) {
            throw new KerasImportException(what + ": '" + field + "' must list 1 to 64 datasets");
        }
        List<Tensor> out = new ArrayList<>();
        for (JsonNode n : names) {
            String path = n.isString() ? n.stringValue() : "";
            if (!(tree.path(tree.file(), path, tree.name()) instanceof Dataset ds)) {
                throw new KerasImportException(what + ": no dataset '" + Echo.of(path) + "' in " + ARRAYS);
            }
            out.add(new WeightArray(path, tree.name() + ": /" + Echo.of(path), ds, tree).read());
        }
        return out;
    }
}
