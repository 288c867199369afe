package org.jkeras.runtime.kernels;

import org.jkeras.runtime.tensor.Activation;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins the packed, vectorized LSTM to the scalar reference {@link LstmKernel} (itself pinned to Keras
 * in {@code LstmTest} and the fixture tests) on odd units (1 .. 129, across the vector width), batches
 * and feature counts, both output modes, the activation pairs with vector code paths and one that falls
 * back to scalar, and chunk budgets that split the sequence at every step, mid-way and not at all.
 */
class VectorLstmTest {
    static Stream<Arguments> cases() {
        int[] units = {1, 3, 7, 33, 129};
        int[] batches = {1, 2, 5, 64};
        int[] features = {1, 5, 13};
        Activation[][] pairs = {
            {Activation.TANH, Activation.SIGMOID},
            {Activation.TANH, Activation.HARD_SIGMOID},
            {Activation.RELU, Activation.HARD_SIGMOID_LEGACY},
            {Activation.LINEAR, Activation.SIGMOID},
            {Activation.SOFTSIGN, Activation.SIGMOID},
        };
        int[] chunks = {1, 700, VectorLstm.CHUNK_FLOATS};
        List<Arguments> list = new ArrayList<>();
        int i = 0;
        for (int u : units) {
            for (int b : batches) {
                if (u == 129 && b == 64) {
                    continue; // slow on the scalar side and adds nothing the 33 x 64 case lacks
                }
                for (int f : features) {
                    Activation[] pair = pairs[i % pairs.length];
                    int steps = 1 + (i * 7) % 12;
                    list.add(Arguments.of(u, b, f, steps, pair[0], pair[1], i % 2 == 0, chunks[i % chunks.length],
                            i % 4 != 3, 500L + i));
                    i++;
                }
            }
        }
        return list.stream();
    }

    @ParameterizedTest(name = "units={0} batch={1} features={2} steps={3} {4}/{5} sequences={6} chunk={7} bias={8}")
    @MethodSource("cases")
    void packedLstmMatchesScalarReference(int units, int batch, int in, int steps, Activation act, Activation rec,
                                          boolean sequences, int chunkFloats, boolean withBias, long seed) {
        Random r = new Random(seed);
        float scale = (float) Math.sqrt(6.0 / (in + 5 * units)) * 2; // beyond Glorot, so gates saturate too
        float[] w = uniform(r, in * 4 * units, scale);
        float[] u = uniform(r, units * 4 * units, scale);
        float[] b = withBias ? uniform(r, 4 * units, 1f) : null;
        float[] x = uniform(r, batch * steps * in, 2f);
        int outSize = (sequences ? batch * steps : batch) * units;

        float[] expected = new float[outSize];
        LstmKernel.forward(x, batch, steps, in, units, w, u, b, act, rec,
                new float[batch * units], new float[batch * units], expected, sequences);
        float[] got = new float[outSize];
        PackedLstm packed = new PackedLstm(w, u, b, in, units, act, rec, PackedGemm.lanes());
        VectorLstm.forward(packed, x, batch, steps, got, sequences, null, null, chunkFloats);

        for (int k = 0; k < outSize; k++) {
            double allowed = 1e-5 * Math.abs(expected[k]) + 1e-5;
            assertTrue(Math.abs(got[k] - expected[k]) <= allowed,
                    "output[" + k + "] = " + got[k] + ", scalar reference " + expected[k]);
        }
    }

    @ParameterizedTest(name = "units={0} batch={1} features={2} steps={3} {4}/{5} sequences={6} chunk={7} bias={8}")
    @MethodSource("cases")
    void packedLstmStartsFromAndReturnsCarriedStatesLikeScalarReference(
            int units, int batch, int in, int steps, Activation act, Activation rec,
            boolean sequences, int chunkFloats, boolean withBias, long seed) {
        Random r = new Random(seed ^ 0x5eed);
        float scale = (float) Math.sqrt(6.0 / (in + 5 * units)) * 2;
        float[] w = uniform(r, in * 4 * units, scale);
        float[] u = uniform(r, units * 4 * units, scale);
        float[] b = withBias ? uniform(r, 4 * units, 1f) : null;
        float[] x = uniform(r, batch * steps * in, 2f);
        float[] h0 = uniform(r, batch * units, 1f);
        float[] c0 = uniform(r, batch * units, 3f);
        int outSize = (sequences ? batch * steps : batch) * units;

        float[] expected = new float[outSize];
        float[] hRef = h0.clone();
        float[] cRef = c0.clone();
        LstmKernel.forward(x, batch, steps, in, units, w, u, b, act, rec, hRef, cRef, expected, sequences);
        float[] got = new float[outSize];
        float[] h = h0.clone();
        float[] c = c0.clone();
        PackedLstm packed = new PackedLstm(w, u, b, in, units, act, rec, PackedGemm.lanes());
        VectorLstm.forward(packed, x, batch, steps, got, sequences, h, c, chunkFloats);

        assertAllClose(expected, got, "output");
        assertAllClose(hRef, h, "final h");
        assertAllClose(cRef, c, "final c");
    }

    /**
     * Batch 1 runs the fused per-step path; a chunk of one step also fuses the input projection. Chunk
     * budgets of 3 steps over 7 steps give chunks 3, 3, 1, so both variants meet inside one sequence,
     * with and without carried states, on unit counts below, at and across the fused block of panels.
     */
    @ParameterizedTest(name = "units={0} features={1} steps={2} chunkSteps={3} carried={4}")
    @MethodSource("batchOneCases")
    void batchOneFusedStepMatchesScalarReferenceAcrossChunkEdges(int units, int in, int steps, int chunkSteps,
                                                                 boolean carried) {
        Random r = new Random(31L * units + 7L * steps + chunkSteps + (carried ? 1 : 0));
        float scale = (float) Math.sqrt(6.0 / (in + 5 * units)) * 2;
        float[] w = uniform(r, in * 4 * units, scale);
        float[] u = uniform(r, units * 4 * units, scale);
        float[] b = uniform(r, 4 * units, 1f);
        float[] x = uniform(r, steps * in, 2f);
        float[] h0 = carried ? uniform(r, units, 1f) : null;
        float[] c0 = carried ? uniform(r, units, 3f) : null;

        float[] expected = new float[steps * units];
        float[] hRef = carried ? h0.clone() : new float[units];
        float[] cRef = carried ? c0.clone() : new float[units];
        LstmKernel.forward(x, 1, steps, in, units, w, u, b, Activation.TANH, Activation.SIGMOID, hRef, cRef,
                expected, true);
        PackedLstm packed = new PackedLstm(w, u, b, in, units, Activation.TANH, Activation.SIGMOID,
                PackedGemm.lanes());
        int chunkFloats = chunkSteps * 4 * PackedMatrix.paddedUnits(units, PackedGemm.lanes());
        float[] got = new float[steps * units];
        float[] h = carried ? h0.clone() : null;
        float[] c = carried ? c0.clone() : null;
        VectorLstm.forward(packed, x, 1, steps, got, true, h, c, chunkFloats);

        assertAllClose(expected, got, "output");
        if (carried) {
            assertAllClose(hRef, h, "final h");
            assertAllClose(cRef, c, "final c");
        }
    }

    static Stream<Arguments> batchOneCases() {
        int lanes = PackedGemm.lanes();
        int[] units = {1, 3, 7, 33, 129, VectorLstm.BLOCK * lanes, VectorLstm.BLOCK * lanes + 1, 3 * lanes};
        List<Arguments> list = new ArrayList<>();
        for (int u : units) {
            list.add(Arguments.of(u, 5, 7, 3, false));
            list.add(Arguments.of(u, 5, 7, 3, true));
            list.add(Arguments.of(u, 13, 1, 1, false));
            list.add(Arguments.of(u, 2, 4, 1, true));
        }
        return list.stream();
    }

    /**
     * Scratch buffers are reused per thread: a large call, a small one and the large one again on the same
     * thread, and four threads doing so at once, all give the single-threaded, fresh-buffer answer.
     */
    @Test
    void reusedScratchBuffersGiveTheSameAnswerAcrossShapesAndThreads() throws Exception {
        Random r = new Random(99);
        int[][] shapes = {{9, 33, 4, 6}, {1, 7, 3, 11}, {3, 129, 2, 5}, {1, 64, 8, 50}}; // batch, units, in, steps
        PackedLstm[] packed = new PackedLstm[shapes.length];
        float[][] inputs = new float[shapes.length][];
        float[][] expected = new float[shapes.length][];
        for (int i = 0; i < shapes.length; i++) {
            int batch = shapes[i][0];
            int units = shapes[i][1];
            int in = shapes[i][2];
            int steps = shapes[i][3];
            float[] w = uniform(r, in * 4 * units, 0.4f);
            float[] u = uniform(r, units * 4 * units, 0.4f);
            float[] b = uniform(r, 4 * units, 1f);
            inputs[i] = uniform(r, batch * steps * in, 2f);
            expected[i] = new float[batch * steps * units];
            LstmKernel.forward(inputs[i], batch, steps, in, units, w, u, b, Activation.TANH, Activation.SIGMOID,
                    new float[batch * units], new float[batch * units], expected[i], true);
            packed[i] = new PackedLstm(w, u, b, in, units, Activation.TANH, Activation.SIGMOID, PackedGemm.lanes());
        }
        Runnable work = () -> {
            for (int round = 0; round < 20; round++) {
                for (int i = 0; i < shapes.length; i++) {
                    int k = (i + round) % shapes.length;
                    float[] got = new float[expected[k].length];
                    VectorLstm.forward(packed[k], inputs[k], shapes[k][0], shapes[k][3], got, true);
                    assertAllClose(expected[k], got, "shape " + k + " output");
                }
            }
        };
        work.run();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(work));
            }
            for (Future<?> f : futures) {
                f.get(); // rethrows an assertion failure from the worker
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertAllClose(float[] expected, float[] got, String what) {
        for (int k = 0; k < expected.length; k++) {
            double allowed = 1e-5 * Math.abs(expected[k]) + 1e-5;
            assertTrue(Math.abs(got[k] - expected[k]) <= allowed,
                    what + "[" + k + "] = " + got[k] + ", scalar reference " + expected[k]);
        }
    }

    private static float[] uniform(Random r, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (r.nextFloat() * 2 - 1) * scale;
        }
        return a;
    }
}
