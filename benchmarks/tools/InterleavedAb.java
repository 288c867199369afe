// Interleaved A/B of two benchmarks.jar builds in one JVM, for noisy shared machines (not part of the Maven build).
// Usage: javac -d /tmp/ab InterleavedAb.java &&
//        java --add-modules=jdk.incubator.vector -cp /tmp/ab InterleavedAb before.jar after.jar S1,S2,S4,S3 16
// Each jar gets its own class loader; after 3 s warm-up each, short windows alternate (who goes first alternates
// too) and the before/after ratio is taken per window pair, so load drift hits both sides alike.
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;

public class InterleavedAb {
    public static void main(String[] a) throws Exception {
        Object[] bench = new Object[2];
        java.lang.reflect.Method[] predict = new java.lang.reflect.Method[2];
        String[] jars = {a[0], a[1]};
        int rounds = Integer.parseInt(a[3]);
        for (String sc : a[2].split(",")) {
            for (int i = 0; i < 2; i++) {
                ClassLoader cl = new URLClassLoader(new URL[]{Path.of(jars[i]).toUri().toURL()}, ClassLoader.getPlatformClassLoader());
                Class<?> c = Class.forName("org.jkeras.bench.LstmBenchmark", true, cl);
                Object o = c.getConstructor().newInstance();
                c.getField("scenario").set(o, sc);
                c.getMethod("setUp").invoke(o);
                bench[i] = o;
                predict[i] = c.getMethod("predict");
            }
            long window = sc.equals("S3") ? 600_000_000L : 300_000_000L;
            for (int i = 0; i < 2; i++) { long t0 = System.nanoTime(); while (System.nanoTime() - t0 < 3_000_000_000L) predict[i].invoke(bench[i]); }
            double[][] us = new double[2][rounds];
            double[] ratio = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < 2; k++) {
                    int i = (r & 1) == 0 ? k : 1 - k; // alternate who goes first
                    int n = 0;
                    long t0 = System.nanoTime(), t;
                    do { predict[i].invoke(bench[i]); n++; t = System.nanoTime(); } while (t - t0 < window);
                    us[i][r] = (t - t0) / 1e3 / n;
                }
                ratio[r] = us[0][r] / us[1][r];
            }
            double[] s0 = us[0].clone(), s1 = us[1].clone(); Arrays.sort(s0); Arrays.sort(s1); Arrays.sort(ratio);
            System.out.printf("%s before med %.3f min %.3f | after med %.3f min %.3f | before/after med %.3f (IQR %.3f-%.3f) µs/op%n",
                    sc, s0[rounds / 2], s0[0], s1[rounds / 2], s1[0], ratio[rounds / 2], ratio[rounds / 4], ratio[3 * rounds / 4]);
        }
    }
}
