// Interleaved A/B of RecurrentBenchmark's two kernels (packed = the layer now, reference = the code it ran before)
// in one JVM, for noisy shared machines (not part of the Maven build). Usage:
//   javac -d /tmp/ab benchmarks/tools/RecurrentAb.java &&
//   java --add-modules=jdk.incubator.vector -cp /tmp/ab RecurrentAb benchmarks/target/benchmarks.jar G3,G4 12 [windowMs]
//        [warmUpSeconds]
// After a warm-up each (default 20 s: on a loaded 2-core machine C2 reached the GRU step loop only after ~15 s), windows (default 1 s, at least 3 calls) alternate, who goes first alternating too; the
// reference/packed ratio is taken per window pair, so load drift hits both sides alike. Besides wall time it reports
// the calling thread's CPU time per call: everything runs on that thread, so time slices lost to other jobs do not
// count and its ratio is the steadier one on a busy machine. The load average is printed per scenario.
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;

public class RecurrentAb {
    public static void main(String[] a) throws Exception {
        ClassLoader cl = new URLClassLoader(new URL[]{Path.of(a[0]).toUri().toURL()},
                ClassLoader.getPlatformClassLoader());
        Class<?> c = Class.forName("org.jkeras.bench.RecurrentBenchmark", true, cl);
        int rounds = Integer.parseInt(a[2]);
        long window = (a.length > 3 ? Long.parseLong(a[3]) : 1000) * 1_000_000L;
        long warmUp = (a.length > 4 ? Long.parseLong(a[4]) : 20) * 1_000_000_000L;
        String[] kernels = {"reference", "packed"};
        ThreadMXBean tm = ManagementFactory.getThreadMXBean();
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        for (String sc : a[1].split(",")) {
            Object[] bench = new Object[2];
            Method run = c.getMethod("run");
            for (int i = 0; i < 2; i++) {
                bench[i] = c.getConstructor().newInstance();
                c.getField("scenario").set(bench[i], sc);
                c.getField("kernel").set(bench[i], kernels[i]);
                c.getMethod("setUp").invoke(bench[i]);
            }
            double load0 = os.getSystemLoadAverage();
            for (int i = 0; i < 2; i++) {
                long t0 = System.nanoTime();
                while (System.nanoTime() - t0 < warmUp) {
                    run.invoke(bench[i]);
                }
            }
            double[][] us = new double[2][rounds];
            double[][] cpu = new double[2][rounds];
            double[] ratio = new double[rounds];
            double[] cpuRatio = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < 2; k++) {
                    int i = (r & 1) == 0 ? k : 1 - k;
                    int n = 0;
                    long c0 = tm.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime(), t;
                    do {
                        run.invoke(bench[i]);
                        n++;
                        t = System.nanoTime();
                    } while (t - t0 < window || n < 3);
                    us[i][r] = (t - t0) / 1e3 / n;
                    cpu[i][r] = (tm.getCurrentThreadCpuTime() - c0) / 1e3 / n;
                }
                ratio[r] = us[0][r] / us[1][r];
                cpuRatio[r] = cpu[0][r] / cpu[1][r];
            }
            for (double[] x : new double[][] {us[0], us[1], cpu[0], cpu[1], ratio, cpuRatio}) {
                Arrays.sort(x);
            }
            int m = rounds / 2;
            System.out.printf("%s load %.1f-%.1f | wall µs/op: reference med %.0f min %.0f, packed med %.0f min %.0f,"
                            + " reference/packed med %.2f (IQR %.2f-%.2f) | thread CPU µs/op: reference %.0f, packed"
                            + " %.0f, ratio med %.2f (IQR %.2f-%.2f)%n",
                    sc, load0, os.getSystemLoadAverage(), us[0][m], us[0][0], us[1][m], us[1][0], ratio[m],
                    ratio[rounds / 4], ratio[3 * rounds / 4], cpu[0][m], cpu[1][m], cpuRatio[m],
                    cpuRatio[rounds / 4], cpuRatio[3 * rounds / 4]);
        }
    }
}
