package org.jkeras.runtime.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.tensor.Activation;
import org.junit.jupiter.api.Test;

/**
 * SimpleRNN(3) on a [2, 4, 2] input with explicit weights, against Keras.
 *
 * <p>Produced with Keras 3.15.1 (TensorFlow 2.21.0 backend), float32:
 * <pre>
 * k = (np.arange(6).reshape(2, 3) % 7 - 3) * 0.1
 * u = (np.arange(9).reshape(3, 3) % 5 - 2) * 0.15
 * b = (np.arange(3) % 4 - 1.5) * 0.2
 * x = np.sin(np.arange(16)).reshape(2, 4, 2).astype(np.float32)    # GruTest.X
 * inp = keras.Input((4, 2)); rnn = keras.layers.SimpleRNN(3, ...); out = rnn(inp)
 * rnn.set_weights([k, u, b]); keras.Model(inp, out).predict(x)
 * </pre>
 * and printed with {@code repr(float(v))}. The weight literals below are those arrays.
 */
class SimpleRnnTest {
    static final float[] KERNEL = {-0.3f, -0.2f, -0.1f,
        0.0f, 0.1f, 0.2f};
    static final float[] RECURRENT = {-0.3f, -0.15f, 0.0f,
        0.15f, 0.3f, -0.3f,
        -0.15f, 0.0f, 0.15f};
    static final float[] BIAS = {-0.3f, -0.1f, 0.1f};

    /** SimpleRNN(3), last step. */
    static final float[] KERAS_LAST = {-0.23496682941913605f, 0.005819106008857489f, 0.2735616862773895f,
        -0.528330385684967f, -0.19975006580352783f, 0.16087065637111664f};
    /** SimpleRNN(3, return_sequences=True). */
    static final float[] KERAS_SEQUENCES = {-0.29131263494491577f, -0.01585157960653305f, 0.26203685998916626f,
        -0.4831449091434479f, -0.22489511966705322f, 0.08117625117301941f,
        0.026067601516842842f, -0.0395081602036953f, 0.0634549930691719f,
        -0.23496682941913605f, 0.005819106008857489f, 0.2735616862773895f,
        -0.5347739458084106f, -0.25116869807243347f, 0.08329444378614426f,
        -0.026524735614657402f, -0.08611550182104111f, 0.042223721742630005f,
        -0.1491995006799698f, 0.027468429878354073f, 0.26349353790283203f,
        -0.528330385684967f, -0.19975006580352783f, 0.16087065637111664f};
    /** SimpleRNN(3, activation='relu', use_bias=False). */
    static final float[] KERAS_RELU_NO_BIAS = {0.024032630026340485f, 0.10416606813669205f, 0.14269845187664032f,
        0.0f, 0.0f, 0.013006636872887611f};

    static SimpleRnn rnn(boolean sequences) {
        return new SimpleRnn("rnn", 3, Tensor.of(KERNEL, 2, 3), Tensor.of(RECURRENT, 3, 3), Tensor.of(BIAS, 3),
                Activation.TANH, sequences);
    }

    @Test
    void simpleRnnLastStepMatchesKeras() {
        Tensor y = GruTest.run(rnn(false));
        assertArrayEquals(new int[] {2, 3}, y.shape());
        LstmTest.assertClose(KERAS_LAST, y);
    }

    @Test
    void simpleRnnReturnSequencesMatchesKeras() {
        Tensor y = GruTest.run(rnn(true));
        assertArrayEquals(new int[] {2, 4, 3}, y.shape());
        LstmTest.assertClose(KERAS_SEQUENCES, y);
    }

    @Test
    void simpleRnnWithReluAndNoBiasMatchesKeras() {
        SimpleRnn layer = new SimpleRnn("rnn", 3, Tensor.of(KERNEL, 2, 3), Tensor.of(RECURRENT, 3, 3), null,
                Activation.RELU, false);
        LstmTest.assertClose(KERAS_RELU_NO_BIAS, GruTest.run(layer));
    }

    @Test
    void wrongWeightShapesNameLayerWeightAndShapes() {
        IllegalArgumentException r = assertThrows(IllegalArgumentException.class, () -> new SimpleRnn("enc", 3,
                Tensor.of(KERNEL, 2, 3), Tensor.of(new float[12], 3, 4), null, Activation.TANH, false));
        assertEquals("layer 'enc': weight 'recurrent_kernel' has shape (3, 4), expected (3, 3)", r.getMessage());
        IllegalArgumentException b = assertThrows(IllegalArgumentException.class, () -> new SimpleRnn("enc", 3,
                Tensor.of(KERNEL, 2, 3), Tensor.of(RECURRENT, 3, 3), Tensor.of(new float[6], 2, 3),
                Activation.TANH, false));
        assertEquals("layer 'enc': weight 'bias' has shape (2, 3), expected (3,)", b.getMessage());
        IllegalArgumentException k = assertThrows(IllegalArgumentException.class, () -> new SimpleRnn("enc", 3,
                Tensor.of(KERNEL, 6), Tensor.of(RECURRENT, 3, 3), null, Activation.TANH, false));
        assertTrue(k.getMessage().startsWith("layer 'enc': weight 'kernel' has shape (6,)"), k.getMessage());
    }

    @Test
    void layerRefusesInputWithOtherFeatureCount() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> rnn(false).outputShape(Shape.of(Shape.UNKNOWN, 4, 5)));
        assertEquals("layer 'rnn' (SimpleRNN) has a kernel for 2 features but its input is (None, 4, 5)",
                e.getMessage());
    }

    @Test
    void weightsAreCountedLikeKeras() {
        SimpleRnn layer = rnn(false);
        assertEquals(2 * 3 + 3 * 3 + 3, layer.parameterCount()); // Keras: in*u + u*u + u = 18
        assertEquals(List.of("kernel", "recurrent_kernel", "bias"), layer.weights().stream().map(Weight::name).toList());
    }
}
