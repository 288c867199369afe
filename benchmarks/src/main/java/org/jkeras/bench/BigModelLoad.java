package org.jkeras.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jkeras.keras.KerasModels;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Tensor;

/**
 * The big-model load of issue 10: for each model file made by {@code benchmarks/bigmodel/make_big_lstm.py}, the
 * smallest {@code -Xmx} at which {@code KerasModels.load} and one forward pass succeed (bisected over forked JVMs),
 * the load time in a fresh JVM, the heap's peak use, and the largest difference from Keras's output. Printed as a
 * Markdown table, the form benchmarks/RESULTS.md records.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.jkeras.bench.BigModelLoad DIR [STEP_MB] [extra JVM options...]
 * </pre>
 */
public final class BigModelLoad {
    private static final String[] FILES = {"big_lstm.keras", "big_lstm_keras3.h5", "big_lstm_tf_keras2.h5"};
    private static final Pattern OK = Pattern.compile("OK load_ms=(\\S+) load_cpu_ms=(\\S+) predict_ms=(\\S+)"
            + " peak_heap_mb=(\\S+) max_diff=(\\S+)");

    private BigModelLoad() {
    }

    /** Entry point: {@code DIR [STEP_MB] [JVM options]}, or {@code --child FILE DIR} in a forked JVM. */
    public static void main(String[] args) throws Exception {
        if (args.length >= 1 && args[0].equals("--child")) {
            child(Path.of(args[1]), Path.of(args[2]));
            return;
        }
        Path dir = Path.of(args[0]);
        int step = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        List<String> jvm = new ArrayList<>(List.of(args).subList(Math.min(2, args.length), args.length));
        String info = Files.readString(dir.resolve("big_lstm.json"));
        long weightBytes = Long.parseLong(field(info, "weight_bytes"));
        double weightMb = weightBytes / (1024.0 * 1024.0);
        System.out.printf(Locale.ROOT, "# %s: %.1f MiB of float32 weights; JDK %s; %d cores; load average %.1f;"
                + " JVM options %s%n", dir, weightMb, System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage(), jvm);
        System.out.println("| file | size MiB | min -Xmx MiB | min -Xmx / weights | load s (fresh JVM, -Xmx4g) |"
                + " load CPU s | first forward s | peak heap MiB (-Xmx4g) | max diff from Keras |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        for (String f : FILES) {
            Path file = dir.resolve(f);
            if (!Files.exists(file)) {
                continue;
            }
            Matcher roomy = run(file, dir, 4096, jvm);
            if (roomy == null) {
                System.out.println("| " + f + " | fails at -Xmx4g |");
                continue;
            }
            int lo = step;            // fails (assumed)
            int hi = 4096;            // succeeds
            while (hi - lo > step) {
                int mid = (lo + hi) / 2 / step * step;
                if (mid <= lo) {
                    mid = lo + step;
                }
                if (run(file, dir, mid, jvm) != null) {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            System.out.printf(Locale.ROOT, "| %s | %.1f | %d | %.2f | %.2f | %.2f | %.2f | %s | %s |%n", f,
                    Files.size(file) / (1024.0 * 1024.0), hi, hi / weightMb,
                    Double.parseDouble(roomy.group(1)) / 1000, Double.parseDouble(roomy.group(2)) / 1000,
                    Double.parseDouble(roomy.group(3)) / 1000, roomy.group(4), roomy.group(5));
        }
    }

    /** Runs the child at {@code -Xmx<mb>m}; its result line, or null when it failed (out of memory). */
    private static Matcher run(Path file, Path dir, int mb, List<String> jvm) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + mb + "m");
        cmd.add("--add-modules=jdk.incubator.vector");
        cmd.addAll(jvm);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), BigModelLoad.class.getName(), "--child",
                file.toString(), dir.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String last = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("OK ") || line.startsWith("FAIL ")) {
                    last = line;
                }
            }
        }
        int rc = p.waitFor();
        System.err.printf(Locale.ROOT, "  %s -Xmx%dm: %s%n", file.getFileName(), mb, last == null ? "exit " + rc : last);
        Matcher m = last == null ? null : OK.matcher(last);
        return rc == 0 && m != null && m.matches() ? m : null;
    }

    private static void child(Path file, Path dir) throws IOException {
        try {
            String info = Files.readString(dir.resolve("big_lstm.json"));
            int[] inShape = shape(info, "input_shape");
            float[] x = floats(dir.resolve("input.f32"));
            float[] expected = floats(dir.resolve("expected.f32"));
            java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long c0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            Model model = KerasModels.load(file);
            long t1 = System.nanoTime();
            long cpu = threads.getCurrentThreadCpuTime() - c0; // the loading thread's: steadier on a busy machine
            Tensor y = model.predict(Tensor.wrap(x, inShape));
            long t2 = System.nanoTime();
            double diff = 0;
            for (int i = 0; i < expected.length; i++) {
                diff = Math.max(diff, Math.abs(y.data()[i] - expected[i]));
            }
            long peak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                    peak += pool.getPeakUsage().getUsed();
                }
            }
            System.out.printf(Locale.ROOT, "OK load_ms=%.0f load_cpu_ms=%.0f predict_ms=%.0f peak_heap_mb=%.0f"
                    + " max_diff=%.2e%n", (t1 - t0) / 1e6, cpu / 1e6, (t2 - t1) / 1e6, peak / (1024.0 * 1024.0), diff);
        } catch (OutOfMemoryError e) {
            System.out.println("FAIL out of memory: " + e.getMessage());
            System.exit(2);
        } catch (RuntimeException e) {
            System.out.println("FAIL " + e);
            System.exit(3);
        }
    }

    private static float[] floats(Path p) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\\s*(\\[[^\\]]*\\]|[^,}\\]]+)").matcher(json);
        if (!m.find()) {
            throw new IllegalArgumentException("big_lstm.json has no " + name);
        }
        return m.group(1).trim();
    }

    private static int[] shape(String json, String name) {
        String[] parts = field(json, name).replaceAll("[\\[\\]\\s]", "").split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Integer.parseInt(parts[i]);
        }
        return out;
    }
}
