// 1 thread vs N threads on the same benchmarks.jar in one JVM, for noisy shared machines (not part of the Maven
// build). Usage: javac -d /tmp/ab ThreadsAb.java &&
//        java --add-modules=jdk.incubator.vector -cp /tmp/ab ThreadsAb benchmarks.jar S1,S2,S4 16 [2]
// Two LstmBenchmark instances (threads=1 and threads=N) share the JVM; after 3 s warm-up each, 0.3 s windows
// alternate (who goes first alternates too). Every call is timed on its own, so the medians and p10 of single
// calls are reported beside the mean per window: a call that lost its core to another process shows up as an
// outlier there instead of moving the median. Ratio = 1-thread time / N-thread time (above 1: N threads faster).
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;

public class ThreadsAb {
    public static void main(String[] a) throws Exception {
        String jar = a[0];
        int rounds = Integer.parseInt(a[2]);
        int threads = a.length > 3 ? Integer.parseInt(a[3]) : 2;
        ClassLoader cl = new URLClassLoader(new URL[]{Path.of(jar).toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        Class<?> c = Class.forName("org.jkeras.bench.LstmBenchmark", true, cl);
        java.lang.reflect.Method predict = c.getMethod("predict");
        for (String sc : a[1].split(",")) {
            Object[] bench = new Object[2];
            int[] th = {1, threads};
            for (int i = 0; i < 2; i++) {
                Object o = c.getConstructor().newInstance();
                c.getField("scenario").set(o, sc);
                c.getField("threads").setInt(o, th[i]);
                c.getMethod("setUp").invoke(o);
                bench[i] = o;
            }
            long window = sc.equals("S3") ? 600_000_000L : 300_000_000L;
            for (int i = 0; i < 2; i++) {
                long t0 = System.nanoTime();
                while (System.nanoTime() - t0 < 3_000_000_000L) predict.invoke(bench[i]);
            }
            long[][] calls = new long[2][1 << 22];
            int[] n = new int[2];
            double[][] mean = new double[2][rounds];
            double[] ratio = new double[rounds];
            double load0 = load();
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < 2; k++) {
                    int i = (r & 1) == 0 ? k : 1 - k;
                    int m = 0;
                    long t0 = System.nanoTime(), t = t0;
                    do {
                        long s = t;
                        predict.invoke(bench[i]);
                        t = System.nanoTime();
                        if (n[i] < calls[i].length) calls[i][n[i]++] = t - s;
                        m++;
                    } while (t - t0 < window);
                    mean[i][r] = (t - t0) / 1e3 / m;
                }
                ratio[r] = mean[0][r] / mean[1][r];
            }
            double load1 = load();
            double[] med = new double[2], p10 = new double[2];
            for (int i = 0; i < 2; i++) {
                long[] s = Arrays.copyOf(calls[i], n[i]);
                Arrays.sort(s);
                med[i] = s[s.length / 2] / 1e3;
                p10[i] = s[s.length / 10] / 1e3;
            }
            Arrays.sort(ratio);
            System.out.printf("%s 1 thread: call median %.2f p10 %.2f µs | %d threads: call median %.2f p10 %.2f µs"
                            + " | ratio of call medians %.2f, of p10 %.2f, of window means %.2f (IQR %.2f-%.2f) | load %.1f-%.1f%n",
                    sc, med[0], p10[0], threads, med[1], p10[1], med[0] / med[1], p10[0] / p10[1],
                    ratio[rounds / 2], ratio[rounds / 4], ratio[3 * rounds / 4], load0, load1);
        }
    }

    static double load() {
        try {
            return Double.parseDouble(java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (Exception e) {
            return -1;
        }
    }
}
