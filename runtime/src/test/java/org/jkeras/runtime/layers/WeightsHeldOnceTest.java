package org.jkeras.runtime.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import org.jkeras.runtime.tensor.Activation;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.kernels.Kernels;
import org.junit.jupiter.api.Test;

/**
 * With the Vector API kernels a Dense, LSTM, GRU or SimpleRNN layer holds its weights only packed (a large model is
 * held once), so {@code weights()} unpacks them: it must give back exactly the given arrays, bit for bit, for unit
 * counts that are not a multiple of the vector width (the packed form is padded). On the scalar kernels the layers
 * hold Keras's layout, and the same must hold.
 */
class WeightsHeldOnceTest {
    private static final Random RANDOM = new Random(10);

    @Test
    void lstmGivesBackItsWeightsExactly() {
        for (int units : new int[] {1, 3, 13, 2 * Kernels.lanes() + 1}) {
            Tensor w = random(5, 4 * units);
            Tensor u = random(units, 4 * units);
            Tensor b = random(4 * units);
            assertSame(List.of(w, u, b), new Lstm("lstm", units, w, u, b, Activation.TANH, Activation.SIGMOID, true)
                    .weights());
            assertSame(List.of(w, u), new Lstm("lstm", units, w, u, null, Activation.TANH, Activation.SIGMOID, true)
                    .weights());
        }
    }

    @Test
    void gruGivesBackItsWeightsExactlyBothResetModes() {
        for (int units : new int[] {1, 3, 13, 2 * Kernels.lanes() + 1}) {
            Tensor w = random(5, 3 * units);
            Tensor u = random(units, 3 * units);
            Tensor after = random(2, 3 * units);
            Tensor before = random(3 * units);
            assertSame(List.of(w, u, after), new Gru("gru", units, w, u, after, true, Activation.TANH,
                    Activation.SIGMOID, false).weights());
            assertSame(List.of(w, u, before), new Gru("gru", units, w, u, before, false, Activation.TANH,
                    Activation.SIGMOID, false).weights());
            assertSame(List.of(w, u), new Gru("gru", units, w, u, null, true, Activation.TANH, Activation.SIGMOID,
                    false).weights());
        }
    }

    @Test
    void simpleRnnAndDenseGiveBackTheirWeightsExactly() {
        for (int units : new int[] {1, 3, 13, 2 * Kernels.lanes() + 1}) {
            Tensor w = random(5, units);
            Tensor u = random(units, units);
            Tensor b = random(units);
            assertSame(List.of(w, u, b), new SimpleRnn("rnn", units, w, u, b, Activation.TANH, false).weights());
            assertSame(List.of(w, b), new Dense("dense", w, b, Activation.LINEAR).weights());
            assertSame(List.of(w), new Dense("dense", w, null, Activation.LINEAR).weights());
        }
    }

    private static void assertSame(List<Tensor> given, List<Weight> held) {
        assertEquals(given.size(), held.size());
        for (int i = 0; i < given.size(); i++) {
            assertArrayEquals(given.get(i).shape(), held.get(i).value().shape(), held.get(i).name());
            assertArrayEquals(given.get(i).data(), held.get(i).value().data(), held.get(i).name());
        }
    }

    private static Tensor random(int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) RANDOM.nextGaussian();
        }
        v[0] = -0.0f; // a sign the copy must keep
        return Tensor.wrap(v, shape);
    }
}
