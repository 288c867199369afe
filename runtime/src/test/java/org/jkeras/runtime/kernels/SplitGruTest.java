package org.jkeras.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.jkeras.runtime.tensor.Activation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The batch-1 GRU split by units ({@link SplitGru}) gives bit for bit the one-thread answer (and so the scalar
 * reference's, within VectorGruTest's tolerance, checked here too) for both {@code reset_after} forms, units across
 * the vector width and the fused block, 2-4 parts, chunk edges, fresh and carried states, both output modes, with
 * and without biases; helpers really run parts; split calls are counted.
 */
class SplitGruTest {
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
        int[] units = {8 * lanes, 33, 64, 129, VectorGru.BLOCK_GROUPS * lanes * 2 + 1, 12 * lanes, 256};
        List<Arguments> list = new ArrayList<>();
        int i = 0;
        for (int u : units) {
            for (int[] s : SplitEverything.SHAPES) {
                for (boolean resetAfter : new boolean[] {true, false}) {
                    list.add(Arguments.of(u, s[0], s[1], s[2], 2 + i % 3, resetAfter, i % 2 == 0, i % 3 != 1,
                            i % 5 != 4, i % 4 == 3 ? Activation.RELU : Activation.TANH));
                    i++;
                }
            }
        }
        return list.stream();
    }

    @ParameterizedTest(name = "units={0} in={1} steps={2} chunkSteps={3} threads={4} resetAfter={5} carried={6}"
            + " sequences={7} bias={8} {9}")
    @MethodSource("cases")
    void splitStepsAreBitIdenticalToOneThread(int units, int in, int steps, int chunkSteps, int threads,
                                              boolean resetAfter, boolean carried, boolean sequences, boolean bias,
                                              Activation act) {
        Random r = new Random(17L * units + 5L * in + steps + threads + (resetAfter ? 1 : 0));
        VectorGruTest.Weights weights = new VectorGruTest.Weights(r, in, units, resetAfter, bias);
        PackedGru packed = weights.pack(act, Activation.SIGMOID);
        float[] x = SplitLstmTest.uniform(r, steps * in, 2f);
        float[] h0 = SplitLstmTest.uniform(r, units, 1f);
        int chunkFloats = chunkSteps * packed.columns;
        int outSize = (sequences ? steps : 1) * units;

        float[] one = new float[outSize];
        float[] hOne = carried ? h0.clone() : null;
        VectorGru.forward(packed, x, 1, steps, one, sequences, hOne, chunkFloats);

        float[] split = new float[outSize];
        float[] hSplit = carried ? h0.clone() : null;
        int previous = StepThreads.set(threads);
        try {
            VectorGru.forward(packed, x, 1, steps, split, sequences, hSplit, chunkFloats);
        } finally {
            StepThreads.restore(previous);
        }
        assertArrayEquals(one, split, "output");
        if (carried) {
            assertArrayEquals(hOne, hSplit, "final h");
        }

        float[] reference = new float[outSize]; // and both are the scalar reference's answer
        weights.reference(x, 1, steps, act, Activation.SIGMOID, carried ? h0.clone() : new float[units], reference,
                sequences);
        for (int k = 0; k < outSize; k++) {
            assertTrue(Math.abs(split[k] - reference[k]) <= 1e-5 * Math.abs(reference[k]) + 1e-5,
                    "output[" + k + "] = " + split[k] + ", scalar reference " + reference[k]);
        }
    }

    /** One count per split layer call, for both forms; none for one thread or a layer of fewer than 2 parts. */
    @Test
    void splitCallsAreCountedOncePerLayerCall() {
        Random r = new Random(5);
        int lanes = PackedGemm.lanes();
        for (boolean resetAfter : new boolean[] {true, false}) {
            PackedGru big = new VectorGruTest.Weights(r, 8, 8 * lanes, resetAfter, true)
                    .pack(Activation.TANH, Activation.SIGMOID); // 8 groups: 2 parts of 4
            PackedGru small = new VectorGruTest.Weights(r, 8, 7 * lanes, resetAfter, true)
                    .pack(Activation.TANH, Activation.SIGMOID); // 7 groups: one part of 4 and no second
            float[] x = SplitLstmTest.uniform(r, 30 * 8, 1f);
            long before = Kernels.splitLayerCalls();
            VectorGru.forward(big, x, 1, 30, new float[8 * lanes], false); // one thread: never splits
            assertEquals(before, Kernels.splitLayerCalls(), "a one-thread call counted as split");
            int previous = StepThreads.set(2);
            try {
                for (int k = 0; k < 3; k++) {
                    VectorGru.forward(big, x, 1, 30, new float[8 * lanes], false);
                }
                VectorGru.forward(small, x, 1, 30, new float[7 * lanes], false);
            } finally {
                StepThreads.restore(previous);
            }
            assertEquals(before + 3, Kernels.splitLayerCalls(), "3 split calls of 30 steps each, resetAfter="
                    + resetAfter);
        }
    }

    @Test
    void helpersRunPartsOfLongSequences() {
        long before = SplitEverything.HELPER_PARTS.get();
        Random r = new Random(3);
        int units = 128;
        for (boolean resetAfter : new boolean[] {true, false}) {
            PackedGru packed = new VectorGruTest.Weights(r, 8, units, resetAfter, true)
                    .pack(Activation.TANH, Activation.SIGMOID);
            float[] x = SplitLstmTest.uniform(r, 2000 * 8, 1f);
            int previous = StepThreads.set(2);
            try {
                for (int k = 0; k < 10; k++) {
                    VectorGru.forward(packed, x, 1, 2000, new float[units], false);
                }
            } finally {
                StepThreads.restore(previous);
            }
        }
        assertTrue(SplitEverything.HELPER_PARTS.get() > before, "no helper ran any part of 40 000 split steps");
    }
}
