// The machine's FMA peak, and two benchmarks.jar builds on the batch shapes, interleaved in one JVM (not part of the
// Maven build). Usage:
//   javac -d /tmp/ab benchmarks/tools/PeakAb.java &&
//   java --add-modules=jdk.incubator.vector -cp /tmp/ab PeakAb before.jar after.jar S3,G3 12 [windowMs] [warmUpSeconds]
// Scenarios: S1-S4 (LstmBenchmark), G3, G4, G3b, G4b, R3, R4 (RecurrentBenchmark, kernel=packed). Each jar gets its
// own class loader. After a warm-up each (default 20 s), windows (default 1 s, at least 3 calls) rotate over
// FmaPeakBenchmark (12 chains, from the after jar), before and after, who goes first rotating too. Reported per
// scenario: wall and calling-thread CPU µs per call (medians over the windows), before/after ratios per window,
// GFLOP/s (nominal: 2·batch·steps·(in + units)·gates·units) and their share of the peak measured in the same
// windows, on CPU time (everything runs on the calling thread, so slices lost to other jobs do not count) and wall.
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;

public class PeakAb {
    static final double PEAK_FLOP = 4096.0 * 12 * 2 * 16; // FmaPeakBenchmark.peak per call

    public static void main(String[] a) throws Exception {
        ClassLoader[] cls = new ClassLoader[2];
        for (int i = 0; i < 2; i++) {
            cls[i] = new URLClassLoader(new URL[]{Path.of(a[i]).toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        }
        int rounds = Integer.parseInt(a[3]);
        long window = (a.length > 4 ? Long.parseLong(a[4]) : 1000) * 1_000_000L;
        long warmUp = (a.length > 5 ? Long.parseLong(a[5]) : 20) * 1_000_000_000L;
        ThreadMXBean tm = ManagementFactory.getThreadMXBean();
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        Class<?> pc = Class.forName("org.jkeras.bench.FmaPeakBenchmark", true, cls[1]);
        Object peak = pc.getConstructor().newInstance();
        pc.getField("accumulators").set(peak, 12);
        pc.getMethod("setUp").invoke(peak);
        Method peakRun = pc.getMethod("peak");
        for (String sc : a[2].split(",")) {
            Object[] bench = new Object[3];
            Method[] run = new Method[3];
            for (int i = 0; i < 2; i++) {
                boolean lstm = sc.startsWith("S");
                Class<?> c = Class.forName(lstm ? "org.jkeras.bench.LstmBenchmark" : "org.jkeras.bench.RecurrentBenchmark",
                        true, cls[i]);
                bench[i] = c.getConstructor().newInstance();
                c.getField("scenario").set(bench[i], sc);
                if (lstm) {
                    c.getField("threads").set(bench[i], 1);
                } else {
                    c.getField("kernel").set(bench[i], "packed");
                }
                c.getMethod("setUp").invoke(bench[i]);
                run[i] = c.getMethod(lstm ? "predict" : "run");
            }
            bench[2] = peak;
            run[2] = peakRun;
            double load0 = os.getSystemLoadAverage();
            for (int i = 0; i < 3; i++) {
                long t0 = System.nanoTime();
                while (System.nanoTime() - t0 < (i == 2 ? warmUp / 4 : warmUp)) {
                    run[i].invoke(bench[i]);
                }
            }
            double[][] us = new double[3][rounds];
            double[][] cpu = new double[3][rounds];
            double[] ratio = new double[rounds];
            double[] cpuRatio = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < 3; k++) {
                    int i = (r + k) % 3;
                    int n = 0;
                    long c0 = tm.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime(), t;
                    do {
                        run[i].invoke(bench[i]);
                        n++;
                        t = System.nanoTime();
                    } while (t - t0 < (i == 2 ? window / 4 : window) || n < 3);
                    us[i][r] = (t - t0) / 1e3 / n;
                    cpu[i][r] = (tm.getCurrentThreadCpuTime() - c0) / 1e3 / n;
                }
                ratio[r] = us[0][r] / us[1][r];
                cpuRatio[r] = cpu[0][r] / cpu[1][r];
            }
            for (double[] x : new double[][] {us[0], us[1], us[2], cpu[0], cpu[1], cpu[2], ratio, cpuRatio}) {
                Arrays.sort(x);
            }
            int m = rounds / 2;
            double flop = flop(sc);
            double peakCpu = PEAK_FLOP / cpu[2][m] / 1e3;  // GFLOP/s
            double peakWall = PEAK_FLOP / us[2][m] / 1e3;
            System.out.printf("%s load %.1f-%.1f | wall µs/op before %.0f (min %.0f) after %.0f (min %.0f), before/after"
                            + " med %.3f (IQR %.3f-%.3f) | CPU µs/op before %.0f after %.0f, before/after med %.3f"
                            + " (IQR %.3f-%.3f) | peak GFLOP/s CPU %.1f wall %.1f | GFLOP/s CPU before %.1f (%.1f%%)"
                            + " after %.1f (%.1f%%) | wall after %.1f (%.1f%% of wall peak)%n",
                    sc, load0, os.getSystemLoadAverage(), us[0][m], us[0][0], us[1][m], us[1][0], ratio[m],
                    ratio[rounds / 4], ratio[3 * rounds / 4], cpu[0][m], cpu[1][m], cpuRatio[m], cpuRatio[rounds / 4],
                    cpuRatio[3 * rounds / 4], peakCpu, peakWall, flop / cpu[0][m] / 1e3,
                    100 * flop / cpu[0][m] / 1e3 / peakCpu, flop / cpu[1][m] / 1e3,
                    100 * flop / cpu[1][m] / 1e3 / peakCpu, flop / us[1][m] / 1e3,
                    100 * flop / us[1][m] / 1e3 / peakWall);
        }
    }

    /** Nominal FLOP of one call: 2·batch·steps·(in + units)·gates·units (in 64, units 256, 100 steps). */
    static double flop(String sc) {
        int batch = sc.matches("S[12]|.4b?") ? 1 : 64;
        int gates = sc.startsWith("S") ? 4 : sc.startsWith("G") ? 3 : 1;
        if (sc.equals("S1") || sc.equals("S2")) {
            return Double.NaN; // other shapes
        }
        return 2.0 * batch * 100 * (64 + 256) * gates * 256;
    }
}
