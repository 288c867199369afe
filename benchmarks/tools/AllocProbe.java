// Outside the Maven build: compiled into the runtime's kernels package to reach its package-private switches.
// Usage: javac --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar -d /tmp/probe benchmarks/tools/AllocProbe.java &&
//        java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar:/tmp/probe org.jkeras.runtime.kernels.AllocProbe
package org.jkeras.runtime.kernels;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.jkeras.bench.Scenarios;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Tensor;

/** Bytes allocated per S4 call by the caller and the step helpers, 1 vs 2 threads, split forced on (backoff off). */
public class AllocProbe {
    public static void main(String[] a) {
        StepTeam.backOff = false;
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Scenarios.Scenario s = Scenarios.build("S4");
        Model m = s.model();
        List<Tensor> in = List.of(s.input());
        for (int t = 1; t <= 2; t++) {
            for (int i = 0; i < 1500; i++) m.predict(in, t);
            long helpers0 = helperBytes(mx);
            long c0 = mx.getCurrentThreadAllocatedBytes();
            int n = 300;
            for (int i = 0; i < n; i++) m.predict(in, t);
            long caller = mx.getCurrentThreadAllocatedBytes() - c0;
            long helpers = helperBytes(mx) - helpers0;
            System.out.printf("S4, %d thread(s): caller %.0f B/call, step helpers %.1f B/call (%d calls of 100 steps)%n",
                    t, caller / (double) n, helpers / (double) n, n);
        }
    }

    static long helperBytes(com.sun.management.ThreadMXBean mx) {
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("jkeras-step-")) sum += mx.getThreadAllocatedBytes(t.threadId());
        }
        return sum;
    }
}
