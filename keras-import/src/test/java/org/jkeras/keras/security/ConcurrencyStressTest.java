package org.jkeras.keras.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jkeras.keras.KerasModels;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.session.Session;
import org.junit.jupiter.api.Test;

/**
 * Thread safety under load, for a bounded time: 16 threads predicting on one shared model, 16 threads each with
 * its own streaming session, and 16 threads loading models at once; every result bit-identical to the
 * single-threaded one. Prints the throughput.
 */
class ConcurrencyStressTest {
    private static final int THREADS = 16;
    private static final long MILLIS = 1500;

    private static Tensor input(long seed, int batch) {
        Random r = new Random(seed);
        float[] x = new float[batch * 3 * 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return Tensor.wrap(x, batch, 3, 2);
    }

    private static List<float[]> outputs(List<Tensor> ys) {
        return ys.stream().map(Tensor::data).toList();
    }

    private static void assertSame(List<float[]> want, List<float[]> got, String what) {
        assertEquals(want.size(), got.size(), what);
        for (int i = 0; i < want.size(); i++) {
            int[] a = new int[want.get(i).length];
            int[] b = new int[got.get(i).length];
            for (int k = 0; k < a.length; k++) {
                a[k] = Float.floatToRawIntBits(want.get(i)[k]);
            }
            for (int k = 0; k < b.length; k++) {
                b[k] = Float.floatToRawIntBits(got.get(i)[k]);
            }
            assertTrue(Arrays.equals(a, b), what + ": output " + i + " differs from the single-threaded result");
        }
    }

    private static long runAll(List<Callable<Long>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            long total = 0;
            for (Future<Long> f : pool.invokeAll(tasks, 120, TimeUnit.SECONDS)) {
                total += f.get();
            }
            return total;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void sixteenThreadsPredictingOnOneModelGetSingleThreadedResults() throws Exception {
        Model m = KerasModels.load(MalformedFiles.file("special_recurrent.keras"));
        int cases = 8;
        List<Tensor> xs = new ArrayList<>();
        List<List<float[]>> want = new ArrayList<>();
        for (int c = 0; c < cases; c++) {
            xs.add(input(c, 1 + c % 5));
            want.add(outputs(m.predict(List.of(xs.get(c)))));
        }
        List<Callable<Long>> tasks = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            tasks.add(() -> {
                long n = 0;
                long end = System.nanoTime() + MILLIS * 1_000_000;
                for (int i = id; System.nanoTime() < end; i++) {
                    int c = i % cases;
                    assertSame(want.get(c), outputs(m.predict(List.of(xs.get(c)))), "thread " + id + " case " + c);
                    n++;
                }
                return n;
            });
        }
        long n = runAll(tasks);
        System.out.printf("stress: %d threads, one model: %d predictions in %d ms (%.0f/s)%n", THREADS, n, MILLIS,
                n * 1000.0 / MILLIS);
        assertTrue(n >= THREADS);
    }

    /** Feeds a [1, 12, 5] sequence one step per call through a fresh streaming session; the last output. */
    private static List<float[]> streamed(Model m, Tensor seq) {
        Session s = Session.streaming(m);
        List<Tensor> y = null;
        float[] x = seq.data();
        for (int t = 0; t < 12; t++) {
            y = s.predict(List.of(Tensor.wrap(Arrays.copyOfRange(x, t * 5, t * 5 + 5), 1, 1, 5)));
        }
        return outputs(y);
    }

    @Test
    void sixteenStreamingSessionsGetSingleThreadedResults() throws Exception {
        Model m = KerasModels.load(org.jkeras.fixtures.Fixtures.root()
                .resolve("models/lstm_last_dense/sequential/model.keras"));
        Random r = new Random(4);
        float[] x = new float[12 * 5];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        Tensor seq = Tensor.wrap(x, 1, 12, 5);
        List<float[]> want = streamed(m, seq);
        List<Callable<Long>> tasks = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            tasks.add(() -> {
                long n = 0;
                long end = System.nanoTime() + MILLIS * 1_000_000;
                while (System.nanoTime() < end) {
                    assertSame(want, streamed(m, seq), "session of thread " + id);
                    n++;
                }
                return n;
            });
        }
        long n = runAll(tasks);
        System.out.printf("stress: %d threads, own streaming sessions: %d sequences of 12 one-step calls in %d ms"
                + " (%.0f steps/s)%n", THREADS, n, MILLIS, n * 12 * 1000.0 / MILLIS);
        assertTrue(n >= THREADS);
    }

    @Test
    void sixteenThreadsLoadingAtOnceGetTheSameModels() throws Exception {
        String[] files = {"base_seq.keras", "base_seq.h5", "special_recurrent.keras", "h5_fletcher_ok.h5",
            "zip_deflated.keras", "verify_ok.keras"};
        List<List<float[]>> want = new ArrayList<>();
        List<Tensor> xs = new ArrayList<>();
        for (String f : files) {
            Model m = KerasModels.load(MalformedFiles.file(f));
            Tensor x = f.startsWith("special") ? input(5, 2) : Tensor.wrap(new float[] {0.1f, -0.2f, 0.3f}, 1, 3);
            xs.add(x);
            want.add(outputs(m.predict(List.of(x))));
        }
        List<Callable<Long>> tasks = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            tasks.add(() -> {
                long n = 0;
                long end = System.nanoTime() + MILLIS * 1_000_000;
                for (int i = id; System.nanoTime() < end; i++) {
                    int f = i % files.length;
                    Model m = KerasModels.load(MalformedFiles.file(files[f]));
                    assertSame(want.get(f), outputs(m.predict(List.of(xs.get(f)))), files[f] + " on thread " + id);
                    n++;
                }
                return n;
            });
        }
        long n = runAll(tasks);
        System.out.printf("stress: %d threads loading: %d loads in %d ms (%.0f/s)%n", THREADS, n, MILLIS,
                n * 1000.0 / MILLIS);
        assertTrue(n >= THREADS);
    }
}
