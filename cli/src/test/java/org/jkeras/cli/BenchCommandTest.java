package org.jkeras.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.jkeras.fixtures.Fixtures;
import org.jkeras.keras.KerasModels;
import org.junit.jupiter.api.Test;
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
                "throughput_seq_per_s", "gflops", "jdk", "cpu"), keys);
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
    void nonPositiveBatchOrThreadsIsAUsageError() {
        Cli zero = bench("--model", AIRLINE, "--batch", "0", "--timesteps", "12");
        assertEquals(ExitCode.USAGE, zero.exitCode());
        assertEquals(List.of("error: --batch must be at least 1, got 0"), zero.err().lines().toList());
        assertEquals(ExitCode.USAGE, bench("--model", AIRLINE, "--batch", "4", "--timesteps", "12",
                "--threads", "0").exitCode());
        assertEquals(ExitCode.USAGE, bench("--model", AIRLINE, "--batch", "x", "--timesteps", "12").exitCode());
        assertEquals(ExitCode.USAGE, Cli.run("bench", "--model", AIRLINE, "--batch", "4").exitCode());
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
