package org.jkeras.runtime.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.graph.Graph;
import org.jkeras.runtime.graph.Port;
import org.jkeras.runtime.tensor.Activation;
import org.junit.jupiter.api.Test;

/**
 * GRU(3) on a [2, 4, 2] input with explicit weights, against Keras, in both reset_after variants.
 *
 * <p>Produced with Keras 3.15.1 (TensorFlow 2.21.0 backend), float32:
 * <pre>
 * k = (np.arange(18).reshape(2, 9) % 7 - 3) * 0.1
 * u = (np.arange(27).reshape(3, 9) % 5 - 2) * 0.15
 * b_after = (np.arange(18).reshape(2, 9) % 4 - 1.5) * 0.2    # [2, 9]: input bias, recurrent bias
 * b_before = (np.arange(9) % 4 - 1.5) * 0.2                  # [9]
 * x = np.sin(np.arange(16)).reshape(2, 4, 2).astype(np.float32)
 * inp = keras.Input((4, 2)); gru = keras.layers.GRU(3, ...); out = gru(inp)
 * gru.set_weights([k, u, b]); keras.Model(inp, out).predict(x)
 * </pre>
 * and printed with {@code repr(float(v))}. The weight literals below are those arrays.
 */
class GruTest {
    static final float[] KERNEL = {-0.3f, -0.2f, -0.1f, 0.0f, 0.1f, 0.2f, 0.3f, -0.3f, -0.2f,
        -0.1f, 0.0f, 0.1f, 0.2f, 0.3f, -0.3f, -0.2f, -0.1f, 0.0f};
    static final float[] RECURRENT = {-0.3f, -0.15f, 0.0f, 0.15f, 0.3f, -0.3f, -0.15f, 0.0f, 0.15f,
        0.3f, -0.3f, -0.15f, 0.0f, 0.15f, 0.3f, -0.3f, -0.15f, 0.0f,
        0.15f, 0.3f, -0.3f, -0.15f, 0.0f, 0.15f, 0.3f, -0.3f, -0.15f};
    static final float[] BIAS_AFTER = {-0.3f, -0.1f, 0.1f, 0.3f, -0.3f, -0.1f, 0.1f, 0.3f, -0.3f,
        -0.1f, 0.1f, 0.3f, -0.3f, -0.1f, 0.1f, 0.3f, -0.3f, -0.1f};
    static final float[] BIAS_BEFORE = {-0.3f, -0.1f, 0.1f, 0.3f, -0.3f, -0.1f, 0.1f, 0.3f, -0.3f};
    static final float[] X = {0.0f, 0.8414709568023682f, 0.9092974066734314f, 0.14112000167369843f,
        -0.756802499294281f, -0.9589242935180664f, -0.279415488243103f, 0.6569865942001343f,
        0.9893582463264465f, 0.41211849451065063f, -0.5440211296081543f, -0.9999902248382568f,
        -0.5365729331970215f, 0.4201670289039612f, 0.9906073808670044f, 0.6502878665924072f};

    /** GRU(3), reset_after=True (default), last step. */
    static final float[] KERAS_LAST = {0.06264309585094452f, 0.20732474327087402f, -0.23573657870292664f,
        0.2523837089538574f, -0.015320517122745514f, -0.31688371300697327f};
    /** GRU(3, return_sequences=True). */
    static final float[] KERAS_SEQUENCES = {0.058172471821308136f, 0.03837427496910095f, -0.12612386047840118f,
        0.31249722838401794f, -0.0414518341422081f, -0.271045446395874f,
        0.2226952314376831f, 0.22518466413021088f, -0.2258053719997406f,
        0.06264309585094452f, 0.20732474327087402f, -0.23573657870292664f,
        0.2967764735221863f, -0.09502449631690979f, -0.207759290933609f,
        0.2621922492980957f, 0.1746537983417511f, -0.2050361931324005f,
        0.0706876739859581f, 0.234926238656044f, -0.20414984226226807f,
        0.2523837089538574f, -0.015320517122745514f, -0.31688371300697327f};
    /** GRU(3, reset_after=False) with b_before. */
    static final float[] KERAS_RESET_BEFORE = {-0.07058259099721909f, 0.31887686252593994f, -0.21141333878040314f,
        0.10281986743211746f, 0.09539571404457092f, -0.31274229288101196f};
    /** GRU(3, activation='relu', recurrent_activation='hard_sigmoid', use_bias=False): Keras 3's hard sigmoid. */
    static final float[] KERAS_RELU_HARD_SIGMOID_NO_BIAS = {0.03731883689761162f, 0.0777924656867981f, 0.06856480240821838f,
        0.10634724050760269f, 0.052945904433727264f, 0.040829356759786606f};
    /** GRU(3, reset_after=False, use_bias=False, return_sequences=True). */
    static final float[] KERAS_RESET_BEFORE_NO_BIAS_SEQUENCES = {-0.08686680346727371f, -0.041974522173404694f, 0.0f,
        0.10569201409816742f, -0.1682327538728714f, -0.09639450907707214f,
        0.04260852187871933f, 0.06350905448198318f, 0.031845614314079285f,
        -0.08734658360481262f, 0.036655474454164505f, 0.04401565343141556f,
        0.12325530499219894f, -0.17891372740268707f, -0.1004825159907341f,
        0.08252491801977158f, 0.03852555900812149f, 0.01136329397559166f,
        -0.07510286569595337f, 0.07458971440792084f, 0.059779416769742966f,
        0.06499628722667694f, -0.1638679802417755f, -0.07714895904064178f};

    static Gru gru(boolean resetAfter, boolean sequences) {
        return new Gru("gru", 3, Tensor.of(KERNEL, 2, 9), Tensor.of(RECURRENT, 3, 9),
                resetAfter ? Tensor.of(BIAS_AFTER, 2, 9) : Tensor.of(BIAS_BEFORE, 9), resetAfter,
                Activation.TANH, Activation.SIGMOID, sequences);
    }

    static Model model(SingleInputLayer layer) {
        Graph.Builder g = Graph.builder();
        Port in = g.input("x", Shape.of(Shape.UNKNOWN, 4, 2));
        return new Model(g.build(List.of(g.apply(layer, in))), Map.of());
    }

    static Tensor run(SingleInputLayer layer) {
        return model(layer).predict(Tensor.of(X, 2, 4, 2));
    }

    @Test
    void gruResetAfterLastStepMatchesKeras() {
        Tensor y = run(gru(true, false));
        assertArrayEquals(new int[] {2, 3}, y.shape());
        LstmTest.assertClose(KERAS_LAST, y);
    }

    @Test
    void gruResetAfterReturnSequencesMatchesKeras() {
        Tensor y = run(gru(true, true));
        assertArrayEquals(new int[] {2, 4, 3}, y.shape());
        LstmTest.assertClose(KERAS_SEQUENCES, y);
    }

    @Test
    void gruResetBeforeMatchesKeras() {
        LstmTest.assertClose(KERAS_RESET_BEFORE, run(gru(false, false)));
    }

    @Test
    void gruWithReluHardSigmoidAndNoBiasMatchesKeras() {
        Gru layer = new Gru("gru", 3, Tensor.of(KERNEL, 2, 9), Tensor.of(RECURRENT, 3, 9), null, true,
                Activation.RELU, Activation.HARD_SIGMOID, false);
        LstmTest.assertClose(KERAS_RELU_HARD_SIGMOID_NO_BIAS, run(layer));
    }

    @Test
    void gruResetBeforeWithoutBiasReturnSequencesMatchesKeras() {
        Gru layer = new Gru("gru", 3, Tensor.of(KERNEL, 2, 9), Tensor.of(RECURRENT, 3, 9), null, false,
                Activation.TANH, Activation.SIGMOID, true);
        LstmTest.assertClose(KERAS_RESET_BEFORE_NO_BIAS_SEQUENCES, run(layer));
    }

    @Test
    void eachSampleOfABatchIsIndependent() {
        Tensor y = model(gru(true, false)).predict(Tensor.of(Arrays.copyOfRange(X, 8, 16), 1, 4, 2));
        LstmTest.assertClose(Arrays.copyOfRange(KERAS_LAST, 3, 6), y);
    }

    @Test
    void biasShapeMustMatchTheResetVariant() {
        IllegalArgumentException after = assertThrows(IllegalArgumentException.class, () -> new Gru("enc", 3,
                Tensor.of(KERNEL, 2, 9), Tensor.of(RECURRENT, 3, 9), Tensor.of(BIAS_BEFORE, 9), true,
                Activation.TANH, Activation.SIGMOID, false));
        assertEquals("layer 'enc': weight 'bias' has shape (9,), expected (2, 9)", after.getMessage());
        IllegalArgumentException before = assertThrows(IllegalArgumentException.class, () -> new Gru("enc", 3,
                Tensor.of(KERNEL, 2, 9), Tensor.of(RECURRENT, 3, 9), Tensor.of(BIAS_AFTER, 2, 9), false,
                Activation.TANH, Activation.SIGMOID, false));
        assertEquals("layer 'enc': weight 'bias' has shape (2, 9), expected (9,)", before.getMessage());
    }

    @Test
    void wrongKernelShapesNameLayerWeightAndShapes() {
        IllegalArgumentException r = assertThrows(IllegalArgumentException.class, () -> new Gru("enc", 3,
                Tensor.of(KERNEL, 2, 9), Tensor.of(new float[36], 3, 12), null, true,
                Activation.TANH, Activation.SIGMOID, false));
        assertEquals("layer 'enc': weight 'recurrent_kernel' has shape (3, 12), expected (3, 9)", r.getMessage());
        IllegalArgumentException k = assertThrows(IllegalArgumentException.class, () -> new Gru("enc", 3,
                Tensor.of(new float[24], 2, 12), Tensor.of(RECURRENT, 3, 9), null, true,
                Activation.TANH, Activation.SIGMOID, false));
        assertEquals("layer 'enc': weight 'kernel' has shape (2, 12), expected (2, 9)", k.getMessage());
        IllegalArgumentException u = assertThrows(IllegalArgumentException.class, () -> new Gru("enc", 0,
                Tensor.of(new float[0], 2, 0), Tensor.of(new float[0], 0, 0), null, true,
                Activation.TANH, Activation.SIGMOID, false));
        assertTrue(u.getMessage().contains("units must be positive"), u.getMessage());
    }

    @Test
    void layerRefusesInputWithOtherFeatureCount() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> gru(true, false).outputShape(Shape.of(Shape.UNKNOWN, 4, 5)));
        assertEquals("layer 'gru' (GRU) has a kernel for 2 features but its input is (None, 4, 5)", e.getMessage());
        assertEquals(Shape.of(Shape.UNKNOWN, 7, 3), gru(false, true).outputShape(Shape.of(Shape.UNKNOWN, 7, 2)));
    }

    @Test
    void weightsAreReturnedInKerasLayoutAndCountedLikeKeras() {
        Gru after = gru(true, false);
        assertEquals(3 * (2 * 3 + 3 * 3 + 2 * 3), after.parameterCount()); // Keras: 3*(in*u + u*u + 2u) = 63
        assertEquals(List.of("kernel", "recurrent_kernel", "bias"), after.weights().stream().map(Weight::name).toList());
        assertArrayEquals(new int[] {2, 9}, after.weights().get(2).value().shape());
        Gru before = gru(false, false);
        assertEquals(3 * (2 * 3 + 3 * 3 + 3), before.parameterCount()); // 3*(in*u + u*u + u) = 54
        assertArrayEquals(RECURRENT, before.weights().get(1).value().data()); // not the split copy
    }
}
