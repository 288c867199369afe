package org.jkeras.runtime.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.jkeras.runtime.tensor.Activation;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.kernels.GruKernel;
import org.jkeras.runtime.kernels.SimpleRnnKernel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The GRU and SimpleRNN layers, on whichever kernels this JVM runs (packed Vector API, or the scalar ones with
 * {@code -Djkeras.kernels=scalar}), against their scalar reference kernels called directly, through the
 * layer-level paths the kernel tests do not see: {@code go_backwards} (the kernel sees the steps reversed) and
 * a carried initial state ({@link RecurrentBase#applyWithState}, what sessions and stateful layers use, updated
 * in place), on odd unit counts, batch 1 and more, one step and several.
 */
class RecurrentKernelPathsTest {
    static Stream<Arguments> cases() {
        List<Arguments> list = new ArrayList<>();
        int i = 0;
        for (int units : new int[] {1, 5, 19, 37}) {
            for (int batch : new int[] {1, 3}) {
                for (int steps : new int[] {1, 6}) {
                    list.add(Arguments.of(units, batch, steps, i % 2 == 0, (i / 2) % 2 == 0, (i / 4) % 2 == 0,
                            700L + i));
                    i++;
                }
            }
        }
        return list.stream();
    }

    @ParameterizedTest(name = "GRU units={0} batch={1} steps={2} goBackwards={3} sequences={4} resetAfter={5}")
    @MethodSource("cases")
    void gruLayerGoesBackwardsFromCarriedStateLikeScalarReference(int units, int batch, int steps,
                                                                  boolean goBackwards, boolean sequences,
                                                                  boolean resetAfter, long seed) {
        Random r = new Random(seed);
        int in = 4;
        int gates = 3 * units;
        float[] w = uniform(r, in * gates, 0.8f);
        float[] u = uniform(r, units * gates, 0.8f);
        float[] b = uniform(r, (resetAfter ? 2 : 1) * gates, 0.5f);
        float[] x = uniform(r, batch * steps * in, 1.5f);
        float[] h0 = uniform(r, batch * units, 1f);
        Gru layer = new Gru("gru", units, Tensor.of(w, in, gates), Tensor.of(u, units, gates),
                resetAfter ? Tensor.of(b, 2, gates) : Tensor.of(b, gates), resetAfter, Activation.TANH,
                Activation.SIGMOID, sequences, true, goBackwards);

        float[][] states = {h0.clone()};
        float[] got = layer.applyWithState(Tensor.of(x, batch, steps, in), states).toFloatArray();

        float[] xr = goBackwards ? reversed(x, batch, steps, in) : x;
        float[] hRef = h0.clone();
        float[] expected = new float[(sequences ? batch * steps : batch) * units];
        if (resetAfter) {
            GruKernel.forwardResetAfter(xr, batch, steps, in, units, w, u, Arrays.copyOfRange(b, 0, gates),
                    Arrays.copyOfRange(b, gates, 2 * gates), Activation.TANH, Activation.SIGMOID, hRef, expected,
                    sequences);
        } else {
            float[] zr = new float[units * 2 * units];
            float[] hh = new float[units * units];
            for (int row = 0; row < units; row++) {
                System.arraycopy(u, row * gates, zr, row * 2 * units, 2 * units);
                System.arraycopy(u, row * gates + 2 * units, hh, row * units, units);
            }
            GruKernel.forwardResetBefore(xr, batch, steps, in, units, w, zr, hh, b, Activation.TANH,
                    Activation.SIGMOID, hRef, expected, sequences);
        }
        assertAllClose(expected, got, "output");
        assertAllClose(hRef, states[0], "final h");
    }

    @ParameterizedTest(name = "SimpleRNN units={0} batch={1} steps={2} goBackwards={3} sequences={4} relu={5}")
    @MethodSource("cases")
    void simpleRnnLayerGoesBackwardsFromCarriedStateLikeScalarReference(int units, int batch, int steps,
                                                                        boolean goBackwards, boolean sequences,
                                                                        boolean relu, long seed) {
        Random r = new Random(seed ^ 0xabc);
        int in = 4;
        Activation act = relu ? Activation.RELU : Activation.TANH;
        float[] w = uniform(r, in * units, 0.8f);
        float[] u = uniform(r, units * units, (float) Math.sqrt(3.0 / units));
        float[] b = uniform(r, units, 0.5f);
        float[] x = uniform(r, batch * steps * in, 1.5f);
        float[] h0 = uniform(r, batch * units, 1f);
        SimpleRnn layer = new SimpleRnn("rnn", units, Tensor.of(w, in, units), Tensor.of(u, units, units),
                Tensor.of(b, units), act, sequences, true, goBackwards);

        float[][] states = {h0.clone()};
        float[] got = layer.applyWithState(Tensor.of(x, batch, steps, in), states).toFloatArray();

        float[] hRef = h0.clone();
        float[] expected = new float[(sequences ? batch * steps : batch) * units];
        SimpleRnnKernel.forward(goBackwards ? reversed(x, batch, steps, in) : x, batch, steps, in, units, w, u, b,
                act, hRef, expected, sequences);
        assertAllClose(expected, got, "output");
        assertAllClose(hRef, states[0], "final h");
    }

    private static float[] reversed(float[] x, int batch, int steps, int in) {
        float[] r = new float[x.length];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                System.arraycopy(x, (b * steps + t) * in, r, (b * steps + steps - 1 - t) * in, in);
            }
        }
        return r;
    }

    private static void assertAllClose(float[] expected, float[] got, String what) {
        assertTrue(expected.length == got.length, what + ": " + got.length + " values, expected " + expected.length);
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
