package org.jkeras.runtime.kernels;

import org.jkeras.runtime.tensor.Activation;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
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
 * Pins the packed, vectorized GRU to the scalar reference {@link GruKernel} (itself pinned to Keras in
 * {@code GruTest} and the fixture tests), in both of Keras's forms, on odd units (1 .. 129, across the vector
 * width and the fused batch-1 block), batches 1 to 64, feature counts, 1 to 12 steps, both output modes, with
 * and without bias, zero and carried initial states, the activation pairs with vector code paths and ones that
 * fall back to scalar, and chunk budgets that split the sequence at every step, mid-way and not at all.
 */
class VectorGruTest {
    static Stream<Arguments> cases() {
        int lanes = PackedGemm.lanes();
        int[] units = {1, 3, 7, 33, 129, VectorGru.BLOCK_GROUPS * lanes + 1};
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
                if (u > 100 && b == 64) {
                    continue; // slow on the scalar side and adds nothing the 33 x 64 case lacks
                }
                for (int f : features) {
                    for (boolean resetAfter : new boolean[] {true, false}) {
                        Activation[] pair = pairs[i % pairs.length];
                        int steps = 1 + (i * 7) % 12;
                        list.add(Arguments.of(u, b, f, steps, resetAfter, pair[0], pair[1], i % 2 == 0,
                                chunks[i % chunks.length], i % 4 != 3, 900L + i));
                        i++;
                    }
                }
            }
        }
        return list.stream();
    }

    @ParameterizedTest(name = "units={0} batch={1} features={2} steps={3} resetAfter={4} {5}/{6} sequences={7}"
            + " chunk={8} bias={9}")
    @MethodSource("cases")
    void packedGruMatchesScalarReferenceFromZeroState(int units, int batch, int in, int steps, boolean resetAfter,
                                                     Activation act, Activation rec, boolean sequences,
                                                     int chunkFloats, boolean withBias, long seed) {
        Weights w = new Weights(new Random(seed), in, units, resetAfter, withBias);
        float[] x = uniform(w.random, batch * steps * in, 2f);
        int outSize = (sequences ? batch * steps : batch) * units;

        float[] expected = new float[outSize];
        w.reference(x, batch, steps, act, rec, new float[batch * units], expected, sequences);
        float[] got = new float[outSize];
        VectorGru.forward(w.pack(act, rec), x, batch, steps, got, sequences, null, chunkFloats);

        assertAllClose(expected, got, "output");
    }

    @ParameterizedTest(name = "units={0} batch={1} features={2} steps={3} resetAfter={4} {5}/{6} sequences={7}"
            + " chunk={8} bias={9}")
    @MethodSource("cases")
    void packedGruStartsFromAndReturnsCarriedStateLikeScalarReference(int units, int batch, int in, int steps,
                                                                      boolean resetAfter, Activation act,
                                                                      Activation rec, boolean sequences,
                                                                      int chunkFloats, boolean withBias, long seed) {
        Weights w = new Weights(new Random(seed ^ 0x5eed), in, units, resetAfter, withBias);
        float[] x = uniform(w.random, batch * steps * in, 2f);
        float[] h0 = uniform(w.random, batch * units, 1f);
        int outSize = (sequences ? batch * steps : batch) * units;

        float[] expected = new float[outSize];
        float[] hRef = h0.clone();
        w.reference(x, batch, steps, act, rec, hRef, expected, sequences);
        float[] got = new float[outSize];
        float[] h = h0.clone();
        VectorGru.forward(w.pack(act, rec), x, batch, steps, got, sequences, h, chunkFloats);

        assertAllClose(expected, got, "output");
        assertAllClose(hRef, h, "final h");
    }

    /**
     * Batch 1 runs the fused per-step path; a chunk of one step also fuses the input projection. Chunk budgets
     * of 3 steps over 7 steps give chunks 3, 3, 1, so both variants meet inside one sequence, with and without a
     * carried state, on unit counts below, at and across the fused block and the panel boundaries.
     */
    @ParameterizedTest(name = "units={0} features={1} steps={2} chunkSteps={3} carried={4} resetAfter={5}")
    @MethodSource("batchOneCases")
    void batchOneFusedStepMatchesScalarReferenceAcrossChunkEdges(int units, int in, int steps, int chunkSteps,
                                                                 boolean carried, boolean resetAfter) {
        Weights w = new Weights(new Random(31L * units + 7L * steps + chunkSteps + (carried ? 1 : 0)), in, units,
                resetAfter, true);
        float[] x = uniform(w.random, steps * in, 2f);
        float[] h0 = carried ? uniform(w.random, units, 1f) : null;

        float[] expected = new float[steps * units];
        float[] hRef = carried ? h0.clone() : new float[units];
        w.reference(x, 1, steps, Activation.TANH, Activation.SIGMOID, hRef, expected, true);
        PackedGru packed = w.pack(Activation.TANH, Activation.SIGMOID);
        float[] got = new float[steps * units];
        float[] h = carried ? h0.clone() : null;
        VectorGru.forward(packed, x, 1, steps, got, true, h, chunkSteps * packed.columns);

        assertAllClose(expected, got, "output");
        if (carried) {
            assertAllClose(hRef, h, "final h");
        }
    }

    static Stream<Arguments> batchOneCases() {
        int lanes = PackedGemm.lanes();
        int block = VectorGru.BLOCK_GROUPS * lanes;
        int[] units = {1, 3, 7, 33, 129, block, block + 1, 2 * block + 3 * lanes, 2 * lanes, 5 * lanes};
        List<Arguments> list = new ArrayList<>();
        for (int u : units) {
            for (boolean resetAfter : new boolean[] {true, false}) {
                list.add(Arguments.of(u, 5, 7, 3, false, resetAfter));
                list.add(Arguments.of(u, 5, 7, 3, true, resetAfter));
                list.add(Arguments.of(u, 13, 1, 1, false, resetAfter));
                list.add(Arguments.of(u, 2, 4, 1, true, resetAfter));
            }
        }
        return list.stream();
    }

    /**
     * Scratch buffers are reused per thread: calls of different shapes and both forms on the same thread, and
     * four threads doing so at once, all give the single-threaded answer.
     */
    @Test
    void reusedScratchBuffersGiveTheSameAnswerAcrossShapesAndThreads() throws Exception {
        Random r = new Random(77);
        int[][] shapes = {{9, 33, 4, 6, 1}, {1, 7, 3, 11, 0}, {3, 129, 2, 5, 0}, {1, 64, 8, 50, 1}}; // +resetAfter
        PackedGru[] packed = new PackedGru[shapes.length];
        float[][] inputs = new float[shapes.length][];
        float[][] expected = new float[shapes.length][];
        for (int i = 0; i < shapes.length; i++) {
            int batch = shapes[i][0];
            int steps = shapes[i][3];
            Weights w = new Weights(r, shapes[i][2], shapes[i][1], shapes[i][4] == 1, true);
            inputs[i] = uniform(r, batch * steps * shapes[i][2], 2f);
            expected[i] = new float[batch * steps * shapes[i][1]];
            w.reference(inputs[i], batch, steps, Activation.TANH, Activation.SIGMOID, new float[batch * shapes[i][1]],
                    expected[i], true);
            packed[i] = w.pack(Activation.TANH, Activation.SIGMOID);
        }
        Runnable work = () -> {
            for (int round = 0; round < 20; round++) {
                for (int i = 0; i < shapes.length; i++) {
                    int k = (i + round) % shapes.length;
                    float[] got = new float[expected[k].length];
                    VectorGru.forward(packed[k], inputs[k], shapes[k][0], shapes[k][3], got, true);
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

    /** Random Keras-layout GRU weights, scaled beyond Glorot so the gates saturate too. */
    static final class Weights {
        final Random random;
        final int in;
        final int units;
        final boolean resetAfter;
        final float[] w;
        final float[] u;
        final float[] b;

        Weights(Random random, int in, int units, boolean resetAfter, boolean withBias) {
            this.random = random;
            this.in = in;
            this.units = units;
            this.resetAfter = resetAfter;
            float scale = (float) Math.sqrt(6.0 / (in + 4 * units)) * 2;
            this.w = uniform(random, in * 3 * units, scale);
            this.u = uniform(random, units * 3 * units, scale);
            this.b = withBias ? uniform(random, (resetAfter ? 2 : 1) * 3 * units, 1f) : null;
        }

        PackedGru pack(Activation act, Activation rec) {
            return new PackedGru(w, u, b, in, units, resetAfter, act, rec, PackedGemm.lanes());
        }

        void reference(float[] x, int batch, int steps, Activation act, Activation rec, float[] h, float[] out,
                       boolean sequences) {
            int gates = 3 * units;
            if (resetAfter) {
                GruKernel.forwardResetAfter(x, batch, steps, in, units, w, u,
                        b == null ? null : Arrays.copyOfRange(b, 0, gates),
                        b == null ? null : Arrays.copyOfRange(b, gates, 2 * gates), act, rec, h, out, sequences);
                return;
            }
            float[] zr = new float[units * 2 * units];
            float[] hh = new float[units * units];
            for (int r = 0; r < units; r++) {
                System.arraycopy(u, r * gates, zr, r * 2 * units, 2 * units);
                System.arraycopy(u, r * gates + 2 * units, hh, r * units, units);
            }
            GruKernel.forwardResetBefore(x, batch, steps, in, units, w, zr, hh, b, act, rec, h, out, sequences);
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
