package org.jkeras.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jkeras.fixtures.Fixtures;
import org.jkeras.keras.KerasModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code jkeras bench}: its JSON contract, its exit codes, and the FLOP count behind GFLOP/s. */
class BenchCommandTest {
    /** The Keras-trained airline forecaster: Input (None, 12, 1) -> LSTM(4) -> Dense(1). */
    private static final String AIRLINE = Fixtures.root().resolve("demo/airline_lstm.keras").toString();
    /** Tiny warm-up and measuring budgets so each run takes milliseconds. */
    private static final String[] QUICK = {"--warmup-ms", "0", "--measure-ms", "20"};

    private static Cli bench(String... args) {
        List<String> all = new ArrayList<>(List.of("bench"));
        all.addAll(List.of(args));
        all.addAll(List.of(QUICK));
        return Cli.run(all.toArray(String[]::new));
    }

    @Test
    void jsonIsOneObjectWithExactlyTheContractKeysAndSaneValues() {
        Cli r = bench("--model", AIRLINE, "--batch", "8", "--timesteps", "12", "--threads", "2", "--json");
        assertEquals(ExitCode.OK, r.exitCode(), r.err());
        assertEquals(1, r.out().lines().count(), "one JSON line: " + r.out());
        JsonNode j = new JsonMapper().readTree(r.out());
        List<String> keys = new ArrayList<>(j.propertyNames());
        assertEquals(List.of("model", "batch", "timesteps", "threads", "median_us", "p99_us",
                "throughput_seq_per_s", "gflops", "jdk", "cpu", "kernels", "lanes", "parallel",
                "split_layer_calls_per_call", "aligned_weights", "kernel_precision"), keys);
        assertEquals(AIRLINE, j.get("model").asString());
        assertEquals(8, j.get("batch").asInt());
        assertEquals(12, j.get("timesteps").asInt());
        assertEquals(2, j.get("threads").asInt());
        double median = j.get("median_us").asDouble();
        assertTrue(median > 0 && median < 1e6, "median_us " + median);
        assertTrue(j.get("p99_us").asDouble() >= median, r.out());
        // 8 sequences per call: at least 8 per second unless a call took over a second.
        assertTrue(j.get("throughput_seq_per_s").asDouble() > 8, r.out());
        assertTrue(j.get("gflops").asDouble() > 0, r.out());
        assertTrue(j.get("jdk").asString().startsWith(System.getProperty("java.version") + " ("), r.out());
        assertFalse(j.get("cpu").asString().isBlank(), r.out());
        boolean vector = org.jkeras.runtime.Simd.enabled();
        assertEquals(vector ? "vector" : "scalar", j.get("kernels").asString(), r.out());
        assertEquals(org.jkeras.runtime.Simd.lanes(), j.get("lanes").asInt(), r.out());
        assertEquals("batch_rows", j.get("parallel").asString(), r.out());
        assertEquals(0.0, j.get("split_layer_calls_per_call").asDouble(), r.out()); // rows are sliced, steps not
        // the Vector API kernels have the aligned copies from Java 22 on, the scalar ones none
        assertEquals(vector && Runtime.version().feature() >= 22, j.get("aligned_weights").asBoolean(), r.out());
        assertEquals("float32", j.get("kernel_precision").asString(), r.out());
    }

    @Test
    void bf16KernelsAreNamedInTheJsonAndTheTable() {
        JsonNode j = new JsonMapper().readTree(bench("--model", AIRLINE, "--batch", "1", "--bf16-kernels", "--json").out());
        assertEquals("bfloat16", j.get("kernel_precision").asString(), j.toString());
        assertFalse(j.get("aligned_weights").asBoolean(), "the rounded kernels are read from 16 bits instead");
        Cli table = bench("--model", AIRLINE, "--batch", "1", "--bf16-kernels");
        assertEquals(ExitCode.OK, table.exitCode(), table.err());
        assertTrue(table.out().lines().anyMatch(l -> l.startsWith("kernels") && l.contains("bfloat16 kernels")),
                table.out());
    }

    @Test
    void jsonNamesHowTheCallWasSpread() {
        Cli one = bench("--model", AIRLINE, "--batch", "8", "--json");
        assertEquals("none", new JsonMapper().readTree(one.out()).get("parallel").asString(), one.out());
        Cli batchOne = bench("--model", AIRLINE, "--batch", "1", "--threads", "2", "--json");
        JsonNode j = new JsonMapper().readTree(batchOne.out());
        assertEquals("step_columns", j.get("parallel").asString(), batchOne.out());
        // LSTM(4) is far below the split threshold: its steps run on the caller alone, and bench says so
        assertEquals(0.0, j.get("split_layer_calls_per_call").asDouble(), batchOne.out());
    }

    @Test
    void timestepsDefaultToTheModelsOwn() {
        Cli r = bench("--model", AIRLINE, "--batch", "2", "--json");
        assertEquals(ExitCode.OK, r.exitCode(), r.err());
        assertEquals(12, new JsonMapper().readTree(r.out()).get("timesteps").asInt(), r.out());
    }

    @Test
    void embeddingInputsGetValidTokenIndices() {
        // Embedding(input_dim) refuses indices outside [0, input_dim): a run that finishes fed valid ones
        String model = Fixtures.root().resolve("models/embedding_lstm/sequential/model.keras").toString();
        Cli r = bench("--model", model, "--batch", "4", "--json");
        assertEquals(ExitCode.OK, r.exitCode(), r.err());
        assertEquals(12, new JsonMapper().readTree(r.out()).get("timesteps").asInt(), r.out());
        assertTrue(new JsonMapper().readTree(r.out()).get("gflops").asDouble() > 0, r.out());
    }

    @Test
    void aFreeTimeAxisWithoutTimestepsIsAUsageError(@TempDir Path dir) throws IOException {
        // the Embedding+LSTM fixture as model.to_json() + weights, with its time axis freed
        Path keras = Fixtures.root().resolve("models/embedding_lstm/sequential/model.keras");
        Path config = dir.resolve("free_time.json");
        Path weights = dir.resolve("free_time.weights.h5");
        try (FileSystem zip = FileSystems.newFileSystem(keras)) {
            String json = Files.readString(zip.getPath("config.json"));
            assertTrue(json.contains("\"batch_shape\": [null, 12]"), json);
            Files.writeString(config, json.replace("\"batch_shape\": [null, 12]", "\"batch_shape\": [null, null]"));
            Files.copy(zip.getPath("model.weights.h5"), weights);
        }
        Cli r = bench("--model", config.toString(), "--weights", weights.toString(), "--batch", "4");
        assertEquals(ExitCode.USAGE, r.exitCode(), r.err());
        assertEquals(List.of("error: input 'input' takes any number of time steps (shape (None, None)): give --timesteps"),
                r.err().lines().toList());
        Cli ok = bench("--model", config.toString(), "--weights", weights.toString(), "--batch", "4", "--timesteps", "9",
                "--json");
        assertEquals(ExitCode.OK, ok.exitCode(), ok.err());
        assertEquals(9, new JsonMapper().readTree(ok.out()).get("timesteps").asInt(), ok.out());
    }

    @Test
    void tableNamesLatencyThroughputAndMachine() {
        Cli r = bench("--model", AIRLINE, "--batch", "3", "--timesteps", "12");
        assertEquals(ExitCode.OK, r.exitCode(), r.err());
        for (String label : new String[] {"median", "p99", "throughput", "GFLOP/s", "jdk", "cpu", "kernels"}) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(label + " ")), label + " missing in:\n" + r.out());
        }
        assertTrue(r.out().contains("3 x 12 steps, 1 thread(s)"), r.out());
    }

    @Test
    void theLibrarysWarmUpRunsFirstAndIsReported() {
        // a batch over the warm-up cap: Model.warmUp runs at 8 rows, the model's 12 steps, before any timing
        Cli r = Cli.run("bench", "--model", AIRLINE, "--batch", "20", "--warmup-ms", "0", "--measure-ms", "0", "--verbose");
        assertEquals(ExitCode.OK, r.exitCode(), r.err());
        List<String> rows = r.out().lines().filter(l -> l.startsWith("warm-up ")).toList();
        assertEquals(1, rows.size(), r.out());
        assertTrue(rows.get(0).matches("warm-up +Model\\.warmUp\\(8, 12\\), last call [0-9.]+ us"), rows.get(0));
        assertTrue(r.err().contains("bench: Model.warmUp(8, 12), last call "), r.err());
    }

    @Test
    void nonPositiveBatchOrThreadsIsAUsageError() {
        Cli zero = bench("--model", AIRLINE, "--batch", "0", "--timesteps", "12");
        assertEquals(ExitCode.USAGE, zero.exitCode());
        assertEquals(List.of("error: --batch must be at least 1, got 0"), zero.err().lines().toList());
        assertEquals(ExitCode.USAGE, bench("--model", AIRLINE, "--batch", "4", "--timesteps", "12",
                "--threads", "0").exitCode());
        assertEquals(ExitCode.USAGE, bench("--model", AIRLINE, "--batch", "x", "--timesteps", "12").exitCode());
        assertEquals(ExitCode.USAGE, Cli.run("bench", "--model", AIRLINE).exitCode());
    }

    @Test
    void timestepsOtherThanTheModelFixesExitWith4NamingBoth() {
        Cli r = bench("--model", AIRLINE, "--batch", "4", "--timesteps", "20", "--json");
        assertEquals(ExitCode.BAD_INPUT, r.exitCode());
        assertEquals("", r.out());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("error: input '"), r.err());
        assertTrue(lines.get(0).contains("12 time steps fixed by the model"), r.err());
        assertTrue(lines.get(0).contains("--timesteps is 20"), r.err());
    }

    @Test
    void missingModelExitsWith3() {
        Cli r = bench("--model", "no/such/model.keras", "--batch", "4", "--timesteps", "12");
        assertEquals(ExitCode.BAD_MODEL, r.exitCode());
        assertTrue(r.err().startsWith("error: model file not found"), r.err());
    }

    @Test
    void flopsCountEveryKernelElementTwicePerRow() {
        // LSTM(4) on 1 feature: 2*B*T*(1 + 4)*4*4; Dense(4 -> 1) on the last output: 2*B*4*1.
        int b = 8;
        int t = 12;
        double expected = 2.0 * b * t * (1 + 4) * 4 * 4 + 2.0 * b * 4;
        assertEquals(expected, FlopCount.perCall(KerasModels.load(java.nio.file.Path.of(AIRLINE)), b, t));
    }

    @Test
    void percentilesAreNearestRank() {
        long[] hundred = new long[100];
        for (int i = 0; i < 100; i++) {
            hundred[i] = i + 1;
        }
        assertEquals(50, BenchCommand.percentile(hundred, 50));
        assertEquals(99, BenchCommand.percentile(hundred, 99));
        long[] ten = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertEquals(5, BenchCommand.percentile(ten, 50));
        assertEquals(10, BenchCommand.percentile(ten, 99));
        assertEquals(7, BenchCommand.percentile(new long[] {7}, 99));
    }
}
