package org.jkeras.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.Simd;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code jkeras bench --model M [--weights W] --batch B [--timesteps T] [--threads N] [--json]}: times
 * {@code predict} on deterministic random input of {@code [B, T, features]} per model input.
 *
 * <p>Method: {@link Model#warmUp} (as a service would call at start-up), then warm-up calls until
 * {@code --warmup-ms} have passed (so the JIT compiles the kernels), then
 * timed calls until {@code --measure-ms} have passed and at least {@value #MIN_CALLS} calls were made.
 * Median and p99 are nearest-rank percentiles of the per-call wall times; throughput and GFLOP/s divide
 * the total work by the total measured time; FLOPs are counted by {@link FlopCount}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time predictions of a model on random input: median and p99 latency, throughput, GFLOP/s.")
final class BenchCommand implements Callable<Integer> {
    /** Fewest timed calls, however slow a call is: a p99 of fewer samples means little. */
    static final int MIN_CALLS = 10;
    /** Most timed calls, bounding the latency array for sub-microsecond models. */
    static final int MAX_CALLS = 1_000_000;
    /** Largest batch of the {@link Model#warmUp} call: it compiles the same kernels as a larger one. */
    static final int MAX_WARM_UP_BATCH = 8;

    @ParentCommand
    private Main main;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "A .keras, .h5 or JSON model file.")
    private Path model;

    @Option(names = "--weights", paramLabel = "W", description = "The weights file, for a JSON config.")
    private Path weights;

    @Option(names = "--batch", required = true, paramLabel = "B", description = "Sequences per predict call.")
    private int batch;

    @Option(names = "--timesteps", paramLabel = "T",
            description = "Time steps per sequence; must equal the model's if it fixes them (default: the model's).")
    private int timesteps = BenchInputs.AUTO;

    @Option(names = "--bf16-kernels",
            description = "Round every kernel to bfloat16 first (Model.withBfloat16Kernels): half the bytes per batch-1"
                    + " step, outputs within about 1e-2 of float32 (README, bfloat16 kernels).")
    private boolean bf16Kernels;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "Threads per predict call, splitting the batch (default: ${DEFAULT-VALUE}).")
    private int threads;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    private boolean json;

    @Option(names = "--warmup-ms", paramLabel = "MS", defaultValue = "1000",
            description = "Warm-up time before measuring (default: ${DEFAULT-VALUE}).")
    private long warmupMs;

    @Option(names = "--measure-ms", paramLabel = "MS", defaultValue = "2000",
            description = "Measuring time; at least " + MIN_CALLS + " calls are timed (default: ${DEFAULT-VALUE}).")
    private long measureMs;

    @Override
    public Integer call() {
        requireAtLeast("--batch", batch, 1);
        if (timesteps != BenchInputs.AUTO) {
            requireAtLeast("--timesteps", timesteps, 1);
        }
        requireAtLeast("--threads", threads, 1);
        requireAtLeast("--warmup-ms", warmupMs, 0);
        requireAtLeast("--measure-ms", measureMs, 0);
        Model m = ModelFiles.kernels(ModelFiles.load(main.loader(), model, weights), bf16Kernels, model);
        List<int[]> shapes = BenchInputs.shapes(m, batch, timesteps);
        List<Tensor> inputs = BenchInputs.random(m, shapes);
        int timesteps = BenchInputs.timesteps(m, shapes, this.timesteps);
        double flops = FlopCount.perCall(m, batch, timesteps);

        // the library's warm-up first (what a service calls at start-up), at a small batch so its fixed number of
        // calls stays quick for any --batch; the timed warm-up below then runs at the benchmark's own shape
        int warmUpBatch = Math.min(batch, MAX_WARM_UP_BATCH);
        int warmUpSteps = Math.max(1, timesteps);
        long warmUpLastNs = m.warmUp(warmUpBatch, warmUpSteps);
        String warmUp = String.format(Locale.ROOT, "Model.warmUp(%d, %d), last call %.1f us", warmUpBatch, warmUpSteps,
                warmUpLastNs / 1e3);

        float sink = 0; // consumed below so no call can be optimised away
        int warmups = 0;
        long warmupEnd = System.nanoTime() + warmupMs * 1_000_000L;
        do {
            sink += first(m.predict(inputs, threads));
            warmups++;
        } while (System.nanoTime() < warmupEnd);

        long[] nanos = new long[1024];
        long splitBefore = Simd.splitLayerCalls();
        int n = 0;
        long total = 0;
        long measureNs = measureMs * 1_000_000L;
        while ((n < MIN_CALLS || total < measureNs) && n < MAX_CALLS) {
            long t0 = System.nanoTime();
            sink += first(m.predict(inputs, threads));
            long dt = System.nanoTime() - t0;
            if (n == nanos.length) {
                nanos = Arrays.copyOf(nanos, 2 * n);
            }
            nanos[n++] = dt;
            total += dt;
        }
        long splitCalls = Simd.splitLayerCalls() - splitBefore;
        long[] sorted = Arrays.copyOf(nanos, n);
        Arrays.sort(sorted);
        double seconds = Math.max(total, 1) / 1e9;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("model", model.toString());
        r.put("batch", batch);
        r.put("timesteps", timesteps);
        r.put("threads", threads);
        r.put("median_us", round(percentile(sorted, 50) / 1e3, 3));
        r.put("p99_us", round(percentile(sorted, 99) / 1e3, 3));
        r.put("throughput_seq_per_s", round((double) batch * n / seconds, 1));
        r.put("gflops", round(flops * n / seconds / 1e9, 6)); // tiny models run at well under 0.001 GFLOP/s
        r.put("jdk", jdk());
        r.put("cpu", cpu());
        r.put("kernels", Simd.enabled() ? "vector" : "scalar");
        r.put("lanes", Simd.lanes());
        r.put("parallel", parallelism(m, batch, threads));
        r.put("split_layer_calls_per_call", round((double) splitCalls / n, 3));
        r.put("aligned_weights", Simd.alignedWeights() && !bf16Kernels);
        r.put("kernel_precision", bf16Kernels ? "bfloat16" : "float32");
        if (json) {
            main.out().println(new JsonMapper().writeValueAsString(r));
        } else {
            table(main.out(), r, m, n, warmups, flops, warmUp);
        }
        if (main.verbose()) {
            main.err().printf(Locale.ROOT, "bench: %s, then %d warm-up and %d timed calls, %.0f FLOPs per call"
                    + " (checksum %s)%n", warmUp, warmups, n, flops, sink);
        }
        return ExitCode.OK;
    }

    private static void requireAtLeast(String option, long value, long min) {
        if (value < min) {
            throw new CliException(ExitCode.USAGE, option + " must be at least " + min + ", got " + value);
        }
    }

    private static float first(List<Tensor> outputs) {
        float[] y = outputs.get(0).data();
        return y.length == 0 ? 0 : y[0];
    }

    /** Nearest-rank percentile of ascending values: the smallest value with at least p% at or below it. */
    static long percentile(long[] ascending, double p) {
        int rank = (int) Math.ceil(p / 100.0 * ascending.length);
        return ascending[Math.max(0, Math.min(ascending.length - 1, rank - 1))];
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    private void table(PrintStream out, Map<String, Object> r, Model m, int calls, int warmups, double flops,
            String warmUp) {
        String shapes = String.join(", ", m.inputShapes().stream().map(Shape::toString).toList());
        row(out, "model", r.get("model") + " (inputs " + shapes + ")");
        row(out, "batch", r.get("batch") + " x " + r.get("timesteps") + " steps, " + r.get("threads") + " thread(s)");
        row(out, "median", String.format(Locale.ROOT, "%.1f us", (Double) r.get("median_us")));
        row(out, "p99", String.format(Locale.ROOT, "%.1f us", (Double) r.get("p99_us")));
        row(out, "throughput", String.format(Locale.ROOT, "%.1f sequences/s", (Double) r.get("throughput_seq_per_s")));
        row(out, "GFLOP/s", String.format(Locale.ROOT, "%.3f (%.4g FLOPs per call, matrix products only)",
                (Double) r.get("gflops"), flops));
        row(out, "warm-up", warmUp);
        row(out, "calls", calls + " timed after " + warmups + " warm-up");
        row(out, "jdk", (String) r.get("jdk"));
        row(out, "kernels", (Simd.enabled() ? "Vector API, " + Simd.lanes() + " float lanes" : "scalar")
                + (bf16Kernels ? ", bfloat16 kernels" : Simd.alignedWeights() ? ", aligned weights" : "") + "; "
                + switch ((String) r.get("parallel")) {
                    case "batch_rows" -> "batch rows over " + threads + " threads";
                    case "step_columns" -> String.format(Locale.ROOT,
                            "batch-1 steps split by gate columns, Bidirectional directions or stacked layers at once (%.2f split layer calls per call)",
                            (Double) r.get("split_layer_calls_per_call"));
                    default -> "one thread";
                });
        row(out, "cpu", (String) r.get("cpu"));
    }

    /**
     * How {@code Model.predict(inputs, threads)} spreads this call: {@code none} (one thread, or a model that
     * fixes its batch), {@code batch_rows} (row slices on pool threads) or {@code step_columns} (a batch of one:
     * each step of a large enough LSTM, GRU or SimpleRNN split by gate columns, a Bidirectional layer's two directions or
     * two stacked recurrent layers run at once, when the helpers are free; the measured
     * {@code split_layer_calls_per_call} says how often that happened).
     */
    static String parallelism(Model m, int batch, int threads) {
        if (threads == 1) {
            return "none";
        }
        if (batch == 1) {
            return "step_columns";
        }
        boolean fixedBatch = m.inputShapes().stream().anyMatch(s -> s.rank() > 0 && s.dim(0) != Shape.UNKNOWN);
        return fixedBatch ? "none" : "batch_rows";
    }

    private static void row(PrintStream out, String name, String value) {
        out.println(Text.pad(name, 12) + Text.safe(value));
    }

    /** {@code java.version (java.vm.name)}, e.g. {@code 25.0.1 (OpenJDK 64-Bit Server VM)}. */
    static String jdk() {
        return System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")";
    }

    /** The first {@code model name} of /proc/cpuinfo, else {@code os.arch} (e.g. on macOS or ARM Linux). */
    static String cpu() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            try (Stream<String> lines = Files.lines(cpuinfo)) {
                String name = lines.filter(l -> l.startsWith("model name"))
                        .map(l -> l.substring(l.indexOf(':') + 1).strip())
                        .findFirst().orElse("");
                if (!name.isEmpty()) {
                    return Text.safe(name);
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                // fall back to the architecture: the CPU line is informative only
            }
        }
        return System.getProperty("os.arch");
    }
}
