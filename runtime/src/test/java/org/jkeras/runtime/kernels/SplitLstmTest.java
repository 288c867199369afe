package org.jkeras.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.jkeras.runtime.tensor.Activation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The batch-1 LSTM split by gate columns ({@link SplitLstm}) gives bit for bit the one-thread answer (and so
 * the scalar reference's, within VectorLstmTest's tolerance, checked here too) for units across the vector
 * width and the fused block, 2-4 parts, chunk edges (chunks of 3, 3, 1 steps), fresh and carried states, both
 * output modes; helpers really run parts; concurrent callers on one layer all get the right answer.
 */
class SplitLstmTest {
    @BeforeAll
    static void splitEverything() {
        SplitEverything.on();
    }

    @AfterAll
    static void restore() {
        SplitEverything.off();
    }

    static Stream<Arguments> cases() {
        int lanes = PackedGemm.lanes();
        int[] units = {2 * lanes, 33, 64, 129, VectorLstm.BLOCK * lanes * 2, VectorLstm.BLOCK * lanes * 2 + 1,
            3 * lanes, 256};
        return SplitEverything.cases(units);
    }

    @ParameterizedTest(name = "units={0} in={1} steps={2} chunkSteps={3} threads={4} carried={5} sequences={6} {7}")
    @MethodSource("cases")
    void splitStepsAreBitIdenticalToOneThread(int units, int in, int steps, int chunkSteps, int threads,
                                              boolean carried, boolean sequences, Activation act) {
        Random r = new Random(17L * units + 5L * in + steps + threads);
        float scale = (float) Math.sqrt(6.0 / (in + 5 * units)) * 2;
        float[] w = uniform(r, in * 4 * units, scale);
        float[] u = uniform(r, units * 4 * units, scale);
        float[] b = uniform(r, 4 * units, 1f);
        float[] x = uniform(r, steps * in, 2f);
        float[] h0 = uniform(r, units, 1f);
        float[] c0 = uniform(r, units, 3f);
        PackedLstm packed = new PackedLstm(w, u, b, in, units, act, Activation.SIGMOID, PackedGemm.lanes());
        int chunkFloats = chunkSteps * 4 * PackedMatrix.paddedUnits(units, PackedGemm.lanes());
        int outSize = (sequences ? steps : 1) * units;

        float[] one = new float[outSize];
        float[] hOne = carried ? h0.clone() : null;
        float[] cOne = carried ? c0.clone() : null;
        VectorLstm.forward(packed, x, 1, steps, one, sequences, hOne, cOne, chunkFloats);

        float[] split = new float[outSize];
        float[] hSplit = carried ? h0.clone() : null;
        float[] cSplit = carried ? c0.clone() : null;
        int previous = StepThreads.set(threads);
        try {
            VectorLstm.forward(packed, x, 1, steps, split, sequences, hSplit, cSplit, chunkFloats);
        } finally {
            StepThreads.restore(previous);
        }
        assertArrayEquals(one, split, "output");
        if (carried) {
            assertArrayEquals(hOne, hSplit, "final h");
            assertArrayEquals(cOne, cSplit, "final c");
        }

        float[] reference = new float[outSize]; // and both are the scalar reference's answer
        LstmKernel.forward(x, 1, steps, in, units, w, u, b, act, Activation.SIGMOID,
                carried ? h0.clone() : new float[units], carried ? c0.clone() : new float[units], reference,
                sequences);
        for (int k = 0; k < outSize; k++) {
            assertTrue(Math.abs(split[k] - reference[k]) <= 1e-5 * Math.abs(reference[k]) + 1e-5,
                    "output[" + k + "] = " + split[k] + ", scalar reference " + reference[k]);
        }
    }

    @Test
    void helpersRunPartsOfLongSequences() {
        long before = SplitEverything.HELPER_PARTS.get();
        Random r = new Random(3);
        int units = 64;
        PackedLstm packed = new PackedLstm(uniform(r, 8 * 4 * units, 0.3f), uniform(r, units * 4 * units, 0.3f),
                null, 8, units, Activation.TANH, Activation.SIGMOID, PackedGemm.lanes());
        float[] x = uniform(r, 2000 * 8, 1f);
        int previous = StepThreads.set(2);
        try {
            for (int k = 0; k < 20; k++) {
                VectorLstm.forward(packed, x, 1, 2000, new float[units], false);
            }
        } finally {
            StepThreads.restore(previous);
        }
        assertTrue(SplitEverything.HELPER_PARTS.get() > before, "no helper ran any part of 40 000 split steps");
    }

    /** What bench reports as "split_layer_calls": one count per split layer call, none for one thread. */
    @Test
    void splitCallsAreCountedOncePerLayerCall() {
        Random r = new Random(5);
        int units = 64;
        PackedLstm packed = new PackedLstm(uniform(r, 8 * 4 * units, 0.3f), uniform(r, units * 4 * units, 0.3f),
                null, 8, units, Activation.TANH, Activation.SIGMOID, PackedGemm.lanes());
        float[] x = uniform(r, 30 * 8, 1f);
        long before = Kernels.splitLayerCalls();
        VectorLstm.forward(packed, x, 1, 30, new float[units], false); // one thread: never splits
        assertEquals(before, Kernels.splitLayerCalls(), "a one-thread call counted as split");
        int previous = StepThreads.set(2);
        try {
            for (int k = 0; k < 3; k++) {
                VectorLstm.forward(packed, x, 1, 30, new float[units], false);
            }
        } finally {
            StepThreads.restore(previous);
        }
        assertEquals(before + 3, Kernels.splitLayerCalls(), "3 split calls of 30 steps each");
    }

    @Test
    void partsAreWholeBlocksWhenThereAreEnoughPanels() {
        int[] bounds = new int[5];
        SplitLstm.cut(bounds, 32, 2); // S4: 256 units at 8 lanes
        assertArrayEquals(new int[] {0, 16, 32}, java.util.Arrays.copyOf(bounds, 3));
        SplitLstm.cut(bounds, 8, 2); // S2: 64 units
        assertArrayEquals(new int[] {0, 4, 8}, java.util.Arrays.copyOf(bounds, 3));
        SplitLstm.cut(bounds, 17, 2);
        assertArrayEquals(new int[] {0, 8, 17}, java.util.Arrays.copyOf(bounds, 3));
        SplitLstm.cut(bounds, 6, 2);
        assertArrayEquals(new int[] {0, 2, 6}, java.util.Arrays.copyOf(bounds, 3)); // 3 groups of 2
        SplitLstm.cut(bounds, 5, 4);
        assertArrayEquals(new int[] {0, 1, 2, 3, 5}, bounds);
    }

    /** Many threads share one layer, each asking for 2 threads: few get a team, all get the right answer. */
    @Test
    void concurrentCallersOnOneLayerAllGetTheOneThreadAnswer() throws Exception {
        Random r = new Random(11);
        int[] unitsOf = {64, 40, 256};
        int[] stepsOf = {50, 13, 20};
        PackedLstm[] layers = new PackedLstm[3];
        float[][] inputs = new float[3][];
        float[][] expected = new float[3][];
        for (int i = 0; i < 3; i++) {
            int units = unitsOf[i];
            layers[i] = new PackedLstm(uniform(r, 16 * 4 * units, 0.3f), uniform(r, units * 4 * units, 0.3f),
                    uniform(r, 4 * units, 0.5f), 16, units, Activation.TANH, Activation.SIGMOID, PackedGemm.lanes());
            inputs[i] = uniform(r, stepsOf[i] * 16, 1f);
            expected[i] = new float[stepsOf[i] * units];
            VectorLstm.forward(layers[i], inputs[i], 1, stepsOf[i], expected[i], true);
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int seed = t;
                futures.add(pool.submit(() -> {
                    int previous = StepThreads.set(2 + seed % 2);
                    try {
                        for (int k = 0; k < 60; k++) {
                            int i = (k + seed) % 3;
                            float[] got = new float[expected[i].length];
                            VectorLstm.forward(layers[i], inputs[i], 1, stepsOf[i], got, true);
                            assertArrayEquals(expected[i], got, "layer " + i + " call " + k);
                        }
                    } finally {
                        StepThreads.restore(previous);
                    }
                    return seed;
                }));
            }
            for (Future<Integer> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(0, StepThreads.current() - 1, "the test thread's setting leaked");
    }

    static float[] uniform(Random r, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (r.nextFloat() * 2 - 1) * scale;
        }
        return a;
    }
}
