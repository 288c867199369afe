package org.jkeras.runtime.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jkeras.runtime.tensor.InputMismatchException;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.graph.Graph;
import org.jkeras.runtime.graph.Port;
import org.jkeras.runtime.tensor.Activation;
import org.junit.jupiter.api.Test;

/**
 * LSTM(3) on a [2, 4, 2] input with explicit weights, against Keras.
 *
 * <p>Produced with Keras 3.15.1 (TensorFlow 2.21.0 backend), float32:
 * <pre>
 * k = (np.arange(24).reshape(2, 12) % 7 - 3) * 0.1
 * u = (np.arange(36).reshape(3, 12) % 5 - 2) * 0.15
 * b = (np.arange(12) % 4 - 1.5) * 0.2
 * x = np.sin(np.arange(16)).reshape(2, 4, 2)
 * inp = keras.Input((4, 2)); lstm = keras.layers.LSTM(3, return_sequences=...); lstm(inp)
 * lstm.set_weights([k, u, b]); keras.Model(inp, lstm(inp)).predict(x)
 * </pre>
 * and printed with {@code repr(float(v))}. The weight literals below are those arrays.
 */
class LstmTest {
    static final float[] KERNEL = {-0.3f, -0.2f, -0.1f, 0f, 0.1f, 0.2f, 0.3f, -0.3f, -0.2f, -0.1f, 0f, 0.1f,
        0.2f, 0.3f, -0.3f, -0.2f, -0.1f, 0f, 0.1f, 0.2f, 0.3f, -0.3f, -0.2f, -0.1f};
    static final float[] RECURRENT = {-0.3f, -0.15f, 0f, 0.15f, 0.3f, -0.3f, -0.15f, 0f, 0.15f, 0.3f, -0.3f, -0.15f,
        0f, 0.15f, 0.3f, -0.3f, -0.15f, 0f, 0.15f, 0.3f, -0.3f, -0.15f, 0f, 0.15f,
        0.3f, -0.3f, -0.15f, 0f, 0.15f, 0.3f, -0.3f, -0.15f, 0f, 0.15f, 0.3f, -0.3f};
    static final float[] BIAS = {-0.3f, -0.1f, 0.1f, 0.3f, -0.3f, -0.1f, 0.1f, 0.3f, -0.3f, -0.1f, 0.1f, 0.3f};
    static final float[] X = {0.0f, 0.8414710164070129f, 0.9092974066734314f, 0.14112000167369843f,
        -0.756802499294281f, -0.9589242935180664f, -0.279415488243103f, 0.6569865942001343f,
        0.9893582463264465f, 0.41211846470832825f, -0.5440210700035095f, -0.9999902248382568f,
        -0.5365729331970215f, 0.42016705870628357f, 0.9906073808670044f, 0.6502878665924072f};

    static final float[] KERAS_LAST = {0.03931409865617752f, 0.17249375581741333f, -0.11213333159685135f,
        0.07877438515424728f, 0.11541120707988739f, -0.15058481693267822f};
    static final float[] KERAS_SEQUENCES = {0.0350273996591568f, 0.11145679652690887f, -0.012155077420175076f,
        0.08113765716552734f, 0.07364553213119507f, -0.1347334086894989f, 0.02217249572277069f,
        0.12283007055521011f, -0.20232143998146057f, 0.03931409865617752f, 0.17249375581741333f,
        -0.11213333159685135f, 0.06424544751644135f, 0.019657833501696587f, -0.0978885069489479f,
        0.022295666858553886f, 0.07647797465324402f, -0.19986361265182495f, 0.02006540261209011f,
        0.16330982744693756f, -0.11029226332902908f, 0.07877438515424728f, 0.11541120707988739f,
        -0.15058481693267822f};
    /** Same weights, LSTM(3, activation='relu', recurrent_activation='hard_sigmoid', use_bias=False). */
    static final float[] KERAS_RELU_HARD_SIGMOID_NO_BIAS = {0.017857437953352928f, 0.06626688688993454f,
        0.06463856995105743f, 0.08411987870931625f, 0.03203936666250229f, 0.031622398644685745f};

    static Lstm lstm(boolean sequences) {
        return new Lstm("lstm", 3, Tensor.of(KERNEL, 2, 12), Tensor.of(RECURRENT, 3, 12), Tensor.of(BIAS, 12),
                Activation.TANH, Activation.SIGMOID, sequences);
    }

    static Model model(Lstm layer) {
        Graph.Builder g = Graph.builder();
        Port in = g.input("x", Shape.of(Shape.UNKNOWN, 4, 2));
        return new Model(g.build(List.of(g.apply(layer, in))), Map.of());
    }

    static void assertClose(float[] expected, Tensor actual) {
        float[] a = actual.data();
        assertEquals(expected.length, a.length);
        for (int i = 0; i < a.length; i++) {
            assertEquals(expected[i], a[i], 1e-5 + 1e-5 * Math.abs(expected[i]), "element " + i);
        }
    }

    @Test
    void lstmLastStepMatchesKeras() {
        Tensor y = model(lstm(false)).predict(Tensor.of(X, 2, 4, 2));
        assertArrayEquals(new int[] {2, 3}, y.shape());
        assertClose(KERAS_LAST, y);
    }

    @Test
    void lstmReturnSequencesMatchesKeras() {
        Tensor y = model(lstm(true)).predict(Tensor.of(X, 2, 4, 2));
        assertArrayEquals(new int[] {2, 4, 3}, y.shape());
        assertClose(KERAS_SEQUENCES, y);
    }

    @Test
    void lstmWithReluHardSigmoidAndNoBiasMatchesKeras() {
        Lstm layer = new Lstm("lstm", 3, Tensor.of(KERNEL, 2, 12), Tensor.of(RECURRENT, 3, 12), null,
                Activation.RELU, Activation.HARD_SIGMOID, false);
        assertClose(KERAS_RELU_HARD_SIGMOID_NO_BIAS, model(layer).predict(Tensor.of(X, 2, 4, 2)));
    }

    @Test
    void eachSampleOfABatchIsIndependent() {
        // The second sample alone gives the second row of the batched Keras result.
        float[] second = Arrays.copyOfRange(X, 8, 16);
        Tensor y = model(lstm(false)).predict(Tensor.of(second, 1, 4, 2));
        assertClose(Arrays.copyOfRange(KERAS_LAST, 3, 6), y);
    }

    @Test
    void wrongKernelShapeNamesLayerWeightAndShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Lstm("encoder", 3,
                Tensor.of(KERNEL, 2, 12), Tensor.of(new float[30], 3, 10), Tensor.of(BIAS, 12),
                Activation.TANH, Activation.SIGMOID, false));
        assertEquals("layer 'encoder': weight 'recurrent_kernel' has shape (3, 10), expected (3, 12)", e.getMessage());
        IllegalArgumentException k = assertThrows(IllegalArgumentException.class, () -> new Lstm("encoder", 3,
                Tensor.of(KERNEL, 2, 3, 4), Tensor.of(RECURRENT, 3, 12), null, Activation.TANH, Activation.SIGMOID, false));
        assertTrue(k.getMessage().startsWith("layer 'encoder': weight 'kernel' has shape (2, 3, 4)"), k.getMessage());
        IllegalArgumentException b = assertThrows(IllegalArgumentException.class, () -> new Lstm("encoder", 3,
                Tensor.of(KERNEL, 2, 12), Tensor.of(RECURRENT, 3, 12), Tensor.of(new float[9], 9),
                Activation.TANH, Activation.SIGMOID, false));
        assertEquals("layer 'encoder': weight 'bias' has shape (9,), expected (12,)", b.getMessage());
    }

    @Test
    void nonPositiveUnitsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Lstm("l", 0,
                Tensor.of(new float[0], 2, 0), Tensor.of(new float[0], 0, 0), null,
                Activation.TANH, Activation.SIGMOID, false));
        assertTrue(e.getMessage().contains("units must be positive"), e.getMessage());
    }

    @Test
    void wrongInputShapeIsAnInputMismatchNamingBothShapes() {
        Model m = model(lstm(false));
        InputMismatchException e = assertThrows(InputMismatchException.class,
                () -> m.predict(Tensor.of(new float[30], 2, 5, 3)));
        assertEquals("input 'x' expects shape (None, 4, 2), got (2, 5, 3)", e.getMessage());
        InputMismatchException rank = assertThrows(InputMismatchException.class,
                () -> m.predict(Tensor.of(new float[8], 4, 2)));
        assertTrue(rank.getMessage().contains("(None, 4, 2)") && rank.getMessage().contains("(4, 2)"), rank.getMessage());
    }

    @Test
    void layerRefusesInputWithOtherFeatureCountWhenTheGraphIsBuilt() {
        Graph.Builder g = Graph.builder();
        Port in = g.input("x", Shape.of(Shape.UNKNOWN, 4, 5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.apply(lstm(false), in));
        assertEquals("layer 'lstm' (LSTM) has a kernel for 2 features but its input is (None, 4, 5)", e.getMessage());
        IllegalArgumentException r = assertThrows(IllegalArgumentException.class,
                () -> lstm(false).outputShape(Shape.of(Shape.UNKNOWN, 2)));
        assertTrue(r.getMessage().contains("expects input of rank 3"), r.getMessage());
    }

    @Test
    void declaredOutputShapesFollowReturnSequences() {
        assertEquals(Shape.of(Shape.UNKNOWN, 3), lstm(false).outputShape(Shape.of(Shape.UNKNOWN, Shape.UNKNOWN, 2)));
        assertEquals(Shape.of(Shape.UNKNOWN, 7, 3), lstm(true).outputShape(Shape.of(Shape.UNKNOWN, 7, 2)));
    }

    @Test
    void weightsAreCopiedAndCountedLikeKeras() {
        float[] kernel = KERNEL.clone();
        Lstm layer = new Lstm("lstm", 3, Tensor.wrap(kernel, 2, 12), Tensor.of(RECURRENT, 3, 12), Tensor.of(BIAS, 12),
                Activation.TANH, Activation.SIGMOID, false);
        kernel[0] = 99f; // changing the caller's array afterwards must not change the layer
        assertClose(KERAS_LAST, model(layer).predict(Tensor.of(X, 2, 4, 2)));
        assertEquals(4 * (2 * 3 + 3 * 3 + 3), layer.parameterCount()); // Keras: 4 * (in*u + u*u + u) = 72
        assertEquals(List.of("kernel", "recurrent_kernel", "bias"), layer.weights().stream().map(Weight::name).toList());
    }
}
