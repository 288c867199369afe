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
 * Pins the packed, vectorized SimpleRNN to the scalar reference {@link SimpleRnnKernel} (itself pinned to Keras
 * in {@code SimpleRnnTest} and the fixture tests) on odd units (1 .. 129, across the vector width, the panel and
 * the fused batch-1 block), batches 1 to 64, feature counts, 1 to 12 steps, both output modes, with and without
 * bias, zero and carried initial states, activations with vector code paths and ones that fall back to scalar,
 * and chunk budgets that split the sequence at every step, mid-way and not at all.
 */
class VectorSimpleRnnTest {
    private static final Activation[] ACTIVATIONS = {
        Activation.TANH, Activation.RELU, Activation.SIGMOID, Activation.LINEAR, Activation.HARD_SIGMOID,
        Activation.SOFTSIGN,
    };

    static Stream<Arguments> cases() {
        int lanes = PackedGemm.lanes();
        int[] units = {1, 3, 7, 33, 129, VectorSimpleRnn.BLOCK * 4 * lanes + 1};
        int[] batches = {1, 2, 5, 64};
        int[] features = {1, 5, 13};
        int[] chunks = {1, 700, VectorLstm.CHUNK_FLOATS};
        List<Arguments> list = new ArrayList<>();
        int i = 0;
        for (int u : units) {
            for (int b : batches) {
                for (int f : features) {
                    int steps = 1 + (i * 7) % 12;
                    list.add(Arguments.of(u, b, f, steps, ACTIVATIONS[i % ACTIVATIONS.length], i % 2 == 0,
                            chunks[i % chunks.length], i % 4 != 3, 1300L + i));
                    i++;
                }
            }
        }
        return list.stream();
    }

    @ParameterizedTest(name = "units={0} batch={1} features={2} steps={3} {4} sequences={5} chunk={6} bias={7}")
    @MethodSource("cases")
    void packedSimpleRnnMatchesScalarReferenceFromZeroState(int units, int batch, int in, int steps, Activation act,
                                                           boolean sequences, int chunkFloats, boolean withBias,
                                                           long seed) {
        Random r = new Random(seed);
        Weights w = new Weights(r, in, units, withBias);
        float[] x = uniform(r, batch * steps * in, 2f);
        int outSize = (sequences ? batch * steps : batch) * units;

        float[] expected = new float[outSize];
        SimpleRnnKernel.forward(x, batch, steps, in, units, w.w, w.u, w.b, act, new float[batch * units], expected,
                sequences);
        float[] got = new float[outSize];
        VectorSimpleRnn.forward(w.pack(act), x, batch, steps, got, sequences, null, chunkFloats);

        assertAllClose(expected, got, "output");
    }

    @ParameterizedTest(name = "units={0} batch={1} features={2} steps={3} {4} sequences={5} chunk={6} bias={7}")
    @MethodSource("cases")
    void packedSimpleRnnStartsFromAndReturnsCarriedStateLikeScalarReference(int units, int batch, int in, int steps,
                                                                            Activation act, boolean sequences,
                                                                            int chunkFloats, boolean withBias,
                                                                            long seed) {
        Random r = new Random(seed ^ 0x5eed);
        Weights w = new Weights(r, in, units, withBias);
        float[] x = uniform(r, batch * steps * in, 2f);
        float[] h0 = uniform(r, batch * units, 1f);
        int outSize = (sequences ? batch * steps : batch) * units;

        float[] expected = new float[outSize];
        float[] hRef = h0.clone();
        SimpleRnnKernel.forward(x, batch, steps, in, units, w.w, w.u, w.b, act, hRef, expected, sequences);
        float[] got = new float[outSize];
        float[] h = h0.clone();
        VectorSimpleRnn.forward(w.pack(act), x, batch, steps, got, sequences, h, chunkFloats);

        assertAllClose(expected, got, "output");
        assertAllClose(hRef, h, "final h");
    }

    /**
     * Batch 1 runs the fused per-step path; a chunk of one step also fuses the input projection. Chunk budgets
     * of 3 steps over 7 steps give chunks 3, 3, 1, so both variants meet inside one sequence, with and without a
     * carried state, on unit counts below, at and across a panel and the fused block of panels.
     */
    @ParameterizedTest(name = "units={0} features={1} steps={2} chunkSteps={3} carried={4}")
    @MethodSource("batchOneCases")
    void batchOneFusedStepMatchesScalarReferenceAcrossChunkEdges(int units, int in, int steps, int chunkSteps,
                                                                 boolean carried) {
        Random r = new Random(31L * units + 7L * steps + chunkSteps + (carried ? 1 : 0));
        Weights w = new Weights(r, in, units, true);
        float[] x = uniform(r, steps * in, 2f);
        float[] h0 = carried ? uniform(r, units, 1f) : null;

        float[] expected = new float[steps * units];
        float[] hRef = carried ? h0.clone() : new float[units];
        SimpleRnnKernel.forward(x, 1, steps, in, units, w.w, w.u, w.b, Activation.TANH, hRef, expected, true);
        PackedSimpleRnn packed = w.pack(Activation.TANH);
        float[] got = new float[steps * units];
        float[] h = carried ? h0.clone() : null;
        VectorSimpleRnn.forward(packed, x, 1, steps, got, true, h, chunkSteps * packed.columns);

        assertAllClose(expected, got, "output");
        if (carried) {
            assertAllClose(hRef, h, "final h");
        }
    }

    static Stream<Arguments> batchOneCases() {
        int lanes = PackedGemm.lanes();
        int panel = 4 * lanes;
        int block = VectorSimpleRnn.BLOCK * panel;
        int[] units = {1, 3, 7, 33, 129, panel, panel + 1, block, block + lanes, 2 * block + 3 * panel};
        List<Arguments> list = new ArrayList<>();
        for (int u : units) {
            list.add(Arguments.of(u, 5, 7, 3, false));
            list.add(Arguments.of(u, 5, 7, 3, true));
            list.add(Arguments.of(u, 13, 1, 1, false));
            list.add(Arguments.of(u, 2, 4, 1, true));
        }
        return list.stream();
    }

    /** Calls of different shapes on one thread, and four threads doing so at once, give the single-thread answer. */
    @Test
    void reusedScratchBuffersGiveTheSameAnswerAcrossShapesAndThreads() throws Exception {
        Random r = new Random(55);
        int[][] shapes = {{9, 33, 4, 6}, {1, 7, 3, 11}, {3, 129, 2, 5}, {1, 64, 8, 50}}; // batch, units, in, steps
        PackedSimpleRnn[] packed = new PackedSimpleRnn[shapes.length];
        float[][] inputs = new float[shapes.length][];
        float[][] expected = new float[shapes.length][];
        for (int i = 0; i < shapes.length; i++) {
            int batch = shapes[i][0];
            int units = shapes[i][1];
            int in = shapes[i][2];
            int steps = shapes[i][3];
            Weights w = new Weights(r, in, units, true);
            inputs[i] = uniform(r, batch * steps * in, 2f);
            expected[i] = new float[batch * steps * units];
            SimpleRnnKernel.forward(inputs[i], batch, steps, in, units, w.w, w.u, w.b, Activation.TANH,
                    new float[batch * units], expected[i], true);
            packed[i] = w.pack(Activation.TANH);
        }
        Runnable work = () -> {
            for (int round = 0; round < 20; round++) {
                for (int i = 0; i < shapes.length; i++) {
                    int k = (i + round) % shapes.length;
                    float[] got = new float[expected[k].length];
                    VectorSimpleRnn.forward(packed[k], inputs[k], shapes[k][0], shapes[k][3], got, true);
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

    /** Random Keras-layout SimpleRNN weights; U scaled so relu and linear stay bounded over 12 steps. */
    private static final class Weights {
        final int in;
        final int units;
        final float[] w;
        final float[] u;
        final float[] b;

        Weights(Random random, int in, int units, boolean withBias) {
            this.in = in;
            this.units = units;
            this.w = uniform(random, in * units, (float) Math.sqrt(6.0 / (in + units)) * 2);
            this.u = uniform(random, units * units, (float) Math.sqrt(3.0 / units));
            this.b = withBias ? uniform(random, units, 1f) : null;
        }

        PackedSimpleRnn pack(Activation act) {
            return new PackedSimpleRnn(w, u, b, in, units, act, PackedGemm.lanes());
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
