// Interleaved A/B of TrainingBenchmark between two benchmarks.jar builds in one JVM, for noisy shared machines
// (not part of the Maven build). Usage:
//   javac -d /tmp/ab benchmarks/tools/TrainingAb.java &&
//   java --add-modules=jdk.incubator.vector -cp /tmp/ab TrainingAb before.jar after.jar S2_b32,S3_lstm 12 \
//        [method=trainStep] [threadsA=1] [threadsB=1]
// Each jar gets its own class loader; after 3 s warm-up each, windows of ~1 s (at least 3 calls) alternate (who goes
// first alternates too) and the A/B time ratio is taken per window pair, so load drift hits both sides alike.
// threadsA/threadsB set TrainingBenchmark's `threads` field where the jar has one (a jar without it runs 1 thread).
// Besides wall time it reports the calling thread's CPU time per call: with 1 thread all the work runs there, so on
// a machine shared with other jobs (time slices lost to them do not count) its ratio is the steadier one.
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;

public class TrainingAb {
    public static void main(String[] a) throws Exception {
        String[] jars = {a[0], a[1]};
        int rounds = Integer.parseInt(a[3]);
        String method = a.length > 4 ? a[4] : "trainStep";
        String[] threads = {a.length > 5 ? a[5] : "1", a.length > 6 ? a[6] : "1"};
        for (String sc : a[2].split(",")) {
            Object[] bench = new Object[2];
            Method[] call = new Method[2];
            for (int i = 0; i < 2; i++) {
                ClassLoader cl = new URLClassLoader(new URL[]{Path.of(jars[i]).toUri().toURL()},
                        ClassLoader.getPlatformClassLoader());
                Class<?> c = Class.forName("org.jkeras.bench.TrainingBenchmark", true, cl);
                Object o = c.getConstructor().newInstance();
                c.getField("scenario").set(o, sc);
                try {
                    Field f = c.getField("threads");
                    f.set(o, Integer.parseInt(threads[i]));
                } catch (NoSuchFieldException e) {
                    if (!threads[i].equals("1")) {
                        throw new IllegalArgumentException(jars[i] + " has no threads parameter");
                    }
                }
                c.getMethod("setUp").invoke(o);
                bench[i] = o;
                call[i] = c.getMethod(method);
            }
            long window = 1_000_000_000L;
            for (int i = 0; i < 2; i++) {
                long t0 = System.nanoTime();
                while (System.nanoTime() - t0 < 3_000_000_000L) {
                    call[i].invoke(bench[i]);
                }
            }
            double[][] us = new double[2][rounds];
            double[][] cpu = new double[2][rounds];
            double[] ratio = new double[rounds];
            double[] cpuRatio = new double[rounds];
            java.lang.management.ThreadMXBean tm = java.lang.management.ManagementFactory.getThreadMXBean();
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < 2; k++) {
                    int i = (r & 1) == 0 ? k : 1 - k; // alternate who goes first
                    int n = 0;
                    long c0 = tm.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime(), t;
                    do {
                        call[i].invoke(bench[i]);
                        n++;
                        t = System.nanoTime();
                    } while (t - t0 < window || n < 3);
                    us[i][r] = (t - t0) / 1e3 / n;
                    cpu[i][r] = (tm.getCurrentThreadCpuTime() - c0) / 1e3 / n;
                }
                ratio[r] = us[0][r] / us[1][r];
                cpuRatio[r] = cpu[0][r] / cpu[1][r];
            }
            double[] s0 = us[0].clone(), s1 = us[1].clone();
            Arrays.sort(s0);
            Arrays.sort(s1);
            Arrays.sort(ratio);
            Arrays.sort(cpuRatio);
            double[] p0 = cpu[0].clone(), p1 = cpu[1].clone();
            Arrays.sort(p0);
            Arrays.sort(p1);
            System.out.printf("%s %s A(threads %s) med %.1f min %.1f | B(threads %s) med %.1f min %.1f µs/op"
                            + " | A/B med %.3f (IQR %.3f-%.3f, range %.3f-%.3f)%n",
                    sc, method, threads[0], s0[rounds / 2], s0[0], threads[1], s1[rounds / 2], s1[0],
                    ratio[rounds / 2], ratio[rounds / 4], ratio[3 * rounds / 4], ratio[0], ratio[rounds - 1]);
            System.out.printf("%s %s   calling-thread CPU µs/op: A med %.1f | B med %.1f | A/B med %.3f (IQR %.3f-%.3f)%n",
                    sc, method, p0[rounds / 2], p1[rounds / 2], cpuRatio[rounds / 2], cpuRatio[rounds / 4],
                    cpuRatio[3 * rounds / 4]);
        }
    }
}
