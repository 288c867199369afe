package org.jkeras.keras.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.jkeras.fixtures.Fixtures;
import org.jkeras.keras.KerasModels;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10's big-model bound, kept in CI at a size that runs in seconds: a 50 MB stacked LSTM (Keras's
 * stacked2_lstm_dropout config with 1024 units per layer, random weights in Keras 3's weights layout) loads and
 * predicts in a forked JVM whose heap is twice its weight bytes plus a small allowance for the JVM and the
 * libraries, as a {@code .keras} zip (its weights entry stored, as Keras writes it, or deflated) and as a JSON config
 * with a {@code .weights.h5} file. Before the weights were held once (packed) and read without a defensive copy,
 * and before a deflated weights entry was inflated to a temporary file instead of the heap, the smallest working
 * heap was about 2.8 times the weights (2.9 deflated);
 * the full-size figures (a 202 MB model) come from {@code org.jkeras.bench.BigModelLoad}.
 */
class LargeModelHeapTest {
    private static final String BASE = "models/stacked2_lstm_dropout/sequential/model.keras";
    private static final int FEATURES = 5;
    private static final int UNITS = 1024;
    private static final int OUT = 2;
    /** Heap the forked JVM needs besides the model: Jackson, jHDF, JUnit-free class loading, the small input. */
    private static final long ALLOWANCE_MB = 24;

    @TempDir
    static Path dir;

    private static long weightBytes;

    @BeforeAll
    static void writeModel() throws IOException {
        String config;
        try (ZipFile zip = new ZipFile(Fixtures.root().resolve(BASE).toFile())) {
            config = new String(zip.getInputStream(zip.getEntry("config.json")).readAllBytes(), StandardCharsets.UTF_8);
        }
        String grown = config.replace("\"units\": 8,", "\"units\": " + UNITS + ",")
                .replace("\"units\": 5,", "\"units\": " + UNITS + ",");
        assertEquals(2, count(grown, "\"units\": " + UNITS + ","), "the fixture's config changed: " + BASE);
        Files.writeString(dir.resolve("big.json"), grown);
        Random r = new Random(10);
        Path h5 = dir.resolve("big.weights.h5");
        try (WritableHdfFile w = HdfFile.write(h5)) {
            WritableGroup layers = w.putGroup("layers");
            lstm(layers.putGroup("lstm"), FEATURES, r);
            lstm(layers.putGroup("lstm_1"), UNITS, r);
            layers.putGroup("dropout");
            WritableGroup dense = layers.putGroup("dense").putGroup("vars");
            dense.putDataset("0", matrix(UNITS, OUT, r));
            dense.putDataset("1", vector(OUT, r));
        }
        weightBytes = 4L * (4L * UNITS * (FEATURES + UNITS + 1) + 4L * UNITS * (2 * UNITS + 1) + (UNITS + 1) * OUT);
        byte[] weights = Files.readAllBytes(h5);
        try (OutputStream out = Files.newOutputStream(dir.resolve("big.keras"));
             ZipOutputStream zip = new ZipOutputStream(out)) {
            stored(zip, "metadata.json", "{\"keras_version\": \"3.15.1\"}".getBytes(StandardCharsets.UTF_8));
            stored(zip, "config.json", grown.getBytes(StandardCharsets.UTF_8));
            stored(zip, "model.weights.h5", weights);
        }
        try (OutputStream out = Files.newOutputStream(dir.resolve("big_deflated.keras"));
             ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.setLevel(1); // as a tool that re-zips a .keras might: the weights entry deflated
            stored(zip, "metadata.json", "{\"keras_version\": \"3.15.1\"}".getBytes(StandardCharsets.UTF_8));
            stored(zip, "config.json", grown.getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("model.weights.h5"));
            zip.write(weights);
            zip.closeEntry();
        }
    }

    @Test
    void kerasZipLoadsAndPredictsInTwiceItsWeightBytesOfHeap() throws Exception {
        assertLoadsWithin(heapMb(), "big.keras");
    }

    @Test
    void kerasZipWithDeflatedWeightsLoadsAndPredictsInTwiceItsWeightBytesOfHeap() throws Exception {
        assertLoadsWithin(heapMb(), "big_deflated.keras");
    }

    @Test
    void configWithWeightsFileLoadsAndPredictsInTwiceItsWeightBytesOfHeap() throws Exception {
        assertLoadsWithin(heapMb(), "big.json", "big.weights.h5");
    }

    private static long heapMb() {
        assertTrue(weightBytes > 48L << 20, "a model large enough for the JVM's own heap to be small beside it");
        return 2 * weightBytes / (1 << 20) + ALLOWANCE_MB;
    }

    private static void assertLoadsWithin(long mb, String... files) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-Xmx" + mb + "m", "-XX:+UseG1GC", "-cp", System.getProperty("java.class.path")));
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            cmd.add(1, "--add-modules=jdk.incubator.vector");
        }
        String kernels = System.getProperty("jkeras.kernels");
        if (kernels != null) {
            cmd.add(1, "-Djkeras.kernels=" + kernels);
        }
        cmd.add(Child.class.getName());
        for (String f : files) {
            cmd.add(dir.resolve(f).toString());
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the loading JVM finished");
        assertEquals(0, p.exitValue(), String.join(" ", files) + " at -Xmx" + mb + "m (" + weightBytes
                + " weight bytes): " + out);
        assertTrue(out.contains("predicted (2, " + OUT + ")"), out);
    }

    /** Runs in the forked JVM: loads the model and predicts once; exit 0 only when both succeed. */
    static final class Child {
        public static void main(String[] args) {
            Model m = args.length == 1 ? KerasModels.load(Path.of(args[0]))
                    : KerasModels.load(Path.of(args[0]), Path.of(args[1]));
            Tensor y = m.predict(Tensor.zeros(2, 12, FEATURES));
            for (float v : y.data()) {
                if (!Float.isFinite(v)) {
                    throw new AssertionError("non-finite output " + v);
                }
            }
            System.out.println("predicted " + org.jkeras.runtime.tensor.Shape.format(y.shape()));
        }
    }

    private static void lstm(WritableGroup layer, int in, Random r) {
        WritableGroup vars = layer.putGroup("cell").putGroup("vars");
        vars.putDataset("0", matrix(in, 4 * UNITS, r));
        vars.putDataset("1", matrix(UNITS, 4 * UNITS, r));
        vars.putDataset("2", vector(4 * UNITS, r));
    }

    private static float[][] matrix(int rows, int cols, Random r) {
        float[][] m = new float[rows][cols];
        float scale = (float) (1 / Math.sqrt(rows));
        for (float[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = (r.nextFloat() * 2 - 1) * scale;
            }
        }
        return m;
    }

    private static float[] vector(int n, Random r) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextFloat() * 0.2f - 0.1f;
        }
        return v;
    }

    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
