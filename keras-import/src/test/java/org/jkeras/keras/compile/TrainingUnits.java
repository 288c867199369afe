package org.jkeras.keras.compile;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jkeras.runtime.tensor.Tensor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Keras-generated training unit fixtures ({@code test-fixtures/fixtures/training/}: manifest
 * plus {@code training.h5}) as the tests here need them: cases by kind, arrays as float tensors.
 */
final class TrainingUnits {
    private static final Path DIR = Path.of(System.getProperty("jkeras.root", "..")).resolve("test-fixtures/fixtures/training");
    private static List<JsonNode> cases;
    private static HdfFile hdf;

    private TrainingUnits() {
    }

    /** Every case of {@code kind}, in manifest order. */
    static synchronized List<JsonNode> cases(String kind) {
        if (cases == null) {
            try {
                JsonNode manifest = JsonMapper.builder().build().readTree(Files.readString(DIR.resolve("manifest.json")));
                cases = new ArrayList<>(manifest.get("cases").values());
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot read " + DIR.resolve("manifest.json"), e);
            }
        }
        return cases.stream().filter(c -> c.get("kind").asString().equals(kind)).toList();
    }

    /** The cases of {@code kind} as JUnit arguments (id first). */
    static Stream<org.junit.jupiter.params.provider.Arguments> arguments(String kind) {
        return cases(kind).stream().map(c -> org.junit.jupiter.params.provider.Arguments.of(c.get("id").asString(), c));
    }

    /** The dataset at {@code path} as a float tensor (int32 datasets converted exactly). */
    static synchronized Tensor array(String path) {
        if (hdf == null) {
            hdf = new HdfFile(DIR.resolve("training.h5"));
        }
        Dataset d = (Dataset) hdf.getByPath(path);
        int[] shape = d.getDimensions();
        Object data = d.isScalar() || shape.length == 0 ? d.getData() : d.getDataFlat();
        float[] f = switch (data) {
            case float[] a -> a;
            case int[] a -> {
                float[] r = new float[a.length];
                for (int i = 0; i < a.length; i++) {
                    r[i] = a[i];
                }
                yield r;
            }
            case Float x -> new float[] {x};
            case Integer x -> new float[] {x};
            default -> throw new IllegalStateException(path + ": unexpected type " + data.getClass());
        };
        return Tensor.wrap(f, shape);
    }

    /** Row {@code row} of a stacked array {@code [n, ...]} as a fresh float array. */
    static float[] row(Tensor stacked, int row) {
        int per = stacked.size() / stacked.dim(0);
        float[] r = new float[per];
        System.arraycopy(stacked.data(), row * per, r, 0, per);
        return r;
    }

    /** {@code |a - e| <= atol + rtol |e|} for all, NaN only matching NaN; returns the largest |a - e|. */
    static double assertClose(float[] expected, float[] actual, double atol, double rtol, String what) {
        if (expected.length != actual.length) {
            throw new AssertionError(what + ": " + actual.length + " values, expected " + expected.length);
        }
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i];
            float a = actual[i];
            if (Float.isNaN(e) || Float.isNaN(a)) {
                if (!(Float.isNaN(e) && Float.isNaN(a))) {
                    throw new AssertionError(what + "[" + i + "]: expected " + e + ", actual " + a);
                }
                continue;
            }
            double diff = Math.abs((double) a - e);
            if (e != a && diff > atol + rtol * Math.abs(e)) {
                throw new AssertionError(what + "[" + i + "]: expected " + e + ", actual " + a + " (|diff| " + diff
                        + " > " + (atol + rtol * Math.abs(e)) + ")");
            }
            worst = Math.max(worst, e == a ? 0 : diff);
        }
        return worst;
    }
}
