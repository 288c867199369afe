package org.jkeras.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jkeras.runtime.tensor.Activation;
import org.junit.jupiter.api.Test;

/** How much of the second layer's input projection a pipeline's first core takes ({@link RecurrentPipeline#writerShare}). */
class LstmPipelineShareTest {
    private static final int L = Kernels.lanes();

    @Test
    void theWriterTakesHalfTheDifferenceInWork() {
        // per step u·(u + in): 64·72 against 64·128, the projection 64·64: (8192 - 4608) / (2·4096) of the panels
        assertEquals(Math.round(64.0 / L * 3584 / 8192), RecurrentPipeline.writerShare(lstm(8, 64), lstm(64, 64)));
        assertEquals(0, RecurrentPipeline.writerShare(lstm(64, 64), lstm(64, 64)), "equal layers: nothing moves");
        assertEquals(0, RecurrentPipeline.writerShare(lstm(100, 64), lstm(64, 64)), "the first is the heavier");
        assertEquals(PackedMatrix.paddedUnits(96, L) / L, RecurrentPipeline.writerShare(lstm(3, 8), lstm(8, 96)),
                "a light first layer takes all of it");
    }

    private static PackedLstm lstm(int in, int units) {
        return new PackedLstm(new float[in * 4 * units], new float[units * 4 * units], null, in, units,
                Activation.TANH, Activation.SIGMOID, L);
    }
}
