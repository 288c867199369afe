package org.jkeras.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * The batch-1 SimpleRNN split by panels ({@link SplitSimpleRnn}) gives bit for bit the one-thread answer (and the
 * scalar reference's within VectorSimpleRnnTest's tolerance) for units across the panel width and the fused block,
 * 2-4 parts, chunk edges, fresh and carried states, both output modes; split calls are counted.
 */
class SplitSimpleRnnTest {
    @BeforeAll
    static void splitEverything() {
        SplitEverything.on();
    }

    @AfterAll
    static void restore() {
        SplitEverything.off();
    }

    static Stream<Arguments> cases() {
        int pw = PackedGemm.panelWidth();
        int[] units = {2 * pw, 2 * pw - 3, 129, VectorSimpleRnn.BLOCK * pw * 2 + 1, 256};
        return SplitEverything.cases(units);
    }

    @ParameterizedTest(name = "units={0} in={1} steps={2} chunkSteps={3} threads={4} carried={5} sequences={6} {7}")
    @MethodSource("cases")
    void splitStepsAreBitIdenticalToOneThread(int units, int in, int steps, int chunkSteps, int threads,
                                              boolean carried, boolean sequences, Activation act) {
        Random r = new Random(31L * units + 7L * in + steps + threads);
        // VectorSimpleRnnTest's scales: a larger U makes the recurrence chaotic, and rounding then grows step by step
        float[] w = SplitLstmTest.uniform(r, in * units, (float) Math.sqrt(6.0 / (in + units)) * 2);
        float[] u = SplitLstmTest.uniform(r, units * units, (float) Math.sqrt(3.0 / units));
        float[] b = SplitLstmTest.uniform(r, units, 1f);
        float[] x = SplitLstmTest.uniform(r, steps * in, 2f);
        float[] h0 = SplitLstmTest.uniform(r, units, 1f);
        PackedSimpleRnn packed = new PackedSimpleRnn(w, u, b, in, units, act, PackedGemm.lanes());
        int chunkFloats = chunkSteps * packed.columns;
        int outSize = (sequences ? steps : 1) * units;

        float[] one = new float[outSize];
        float[] hOne = carried ? h0.clone() : null;
        VectorSimpleRnn.forward(packed, x, 1, steps, one, sequences, hOne, chunkFloats);

        float[] split = new float[outSize];
        float[] hSplit = carried ? h0.clone() : null;
        int previous = StepThreads.set(threads);
        try {
            VectorSimpleRnn.forward(packed, x, 1, steps, split, sequences, hSplit, chunkFloats);
        } finally {
            StepThreads.restore(previous);
        }
        assertArrayEquals(one, split, "output");
        if (carried) {
            assertArrayEquals(hOne, hSplit, "final h");
        }

        float[] reference = new float[outSize];
        SimpleRnnKernel.forward(x, 1, steps, in, units, w, u, b, act, carried ? h0.clone() : new float[units],
                reference, sequences);
        for (int k = 0; k < outSize; k++) {
            assertTrue(Math.abs(split[k] - reference[k]) <= 1e-5 * Math.abs(reference[k]) + 1e-5,
                    "output[" + k + "] = " + split[k] + ", scalar reference " + reference[k]);
        }
    }

    @Test
    void splitCallsAreCountedOncePerLayerCall() {
        Random r = new Random(5);
        int units = 2 * PackedGemm.panelWidth();
        PackedSimpleRnn packed = new PackedSimpleRnn(SplitLstmTest.uniform(r, 8 * units, 0.3f),
                SplitLstmTest.uniform(r, units * units, 0.3f), null, 8, units, Activation.TANH, PackedGemm.lanes());
        float[] x = SplitLstmTest.uniform(r, 30 * 8, 1f);
        long before = Kernels.splitLayerCalls();
        VectorSimpleRnn.forward(packed, x, 1, 30, new float[units], false); // one thread: never splits
        assertEquals(before, Kernels.splitLayerCalls(), "a one-thread call counted as split");
        int previous = StepThreads.set(2);
        try {
            for (int k = 0; k < 3; k++) {
                VectorSimpleRnn.forward(packed, x, 1, 30, new float[units], false);
            }
        } finally {
            StepThreads.restore(previous);
        }
        assertEquals(before + 3, Kernels.splitLayerCalls(), "3 split calls of 30 steps each");
    }
}
