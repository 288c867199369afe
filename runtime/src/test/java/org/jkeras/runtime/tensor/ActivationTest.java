package org.jkeras.runtime.tensor;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every activation against the values Keras computes in float32.
 *
 * <p>Reference values were produced with Keras 3.15.1 / TensorFlow 2.21.0 (tf_keras 2.21.0 for
 * the legacy hard sigmoid) by evaluating {@code keras.activations.<name>} on the float32 array
 * {@link #XS} and printing each result with {@code repr(float(v))}.
 */
class ActivationTest {
    static final float[] XS = {-6f, -3f, -2.5f, -1f, -0.5f, -0.1f, 0f, 0.1f, 0.5f, 1f, 2.5f, 3f, 6f};

    static final Map<Activation, float[]> KERAS = Map.ofEntries(
            // keras.activations.linear
            Map.entry(Activation.LINEAR, new float[] {-6.0f, -3.0f, -2.5f, -1.0f, -0.5f, -0.10000000149011612f, 0.0f, 0.10000000149011612f, 0.5f, 1.0f, 2.5f, 3.0f, 6.0f}),
            // keras.activations.relu
            Map.entry(Activation.RELU, new float[] {0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.10000000149011612f, 0.5f, 1.0f, 2.5f, 3.0f, 6.0f}),
            // keras.activations.relu6
            Map.entry(Activation.RELU6, new float[] {0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.10000000149011612f, 0.5f, 1.0f, 2.5f, 3.0f, 6.0f}),
            // keras.activations.leaky_relu
            Map.entry(Activation.LEAKY_RELU, new float[] {-1.2000000476837158f, -0.6000000238418579f, -0.5f, -0.20000000298023224f, -0.10000000149011612f, -0.020000001415610313f, 0.0f, 0.10000000149011612f, 0.5f, 1.0f, 2.5f, 3.0f, 6.0f}),
            // keras.activations.tanh
            Map.entry(Activation.TANH, new float[] {-0.9999877214431763f, -0.9950547218322754f, -0.9866143465042114f, -0.7615941762924194f, -0.46211713552474976f, -0.0996680036187172f, 0.0f, 0.0996680036187172f, 0.46211713552474976f, 0.7615941762924194f, 0.9866143465042114f, 0.9950547218322754f, 0.9999877214431763f}),
            // keras.activations.sigmoid
            Map.entry(Activation.SIGMOID, new float[] {0.0024726230185478926f, 0.04742586612701416f, 0.07585816830396652f, 0.26894140243530273f, 0.3775406777858734f, 0.47502079606056213f, 0.5f, 0.5249791741371155f, 0.622459352016449f, 0.7310585975646973f, 0.9241418242454529f, 0.9525741338729858f, 0.9975273609161377f}),
            // keras.activations.hard_sigmoid
            Map.entry(Activation.HARD_SIGMOID, new float[] {0.0f, 0.0f, 0.0833333358168602f, 0.3333333432674408f, 0.4166666567325592f, 0.4833333492279053f, 0.5f, 0.5166666507720947f, 0.5833333134651184f, 0.6666666865348816f, 0.9166666865348816f, 1.0f, 1.0f}),
            // tf_keras.activations.hard_sigmoid (Keras 2)
            Map.entry(Activation.HARD_SIGMOID_LEGACY, new float[] {0.0f, 0.0f, 0.0f, 0.30000001192092896f, 0.4000000059604645f, 0.47999998927116394f, 0.5f, 0.5199999809265137f, 0.6000000238418579f, 0.699999988079071f, 1.0f, 1.0f, 1.0f}),
            // keras.activations.hard_silu
            Map.entry(Activation.HARD_SILU, new float[] {-0.0f, -0.0f, -0.2083333432674408f, -0.3333333432674408f, -0.2083333283662796f, -0.04833333566784859f, 0.0f, 0.05166666582226753f, 0.2916666567325592f, 0.6666666865348816f, 2.2916667461395264f, 3.0f, 6.0f}),
            // keras.activations.hard_tanh
            Map.entry(Activation.HARD_TANH, new float[] {-1.0f, -1.0f, -1.0f, -1.0f, -0.5f, -0.10000000149011612f, 0.0f, 0.10000000149011612f, 0.5f, 1.0f, 1.0f, 1.0f, 1.0f}),
            // keras.activations.elu
            Map.entry(Activation.ELU, new float[] {-0.9975212216377258f, -0.9502129554748535f, -0.9179149866104126f, -0.6321205496788025f, -0.39346933364868164f, -0.09516263008117676f, 0.0f, 0.10000000149011612f, 0.5f, 1.0f, 2.5f, 3.0f, 6.0f}),
            // keras.activations.selu
            Map.entry(Activation.SELU, new float[] {-1.7537413835525513f, -1.6705687046051025f, -1.613785743713379f, -1.1113307476043701f, -0.6917581558227539f, -0.1673053503036499f, 0.0f, 0.10507010668516159f, 0.5253505110740662f, 1.0507010221481323f, 2.6267526149749756f, 3.1521029472351074f, 6.304205894470215f}),
            // keras.activations.celu
            Map.entry(Activation.CELU, new float[] {-0.9975212216377258f, -0.9502129554748535f, -0.9179149866104126f, -0.6321205496788025f, -0.39346933364868164f, -0.09516259282827377f, 0.0f, 0.10000000149011612f, 0.5f, 1.0f, 2.5f, 3.0f, 6.0f}),
            // keras.activations.softplus
            Map.entry(Activation.SOFTPLUS, new float[] {0.002475685440003872f, 0.04858735576272011f, 0.07888974249362946f, 0.3132616877555847f, 0.4740769863128662f, 0.6443966627120972f, 0.6931471824645996f, 0.7443966865539551f, 0.9740769863128662f, 1.31326162815094f, 2.578889846801758f, 3.0485873222351074f, 6.002475738525391f}),
            // keras.activations.softsign
            Map.entry(Activation.SOFTSIGN, new float[] {-0.8571428656578064f, -0.75f, -0.7142857313156128f, -0.5f, -0.3333333432674408f, -0.09090909361839294f, 0.0f, 0.09090909361839294f, 0.3333333432674408f, 0.5f, 0.7142857313156128f, 0.75f, 0.8571428656578064f}),
            // keras.activations.exponential
            Map.entry(Activation.EXPONENTIAL, new float[] {0.0024787522852420807f, 0.049787070602178574f, 0.08208499848842621f, 0.3678794503211975f, 0.6065306663513184f, 0.9048373699188232f, 1.0f, 1.1051709651947021f, 1.6487212181091309f, 2.7182817459106445f, 12.182494163513184f, 20.08553695678711f, 403.4288024902344f}),
            // keras.activations.silu
            Map.entry(Activation.SILU, new float[] {-0.014835737645626068f, -0.14227759838104248f, -0.1896454244852066f, -0.26894140243530273f, -0.1887703388929367f, -0.04750208184123039f, 0.0f, 0.05249791964888573f, 0.3112296760082245f, 0.7310585975646973f, 2.310354471206665f, 2.857722282409668f, 5.985164165496826f}),
            // keras.activations.gelu(approximate=False)
            Map.entry(Activation.GELU, new float[] {-5.9195350843310734e-09f, -0.004049696493893862f, -0.015524163842201233f, -0.15865525603294373f, -0.1542687714099884f, -0.04601721838116646f, 0.0f, 0.05398278310894966f, 0.3457312285900116f, 0.8413447141647339f, 2.48447585105896f, 2.995950222015381f, 6.0f}),
            // keras.activations.gelu(approximate=True)
            Map.entry(Activation.GELU_TANH, new float[] {-0.0f, -0.0036374330520629883f, -0.015084221959114075f, -0.15880799293518066f, -0.1542859971523285f, -0.046017248183488846f, 0.0f, 0.053982753306627274f, 0.3457140028476715f, 0.8411920070648193f, 2.4849157333374023f, 2.9963626861572266f, 6.0f}),
            // keras.activations.mish
            Map.entry(Activation.MISH, new float[] {-0.014854082837700844f, -0.14564748108386993f, -0.19681620597839355f, -0.30340149998664856f, -0.22074377536773682f, -0.056788574904203415f, 0.0f, 0.06317942589521408f, 0.37524524331092834f, 0.8650984168052673f, 2.4713923931121826f, 2.98653507232666f, 5.999927043914795f}),
            // keras.activations.log_sigmoid
            Map.entry(Activation.LOG_SIGMOID, new float[] {-6.002475738525391f, -3.0485870838165283f, -2.578889846801758f, -1.31326162815094f, -0.9740769267082214f, -0.7443966865539551f, -0.6931471824645996f, -0.6443966627120972f, -0.4740769863128662f, -0.3132616877555847f, -0.07888973504304886f, -0.04858735203742981f, -0.0024756852071732283f}),
            // keras.activations.tanh_shrink
            Map.entry(Activation.TANH_SHRINK, new float[] {-5.000012397766113f, -2.0049452781677246f, -1.5133856534957886f, -0.23840582370758057f, -0.037882864475250244f, -0.0003319978713989258f, 0.0f, 0.0003319978713989258f, 0.037882864475250244f, 0.23840582370758057f, 1.5133856534957886f, 2.0049452781677246f, 5.000012397766113f}),
            // keras.activations.squareplus
            Map.entry(Activation.SQUAREPLUS, new float[] {0.1622776985168457f, 0.30277562141418457f, 0.35078108310699463f, 0.6180340051651001f, 0.7807763814926147f, 0.9512491822242737f, 1.0f, 1.0512491464614868f, 1.2807763814926147f, 1.6180340051651f, 2.850780963897705f, 3.3027756214141846f, 6.162277698516846f}),
            // keras.activations.sparse_plus
            Map.entry(Activation.SPARSE_PLUS, new float[] {0.0f, 0.0f, 0.0f, 0.0f, 0.0625f, 0.20249998569488525f, 0.25f, 0.30250000953674316f, 0.5625f, 1.0f, 2.5f, 3.0f, 6.0f}),
            // keras.activations.hard_shrink
            Map.entry(Activation.HARD_SHRINK, new float[] {-6.0f, -3.0f, -2.5f, -1.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 1.0f, 2.5f, 3.0f, 6.0f}),
            // keras.activations.soft_shrink
            Map.entry(Activation.SOFT_SHRINK, new float[] {-5.5f, -2.5f, -2.0f, -0.5f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.5f, 2.0f, 2.5f, 5.5f}),
            // keras.activations.sparse_sigmoid
            Map.entry(Activation.SPARSE_SIGMOID, new float[] {0.0f, 0.0f, 0.0f, 0.0f, 0.25f, 0.44999998807907104f, 0.5f, 0.550000011920929f, 0.75f, 1.0f, 1.0f, 1.0f, 1.0f}));



    @ParameterizedTest
    @EnumSource(value = Activation.class, mode = EnumSource.Mode.EXCLUDE, names = {"SOFTMAX", "LOG_SOFTMAX",
        "SPARSEMAX", "GLU"})
    void elementwiseActivationMatchesKerasFloat32(Activation a) {
        float[] expected = KERAS.get(a);
        for (int i = 0; i < XS.length; i++) {
            float actual = a.apply(XS[i]);
            // Computed in double and rounded once, so within a few float32 ulps of TensorFlow.
            double allowed = 1e-6 + 1e-6 * Math.abs(expected[i]);
            assertTrue(Math.abs(actual - expected[i]) <= allowed,
                    a + "(" + XS[i] + ") = " + actual + ", Keras " + expected[i]);
        }
        float[] rows = XS.clone();
        a.applyRows(rows, 0, 1, rows.length);
        for (int i = 0; i < XS.length; i++) {
            assertEquals(a.apply(XS[i]), rows[i], 0f, "applyRows agrees with apply");
        }
    }

    @Test
    void everyElementwiseActivationHasAKerasReference() {
        Set<Activation> elementwise = Arrays.stream(Activation.values()).filter(Activation::isElementwise)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Activation.class)));
        assertEquals(elementwise, KERAS.keySet());
        assertFalse(Activation.SOFTMAX.isElementwise());
        assertFalse(Activation.LOG_SOFTMAX.isElementwise());
        assertFalse(Activation.SPARSEMAX.isElementwise());
        assertFalse(Activation.GLU.isElementwise());
    }

    /** keras.activations.sparsemax / glu on this float32 [3, 4] array (Keras 3.15.1, TensorFlow 2.21.0). */
    private static final float[] ROWS = {1.0f, 0.8f, 0.1f, -1.0f, 0.3f, 0.2f, 0.1f, 0.0f, 2.0f, -1f, 0.5f, 0.4f};

    @Test
    void sparsemaxFollowsKerasTensorFlowBackendIncludingItsSumOfSupportCumsums() {
        // Textbook sparsemax of row 0 is [0.6, 0.4, 0, 0]; Keras's TensorFlow backend gives [0.1, 0, 0, 0].
        float[] keras = {0.10000002384185791f, 0.0f, 0.0f, 0.0f, 0.050000011920928955f, 0.0f, 0.0f, 0.0f,
            1.0f, 0.0f, 0.0f, 0.0f};
        float[] x = ROWS.clone();
        Activation.SPARSEMAX.applyRows(x, 0, 3, 4);
        for (int i = 0; i < x.length; i++) {
            assertEquals(keras[i], x[i], 1e-7f, "sparsemax[" + i + "]");
        }
    }

    @Test
    void gluMultipliesTheFirstHalfBySigmoidOfTheSecondLikeKeras() {
        float[] keras = {0.5249791741371155f, 0.21515314280986786f, 0.15749375522136688f, 0.10000000149011612f,
            1.244918704032898f, -0.5986877083778381f};
        float[] out = new float[6];
        Activation.glu(ROWS, out, 3, 4);
        for (int i = 0; i < out.length; i++) {
            assertEquals(keras[i], out[i], 1e-7f, "glu[" + i + "]");
        }
        assertEquals(2, Activation.GLU.outputColumns(4));
        assertThrows(IllegalArgumentException.class, () -> Activation.GLU.outputColumns(5));
        assertThrows(UnsupportedOperationException.class, () -> Activation.GLU.applyRows(ROWS.clone(), 0, 3, 4));
    }

    @Test
    void hardSigmoidFollowsKeras3WhileLegacyFollowsKeras2() {
        // Keras 3: relu6(x + 3) / 6; Keras 2: clip(0.2x + 0.5, 0, 1). They differ away from 0.
        assertEquals(0.3333333432674408f, Activation.HARD_SIGMOID.apply(-1f), 1e-7f);
        assertEquals(0.30000001192092896f, Activation.HARD_SIGMOID_LEGACY.apply(-1f), 1e-7f);
        assertEquals(0.0f, Activation.HARD_SIGMOID_LEGACY.apply(-2.5f), 0f);
        assertEquals(0.0833333358168602f, Activation.HARD_SIGMOID.apply(-2.5f), 1e-7f);
    }

    @Test
    void softmaxNormalisesEachRowLikeKeras() {
        // keras.activations.softmax / log_softmax on this float32 [3, 4] array (Keras 3.15.1, TF 2.21.0).
        float[] z = {1f, 2f, 3f, -1f, 0.5f, 0.5f, 0.5f, 0.5f, 100f, -100f, 0f, 1f};
        float[] softmax = {0.08894681185483932f, 0.2417825162410736f, 0.6572329998016357f, 0.012037642300128937f,
            0.25f, 0.25f, 0.25f, 0.25f, 1.0f, 0.0f, 0.0f, 0.0f};
        float[] logSoftmax = {-2.4197165966033936f, -1.4197165966033936f, -0.41971665620803833f, -4.419716835021973f,
            -1.3862943649291992f, -1.3862943649291992f, -1.3862943649291992f, -1.3862943649291992f,
            0.0f, -200.0f, -100.0f, -99.0f};
        float[] padded = new float[z.length + 2];
        padded[0] = 42f;
        padded[padded.length - 1] = -42f;
        System.arraycopy(z, 0, padded, 1, z.length);
        float[] log = padded.clone();
        Activation.SOFTMAX.applyRows(padded, 1, 3, 4);
        Activation.LOG_SOFTMAX.applyRows(log, 1, 3, 4);
        for (int i = 0; i < z.length; i++) {
            assertEquals(softmax[i], padded[i + 1], 1e-7f + 1e-6f * Math.abs(softmax[i]), "softmax[" + i + "]");
            assertEquals(logSoftmax[i], log[i + 1], 1e-6f * Math.max(1f, Math.abs(logSoftmax[i])), "log_softmax[" + i + "]");
        }
        assertEquals(42f, padded[0], 0f, "values outside the rows are untouched");
        assertEquals(-42f, padded[padded.length - 1], 0f);
    }

    @Test
    void rowwiseActivationsRefuseSingleValues() {
        assertThrows(UnsupportedOperationException.class, () -> Activation.SOFTMAX.apply(1f));
        assertThrows(UnsupportedOperationException.class, () -> Activation.LOG_SOFTMAX.apply(1f));
        assertThrows(UnsupportedOperationException.class, () -> Activation.SPARSEMAX.apply(1f));
        assertThrows(UnsupportedOperationException.class, () -> Activation.GLU.apply(1f));
    }

    @Test
    void sigmoidAndSoftplusStayFiniteForLargeInputs() {
        assertEquals(1f, Activation.SIGMOID.apply(100f), 0f);
        assertEquals(0f, Activation.SIGMOID.apply(-1000f), 0f);
        assertEquals(100f, Activation.SOFTPLUS.apply(100f), 0f);
        assertEquals(0f, Activation.SOFTPLUS.apply(-1000f), 0f);
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, mode = EnumSource.Mode.EXCLUDE, names = {"SOFTMAX", "LOG_SOFTMAX",
        "SPARSEMAX", "GLU"})
    void derivativeMatchesCentralDifferencesAwayFromKinks(Activation a) {
        double h = 1e-3;
        for (float x = -4.3f; x <= 4.3f; x += 0.37f) {
            float y = a.apply(x);
            double fd = ((double) a.apply((float) (x + h)) - a.apply((float) (x - h))) / (2 * h);
            assertEquals(fd, a.derivative(x, y), 2e-3 + 2e-3 * Math.abs(fd), a + " at " + x);
        }
    }

    @org.junit.jupiter.api.Test
    void derivativesAtKinksTakeTensorFlowsSide() {
        assertEquals(0f, Activation.RELU.derivative(0f, 0f));
        assertEquals(0.2f, Activation.LEAKY_RELU.derivative(0f, 0f));
        assertEquals(0f, Activation.RELU6.derivative(6f, 6f));
        assertEquals(0f, Activation.HARD_SIGMOID.derivative(-3f, 0f));
    }
}
