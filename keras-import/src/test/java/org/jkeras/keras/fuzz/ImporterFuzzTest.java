package org.jkeras.keras.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jkeras.keras.KerasModels;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzz targets of the importer (Jazzer): a model file from arbitrary bytes, through the public
 * {@link KerasModels} API, must load or be refused with a clean {@link org.jkeras.keras.KerasImportException}
 * ({@link LoadProperty}). In the normal test run each target replays only its committed regression inputs
 * ({@code ImporterFuzzTestInputs/<target>/}, one file per past finding) in seconds; {@code scripts/fuzz.sh} runs
 * the real fuzzing, seeded with every fixture model. The timeout is per input in both modes, wall-clock and generous (a busy machine
 * must not make findings); {@link LoadProperty} also bounds each load's CPU time.
 */
class ImporterFuzzTest {
    /** A {@code .keras} zip (config.json, metadata.json, model.weights.h5), loaded from bytes. */
    @FuzzTest(maxDuration = "10m")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void kerasZip(byte[] data) {
        LoadProperty.check(() -> KerasModels.load(new java.io.ByteArrayInputStream(data), "fuzz.keras",
                LoadProperty.OPTIONS), "fuzz.keras");
    }

    /** A legacy HDF5 {@code .h5} model (Keras 1/2, tf.keras, Keras 3 legacy), loaded from bytes. */
    @FuzzTest(maxDuration = "10m")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void legacyH5(byte[] data) {
        LoadProperty.check(() -> KerasModels.load(new java.io.ByteArrayInputStream(data), "fuzz.h5",
                LoadProperty.OPTIONS), "fuzz.h5");
    }

    /**
     * A JSON config from {@code model.to_json()} and its weights file ({@code .weights.h5} or
     * {@code save_weights} {@code .h5}): the input is a 4-byte big-endian length, that many bytes of config,
     * then the weights file (none when empty). The JSON path has no byte loader, so both go through files.
     */
    @FuzzTest(maxDuration = "10m")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void jsonConfig(byte[] data) throws IOException {
        int split = data.length < 4 ? data.length
                : (int) Math.min(data.length - 4L, ByteBuffer.wrap(data, 0, 4).getInt() & 0xffffffffL);
        int start = data.length < 4 ? 0 : 4;
        byte[] config = Arrays.copyOfRange(data, start, start + split);
        byte[] weights = Arrays.copyOfRange(data, start + split, data.length);
        Path dir = Files.createTempDirectory("jkeras-fuzz-");
        try {
            Path c = Files.write(dir.resolve("fuzz.json"), config);
            Path w = weights.length == 0 ? null : Files.write(dir.resolve("fuzz.weights.h5"), weights);
            LoadProperty.check(() -> KerasModels.load(c, w, LoadProperty.OPTIONS), "fuzz.json");
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (UncheckedIOException e) {
                // best effort
            }
        }
    }

    /** The framing of {@link #jsonConfig}: how the seed corpus script joins a config and its weights. */
    static byte[] jsonInput(byte[] config, byte[] weights) {
        return ByteBuffer.allocate(4 + config.length + weights.length).putInt(config.length).put(config)
                .put(weights).array();
    }
}
