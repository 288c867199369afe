// Outside the Maven build: compiled into the runtime's kernels package to reach its package-private switches.
// Usage: javac --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar -d /tmp/probe benchmarks/tools/SplitProbe.java &&
//        java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar:/tmp/probe org.jkeras.runtime.kernels.SplitProbe S2,S4
package org.jkeras.runtime.kernels;

import java.util.Arrays;
import java.util.List;
import org.jkeras.bench.Scenarios;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Tensor;

/** 1 vs 2 threads, blocks of 20 calls alternating, backoff off: what the split does in the moments a core is free. */
public class SplitProbe {
    public static void main(String[] a) {
        StepTeam.backOff = a.length > 1 && a[1].equals("backoff");
        for (String sc : a[0].split(",")) {
            Scenarios.Scenario s = Scenarios.build(sc);
            Model m = s.model();
            List<Tensor> in = List.of(s.input());
            int n = sc.equals("S4") ? 1500 : 30000;
            double[][] us = new double[2][n];
            int[] filled = new int[2];
            for (int block = 0; filled[0] < n || filled[1] < n; block++) {
                int t = 1 + (block & 1);
                for (int i = 0; i < 22; i++) {
                    long t0 = System.nanoTime();
                    m.predict(in, t);
                    double d = (System.nanoTime() - t0) / 1e3;
                    if (i >= 2 && block >= 40 && filled[t - 1] < n) {
                        us[t - 1][filled[t - 1]++] = d;
                    }
                }
            }
            for (double[] v : us) Arrays.sort(v);
            System.out.printf("%s: 1 thread min %.1f p1 %.1f p10 %.1f med %.1f | 2 threads min %.1f p1 %.1f p10 %.1f med %.1f µs | 1/2 at p1 %.2f, p10 %.2f, median %.2f | load %s%n",
                    sc, us[0][0], us[0][n / 100], us[0][n / 10], us[0][n / 2], us[1][0], us[1][n / 100], us[1][n / 10], us[1][n / 2],
                    us[0][n / 100] / us[1][n / 100], us[0][n / 10] / us[1][n / 10], us[0][n / 2] / us[1][n / 2], load());
        }
    }

    static String load() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }
}
