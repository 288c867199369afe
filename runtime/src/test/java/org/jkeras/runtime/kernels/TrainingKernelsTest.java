package org.jkeras.runtime.kernels;

import org.jkeras.runtime.tensor.Activation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins the fast paths of the recurrent training kernels to their scalar references on random shapes around the
 * vector width: the Vector API elementwise passes against the scalar loops (same float operations except
 * VectorMath's sigmoid/tanh, so within a few float32 roundings), and every thread count against one thread
 * (bit-identical: each value is computed by one thread with the same operations in the same order).
 */
class TrainingKernelsTest {
    /** Largest vector-vs-scalar difference seen, relative to max(1, |scalar|); printed for the record. */
    private static double worst;

    static Stream<Arguments> lstmShapes() {
        SplittableRandom r = new SplittableRandom(41);
        int[] units = {1, 3, 16, 17, 33, 64, 8, 20};
        List<Arguments> list = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            int u = units[i % units.length];
            int batch = 1 + r.nextInt(6);
            int steps = 1 + r.nextInt(6);
            int in = 1 + r.nextInt(20);
            list.add(Arguments.of(batch, steps, in, u, i % 2 == 0, i % 3 != 0, i % 4 == 1, 900L + i));
        }
        return list.stream();
    }

    @ParameterizedTest(name = "batch={0} steps={1} in={2} units={3} sequences={4} bias={5} states={6}")
    @MethodSource("lstmShapes")
    void lstmTrainingVectorPassesMatchTheScalarLoopsAndThreadsChangeNothing(int batch, int steps, int in, int units,
                                                                           boolean sequences, boolean useBias,
                                                                           boolean states, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = random(r, batch * steps * in, 1.0);
        float[] w = random(r, in * 4 * units, 0.6);
        float[] u = random(r, units * 4 * units, 0.6);
        float[] b = useBias ? random(r, 4 * units, 0.5) : null;
        float[] h0 = states ? random(r, batch * units, 1.0) : null;
        float[] c0 = states ? random(r, batch * units, 1.0) : null;
        float[] dOut = random(r, (sequences ? batch * steps : batch) * units, 1.0);
        Run scalar = lstm(x, batch, steps, in, units, w, u, b, h0, c0, dOut, sequences, 1, false);
        Run vector = lstm(x, batch, steps, in, units, w, u, b, h0, c0, dOut, sequences, 1, true);
        scalar.assertClose(vector, 2e-6, "vector vs scalar");
        for (int threads : new int[] {2, 3, 7}) {
            lstm(x, batch, steps, in, units, w, u, b, h0, c0, dOut, sequences, threads, true)
                    .assertIdentical(vector, threads + " threads vs 1");
            lstm(x, batch, steps, in, units, w, u, b, h0, c0, dOut, sequences, threads, false)
                    .assertIdentical(scalar, "scalar, " + threads + " threads vs 1");
        }
    }

    @Test
    void lstmTrainingKernelsAtSizesThatFillTheVectorsStayClose() {
        // a bigger case: several full vectors per gate, many steps, the k-chunked weight gradient over > 1 chunk
        SplittableRandom r = new SplittableRandom(5);
        int batch = 9;
        int steps = 30;
        int in = 24;
        int units = 48;
        float[] x = random(r, batch * steps * in, 1.0);
        float[] w = random(r, in * 4 * units, 0.3);
        float[] u = random(r, units * 4 * units, 0.3);
        float[] b = random(r, 4 * units, 0.5);
        float[] dOut = random(r, batch * steps * units, 1.0);
        Run scalar = lstm(x, batch, steps, in, units, w, u, b, null, null, dOut, true, 1, false);
        Run vector = lstm(x, batch, steps, in, units, w, u, b, null, null, dOut, true, 1, true);
        scalar.assertClose(vector, 2e-6, "vector vs scalar");
        lstm(x, batch, steps, in, units, w, u, b, null, null, dOut, true, 2, true).assertIdentical(vector, "2 threads");
    }

    @org.junit.jupiter.api.BeforeAll
    static void splitEvenTinyShapes() {
        Parallel.setMinWork(0); // so every thread count really cuts these small cases
    }

    @org.junit.jupiter.api.AfterAll
    static void printWorst() {
        Parallel.setMinWork(Parallel.MIN_WORK);
        System.out.printf("TrainingKernelsTest: largest vector-vs-scalar difference %.3g (relative to max(1, |x|))%n",
                worst);
    }

    @ParameterizedTest(name = "batch={0} steps={1} in={2} units={3} sequences={4} bias={5} states={6}")
    @MethodSource("lstmShapes")
    void gruTrainingVectorPassesMatchTheScalarLoopsAndThreadsChangeNothing(int batch, int steps, int in, int units,
                                                                          boolean sequences, boolean useBias,
                                                                          boolean states, long seed) {
        SplittableRandom r = new SplittableRandom(seed + 1);
        float[] x = random(r, batch * steps * in, 1.0);
        float[] w = random(r, in * 3 * units, 0.6);
        float[] u = random(r, units * 3 * units, 0.6);
        float[] h0 = states ? random(r, batch * units, 1.0) : null;
        float[] dOut = random(r, (sequences ? batch * steps : batch) * units, 1.0);
        for (boolean resetAfter : new boolean[] {true, false}) {
            float[] b = useBias ? random(r, (resetAfter ? 2 : 1) * 3 * units, 0.5) : null;
            Run scalar = gru(x, batch, steps, in, units, resetAfter, w, u, b, h0, dOut, sequences, 1, false);
            Run vector = gru(x, batch, steps, in, units, resetAfter, w, u, b, h0, dOut, sequences, 1, true);
            scalar.assertClose(vector, 2e-6, "gru reset_after=" + resetAfter + " vector vs scalar");
            for (int threads : new int[] {2, 3, 7}) {
                gru(x, batch, steps, in, units, resetAfter, w, u, b, h0, dOut, sequences, threads, true)
                        .assertIdentical(vector, "gru reset_after=" + resetAfter + ", " + threads + " threads vs 1");
            }
        }
    }

    private static Run gru(float[] x, int batch, int steps, int in, int units, boolean resetAfter, float[] w,
                           float[] u, float[] b, float[] h0, float[] dOut, boolean sequences, int threads,
                           boolean vector) {
        return gru(x, batch, steps, in, units, resetAfter, w, u, b, h0, dOut, sequences, threads, vector, null);
    }

    private static Run gru(float[] x, int batch, int steps, int in, int units, boolean resetAfter, float[] w,
                           float[] u, float[] b, float[] h0, float[] dOut, boolean sequences, int threads,
                           boolean vector, GruTape reuse) {
        GruTape tape = reuse != null ? reuse : new GruTape(batch, steps, in, units);
        float[] out = new float[(sequences ? batch * steps : batch) * units];
        GruKernel.forwardTrain(x, batch, steps, in, units, resetAfter, w, u, b, Activation.TANH, Activation.SIGMOID,
                h0, out, sequences, null, tape, threads, vector);
        float[] h = tape.h.clone();
        float[] gates = tape.gates.clone();
        float[] reset = tape.reset.clone();
        float[] dW = new float[w.length];
        float[] dU = new float[u.length];
        float[] dB = b == null ? null : new float[b.length];
        float[] dx = new float[x.length];
        GruKernel.backward(dOut, batch, steps, in, units, resetAfter, w, u, Activation.TANH, Activation.SIGMOID,
                sequences, null, tape, dW, dU, dB, dx, threads, vector);
        return new Run(out, h, reset, gates, dW, dU, dB, dx);
    }

    @Test
    void weightGradientProductsAreBitIdenticalForAnyThreadCountAndMatchTheScalarReference() {
        SplittableRandom r = new SplittableRandom(9);
        int[][] shapes = {{64, 300, 256}, {7, 129, 65}, {33, 64, 1}, {256, 70, 200}, {5, 1, 17}};
        for (int[] s : shapes) {
            int m = s[0];
            int k = s[1];
            int n = s[2];
            float[] a = random(r, k * m, 1.0);
            float[] bm = random(r, k * n, 1.0);
            float[] c0 = random(r, m * n, 1.0);
            for (boolean acc : new boolean[] {true, false}) {
                float[] ref = c0.clone();
                ScalarMatmul.tn(a, 0, bm, 0, ref, 0, m, k, n, acc);
                float[] one = c0.clone();
                Matmul.packedTn(a, 0, bm, 0, one, 0, m, k, n, acc, 1);
                for (int i = 0; i < ref.length; i++) {
                    assertTrue(Math.abs(ref[i] - one[i]) <= 1e-5 * (k + 1), "tn " + m + "x" + k + "x" + n + " at " + i);
                }
                float[] sums0 = random(r, n + 3, 1.0);
                float[] wantSums = sums0.clone();
                RowOps.addColumnSums(bm, 0, k, n, wantSums, 3);
                for (int threads : new int[] {2, 3, 5}) {
                    float[] par = c0.clone();
                    Matmul.packedTn(a, 0, bm, 0, par, 0, m, k, n, acc, threads);
                    assertArrayEquals(one, par, "tn " + m + "x" + k + "x" + n + " on " + threads + " threads");
                    float[] withSums = c0.clone();
                    float[] sums = sums0.clone();
                    Matmul.tn(a, 0, bm, 0, withSums, 0, m, k, n, acc, threads, sums, 3);
                    // Matmul.tn dispatches: the packed path on the Vector API, the scalar one under -Djkeras.kernels=scalar
                    float[] dispatched = c0.clone();
                    Matmul.tn(a, 0, bm, 0, dispatched, 0, m, k, n, acc, 1);
                    if (Kernels.vectorized()) {
                        assertArrayEquals(one, dispatched, "tn dispatches to the packed path");
                    }
                    assertArrayEquals(dispatched, withSums, "tn with column sums");
                    assertArrayEquals(wantSums, sums, "column sums fused into tn, " + threads + " threads");
                    int m2 = 1 + (m * 7) % 37;
                    float[] a2 = random(new SplittableRandom(m2), k * m2, 1.0);
                    float[] c2 = random(new SplittableRandom(m2 + 1), m2 * n, 1.0);
                    float[] want2 = c2.clone();
                    Matmul.tn(a2, 0, bm, 0, want2, 0, m2, k, n, acc, 1);
                    float[] both = c0.clone();
                    float[] both2 = c2.clone();
                    float[] sums2 = sums0.clone();
                    Matmul.tn2(a, m, a2, m2, bm, k, n, both, both2, acc, threads, sums2, 3);
                    assertArrayEquals(dispatched, both, "tn2 first product");
                    assertArrayEquals(want2, both2, "tn2 second product");
                    assertArrayEquals(wantSums, sums2, "tn2 column sums");
                }
            }
        }
    }

    @Test
    void reusedTapesFullOfGarbageGiveBitIdenticalResults() {
        SplittableRandom r = new SplittableRandom(17);
        int batch = 5;
        int steps = 7;
        int in = 9;
        int units = 19;
        float[] x = random(r, batch * steps * in, 1.0);
        float[] dOut = random(r, batch * steps * units, 1.0);
        float[] w4 = random(r, in * 4 * units, 0.5);
        float[] u4 = random(r, units * 4 * units, 0.5);
        float[] b4 = random(r, 4 * units, 0.5);
        Run fresh = lstm(x, batch, steps, in, units, w4, u4, b4, null, null, dOut, true, 2, true);
        LstmTape lt = new LstmTape(batch, steps, in, units);
        lstm(x, batch, steps, in, units, w4, u4, b4, null, null, dOut, true, 2, true, lt); // allocates the scratch
        for (float[] a : new float[][] {lt.xt, lt.preactivations, lt.gates, lt.h, lt.c, lt.actC, lt.scratch(0, 1),
                lt.scratch(1, 1)}) {
            java.util.Arrays.fill(a, Float.NaN);
        }
        lstm(x, batch, steps, in, units, w4, u4, b4, null, null, dOut, true, 2, true, lt).assertIdentical(fresh,
                "lstm, reused tape");
        float[] w3 = random(r, in * 3 * units, 0.5);
        float[] u3 = random(r, units * 3 * units, 0.5);
        float[] b3 = random(r, 2 * 3 * units, 0.5);
        Run gFresh = gru(x, batch, steps, in, units, true, w3, u3, b3, null, dOut, true, 2, true, null);
        GruTape gt = new GruTape(batch, steps, in, units);
        gru(x, batch, steps, in, units, true, w3, u3, b3, null, dOut, true, 2, true, gt);
        for (float[] a : new float[][] {gt.xt, gt.preactivations, gt.gates, gt.h, gt.reset, gt.scratch(0, 1),
                gt.scratch(1, 1), gt.scratch(2, 1)}) {
            java.util.Arrays.fill(a, Float.NaN);
        }
        gru(x, batch, steps, in, units, true, w3, u3, b3, null, dOut, true, 2, true, gt).assertIdentical(gFresh,
                "gru, reused tape");
    }

    /** Everything one forward + backward produces. */
    private record Run(float[] out, float[] h, float[] c, float[] gates, float[] dW, float[] dU, float[] dB,
                       float[] dx) {
        void assertClose(Run o, double tol, String what) {
            close(out, o.out, tol, what + ": output");
            close(h, o.h, tol, what + ": h");
            close(c, o.c, tol, what + ": c");
            close(gates, o.gates, tol, what + ": gates");
            // gradients sum over rows and steps: a few more roundings
            close(dW, o.dW, 10 * tol, what + ": dW");
            close(dU, o.dU, 10 * tol, what + ": dU");
            close(dB, o.dB, 10 * tol, what + ": db");
            close(dx, o.dx, 10 * tol, what + ": dx");
        }

        void assertIdentical(Run o, String what) {
            assertArrayEquals(out, o.out, what + ": output");
            assertArrayEquals(h, o.h, what + ": h");
            assertArrayEquals(c, o.c, what + ": c");
            assertArrayEquals(gates, o.gates, what + ": gates");
            assertArrayEquals(dW, o.dW, what + ": dW");
            assertArrayEquals(dU, o.dU, what + ": dU");
            assertArrayEquals(dB, o.dB, what + ": db");
            assertArrayEquals(dx, o.dx, what + ": dx");
        }
    }

    private static void close(float[] want, float[] got, double tol, String what) {
        if (want == null) {
            return;
        }
        for (int i = 0; i < want.length; i++) {
            double err = Math.abs(want[i] - got[i]) / Math.max(1, Math.abs(want[i]));
            worst = Math.max(worst, err);
            assertTrue(err <= tol, what + " at " + i + ": " + want[i] + " vs " + got[i]);
        }
    }

    private static Run lstm(float[] x, int batch, int steps, int in, int units, float[] w, float[] u, float[] b,
                            float[] h0, float[] c0, float[] dOut, boolean sequences, int threads, boolean vector) {
        return lstm(x, batch, steps, in, units, w, u, b, h0, c0, dOut, sequences, threads, vector, null);
    }

    private static Run lstm(float[] x, int batch, int steps, int in, int units, float[] w, float[] u, float[] b,
                            float[] h0, float[] c0, float[] dOut, boolean sequences, int threads, boolean vector,
                            LstmTape reuse) {
        LstmTape tape = reuse != null ? reuse : new LstmTape(batch, steps, in, units);
        float[] out = new float[(sequences ? batch * steps : batch) * units];
        LstmKernel.forwardTrain(x, batch, steps, in, units, w, u, b, Activation.TANH, Activation.SIGMOID, h0, c0, out,
                sequences, null, tape, threads, vector);
        float[] h = tape.h.clone();
        float[] c = tape.c.clone();
        float[] gates = tape.gates.clone();
        float[] dW = new float[w.length];
        float[] dU = new float[u.length];
        float[] dB = b == null ? null : new float[b.length];
        float[] dx = new float[x.length];
        LstmKernel.backward(dOut, batch, steps, in, units, w, u, Activation.TANH, Activation.SIGMOID, sequences, null,
                tape, dW, dU, dB, dx, threads, vector);
        return new Run(out, h, c, gates, dW, dU, dB, dx);
    }

    static float[] random(SplittableRandom r, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        }
        return a;
    }
}
