package org.jkeras.runtime.training.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Keras loss behaviour the training fixtures do not cover: {@code ignore_class}, the other
 * reductions, Keras masks, the logits shortcut's corner cases, shape and label errors.
 *
 * <p>Expected numbers were produced with Keras 3.15.1 / TensorFlow 2.21.0 by calling the Keras
 * loss object under {@code tf.GradientTape} (eagerly, or inside {@code tf.function} on
 * {@code keras.activations.sigmoid/softmax(logits)} for the shortcut cases) and printing
 * {@code repr(float(v))} of the value and of {@code dloss/dy_pred} (or {@code dloss/dlogits}).
 */
class LossSemanticsTest {
    private static final float TOL = 1e-6f;

    // y_true = [0, 2, 1, 2], ignore_class = 2
    private static final Tensor LABELS = Tensor.of(new float[] {0, 2, 1, 2}, 4);
    private static final Tensor PROBS = Tensor.of(new float[] {0.2f, 0.5f, 0.3f, 0.1f, 0.1f, 0.8f, 0.6f, 0.3f, 0.1f,
        0.3f, 0.3f, 0.4f}, 4, 3);

    @Test
    void ignoreClassOnProbabilitiesMatchesKeras() {
        Loss loss = new SparseCategoricalCrossentropy(false, 2, "scce", Reduction.SUM_OVER_BATCH_SIZE);
        float[] grad = new float[12];
        assertEquals(1.406705379486084f, loss.compute(LABELS, PROBS, null, grad), TOL);
        assertArrayEquals(new float[] {-2.0f, 0.4999999701976776f, 0.4999999701976776f, 0.0f, 0.0f, 0.0f, 0.5f,
            -1.1666667461395264f, 0.4999999701976776f, 0.0f, 0.0f, 0.0f}, grad, TOL);
    }

    @Test
    void ignoreClassOnLogitsMatchesKeras() {
        Loss loss = new SparseCategoricalCrossentropy(true, 2, "scce", Reduction.SUM_OVER_BATCH_SIZE);
        float[] grad = new float[12];
        assertEquals(1.1965588331222534f, loss.compute(LABELS, PROBS, null, grad), TOL);
        assertArrayEquals(new float[] {-0.3552834391593933f, 0.1953469067811966f, 0.15993651747703552f, 0.0f, 0.0f,
            0.0f, 0.21300625801086426f, -0.3422010838985443f, 0.12919482588768005f, 0.0f, 0.0f, 0.0f}, grad, TOL);
    }

    // MeanSquaredError on y_true [[0.5,-1],[2,0],[1,1]], y_pred [[0,0.5],[1.5,1],[-1,2]], sample_weight [2, 0.5, 0]
    private static final Tensor YT = Tensor.of(new float[] {0.5f, -1f, 2f, 0f, 1f, 1f}, 3, 2);
    private static final Tensor YP = Tensor.of(new float[] {0f, 0.5f, 1.5f, 1f, -1f, 2f}, 3, 2);
    private static final Tensor SW = Tensor.of(new float[] {2f, 0.5f, 0f}, 3);

    @Test
    void reductionsMatchKeras() {
        float[] g = new float[6];
        assertEquals(2.8125f, new MeanSquaredError("mse", Reduction.SUM).compute(YT, YP, SW, g), TOL);
        assertArrayEquals(new float[] {-1.0f, 3.0f, -0.25f, 0.5f, -0.0f, 0.0f}, g, TOL);
        assertEquals(1.125f, new MeanSquaredError("mse", Reduction.MEAN_WITH_SAMPLE_WEIGHT).compute(YT, YP, SW, g), TOL);
        assertArrayEquals(new float[] {-0.4000000059604645f, 1.2000000476837158f, -0.10000000149011612f,
            0.20000000298023224f, -0.0f, 0.0f}, g, TOL);
        // a zero weight still counts in sum_over_batch_size's divisor
        assertEquals(0.9375f, new MeanSquaredError().compute(YT, YP, SW, g), TOL);
        assertArrayEquals(new float[] {-0.3333333432674408f, 1.0f, -0.0833333358168602f, 0.1666666716337204f, -0.0f,
            0.0f}, g, TOL);
        assertEquals(new MeanSquaredError().compute(YT, YP, SW, g), new MeanSquaredError("mse", Reduction.MEAN)
                .compute(YT, YP, SW, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MeanSquaredError("mse", Reduction.NONE).compute(YT, YP, null, null));
        assertTrue(e.getMessage().contains("'none'"), e.getMessage());
    }

    // y_true = arange(12).reshape(2,3,2)/5, y_pred = arange(12).reshape(2,3,2)[::-1]/7, Keras mask on y_pred
    // [[T,T,F],[T,F,F]], sample weights [[1,2,3],[0.5,0.5,0.5]]
    private static final Tensor SEQ_T = seq(5f, false);
    private static final Tensor SEQ_P = seq(7f, true);
    private static final Tensor MASK = Tensor.of(new float[] {1, 1, 0, 1, 0, 0}, 2, 3);
    private static final Tensor SEQ_W = Tensor.of(new float[] {1, 2, 3, 0.5f, 0.5f, 0.5f}, 2, 3);

    @Test
    void masksCombineWithWeightsAsKeras() {
        float[] g = new float[12];
        Loss mse = new MeanSquaredError();
        assertEquals(0.9028571248054504f, mse.compute(SEQ_T, SEQ_P, null, MASK, g, 1f), TOL);
        assertArrayEquals(new float[] {0.2857142984867096f, 0.2666666805744171f, 0.24761907756328583f,
            0.22857141494750977f, 0.0f, 0.0f, -0.40000003576278687f, -0.41904759407043457f, -0.0f, -0.0f, -0.0f, -0.0f},
                g, TOL);
        assertEquals(0.8214966654777527f, mse.compute(SEQ_T, SEQ_P, SEQ_W, MASK, g, 1f), TOL);
        assertArrayEquals(new float[] {0.2857142984867096f, 0.2666666805744171f, 0.49523815512657166f,
            0.45714282989501953f, 0.0f, 0.0f, -0.20000001788139343f, -0.20952379703521729f, -0.0f, -0.0f, -0.0f, -0.0f},
                g, TOL);
        Loss weightedMean = new MeanSquaredError("mse", Reduction.MEAN_WITH_SAMPLE_WEIGHT);
        assertEquals(0.7041400074958801f, weightedMean.compute(SEQ_T, SEQ_P, SEQ_W, MASK, g, 1f), TOL);
        assertArrayEquals(new float[] {0.2448979765176773f, 0.22857144474983215f, 0.4244898557662964f,
            0.3918367326259613f, 0.0f, 0.0f, -0.1714285910129547f, -0.1795918345451355f, -0.0f, -0.0f, -0.0f, -0.0f},
                g, TOL);
    }

    @Test
    void sampleWeightsThatDoNotBroadcastAreRefused() {
        // Keras raises InvalidArgumentError for per-sample weights [2] on per-step losses [2, 3].
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MeanSquaredError().compute(SEQ_T, SEQ_P, Tensor.of(new float[] {1, 2}, 2), null));
        assertTrue(e.getMessage().contains("(2,)") && e.getMessage().contains("(2, 3)"), e.getMessage());
        // [batch, 1] weights on per-step losses broadcast over time, as in Keras (fixture case per_sample_b1).
        new MeanSquaredError().compute(SEQ_T, SEQ_P, Tensor.of(new float[] {1, 2}, 2, 1), null);
    }

    private static final Tensor Z = Tensor.of(new float[] {2f, -1f, 0.5f, 0f, 3f, -2f}, 2, 3);
    private static final Tensor YBIN = Tensor.of(new float[] {1, 0, 1, 0, 1, 0}, 2, 3);

    @Test
    void binaryCrossentropyAfterSoftmaxUsesSigmoidLogitsAsKeras() {
        // keras.losses.BinaryCrossentropy()(y, keras.activations.softmax(z)) inside tf.function
        Optional<Loss> onLogits = new BinaryCrossentropy().onLogits(YBIN.shape(), YBIN.shape());
        assertTrue(onLogits.isPresent());
        float[] g = new float[6];
        assertEquals(0.29715484380722046f, onLogits.get().compute(YBIN, Z, null, g), TOL);
        assertArrayEquals(new float[] {-0.019867151975631714f, 0.04482357203960419f, -0.06292344629764557f,
            0.0833333358168602f, -0.007904306054115295f, 0.019867151975631714f}, g, TOL);
        // from_logits=True on a sigmoid output: Keras still takes the pre-activation logits (same numbers)
        Loss already = new BinaryCrossentropy(true, 0, -1, "bce", Reduction.SUM_OVER_BATCH_SIZE);
        assertEquals(already, already.onLogits(YBIN.shape(), YBIN.shape()).orElseThrow());
    }

    @Test
    void squeezedPredictionsLoseTheLogitsAsInKeras() {
        // sigmoid(z) of shape [2, 2, 1] with y_true [2, 2]: Keras squeezes y_pred, the logits are lost and the
        // clipped probabilities are used: 8.461954116821289; with y_true [2, 2, 1] it uses the logits.
        float[] z = {30f, -1f, 0.5f, -30f};
        float[] p = new float[4];
        for (int i = 0; i < 4; i++) {
            p[i] = (float) (1 / (1 + Math.exp(-z[i])));
        }
        Loss bce = new BinaryCrossentropy();
        Tensor y2 = Tensor.of(new float[] {0, 1, 1, 1}, 2, 2);
        assertFalse(bce.onLogits(y2.shape(), new int[] {2, 2, 1}).isPresent());
        assertEquals(8.461954116821289f, bce.compute(y2, Tensor.of(p, 2, 2, 1), null, null), 1e-5f);
        Tensor y3 = Tensor.of(new float[] {0, 1, 1, 1}, 2, 2, 1);
        Loss onLogits = bce.onLogits(y3.shape(), new int[] {2, 2, 1}).orElseThrow();
        float[] g = new float[4];
        assertEquals(15.446834564208984f, onLogits.compute(y3, Tensor.of(z, 2, 2, 1), null, g), TOL);
        assertArrayEquals(new float[] {0.25f, -0.18276464939117432f, -0.09438517689704895f, -0.25f}, g, TOL);
        assertFalse(new MeanSquaredError().onLogits(y3.shape(), y3.shape()).isPresent());
        assertFalse(new SparseCategoricalCrossentropy(false, 0, "s", Reduction.SUM).onLogits(new int[] {2},
                new int[] {2, 3}).isPresent());
    }

    @Test
    void sparseLabelsMustBeClassIndices() {
        Loss scce = new SparseCategoricalCrossentropy();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> scce.compute(Tensor.of(new float[] {0, 1.5f, 2, 0}, 4), PROBS, null, null));
        assertTrue(e.getMessage().contains("y_true[1] = 1.5") && e.getMessage().contains("[0, 3)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> scce.checkTargets(Tensor.of(new float[] {0, 1, 3, 0}, 4, 1), new int[] {4, 3}));
        assertTrue(e.getMessage().contains("y_true[2, 0] = 3.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> scce.checkTargets(Tensor.of(new float[] {-1, 0, 0, 0}, 4), new int[] {4, 3}));
        assertThrows(IllegalArgumentException.class,
                () -> scce.checkTargets(Tensor.of(new float[] {Float.NaN, 0, 0, 0}, 4), new int[] {4, 3}));
        scce.checkTargets(Tensor.of(new float[] {0, 1, 2, 0}, 4, 1), Shape.of(Shape.UNKNOWN, 3));
    }

    @Test
    void shapeErrorsNameExpectedAndActual() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SparseCategoricalCrossentropy().checkTargets(Tensor.zeros(4, 3), new int[] {4, 3}));
        assertTrue(e.getMessage().contains("(4, 3)") && e.getMessage().contains("expected class indices of shape (4,)"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new MeanSquaredError().checkTargets(Tensor.zeros(4, 2), new int[] {4, 3}));
        assertTrue(e.getMessage().contains("expected y_true of shape (4, 3)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new MeanSquaredError().compute(Tensor.zeros(4), Tensor.zeros(4), null, null));
        assertTrue(e.getMessage().contains("at least 2 dimensions"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new MeanSquaredError().compute(Tensor.zeros(4, 1), Tensor.zeros(4, 1), null, new float[3]));
        // a trailing 1 may be missing on either side, as Keras's squeeze_or_expand_to_same_rank allows
        new MeanSquaredError().checkTargets(Tensor.zeros(4), new int[] {4, 1});
        new MeanSquaredError().checkTargets(Tensor.zeros(4, 5, 1), new int[] {4, 5});
        new BinaryCrossentropy().checkTargets(Tensor.zeros(4, 5), Shape.of(Shape.UNKNOWN, 5, 1));
        assertThrows(IllegalArgumentException.class, () -> new CategoricalCrossentropy(false, 0, 1, "c",
                Reduction.SUM));
    }

    @Test
    void outputLossesSumLikeKeras() {
        List<OutputLoss> losses = List.of(new OutputLoss("a", new MeanSquaredError(), 0.5),
                new OutputLoss("b", new MeanAbsoluteError(), null));
        assertEquals(0.5f * 3f + 2f, OutputLoss.total(losses, new float[] {3f, 2f}));
        assertEquals(0.5f, losses.get(0).gradScale());
        assertEquals(1f, losses.get(1).gradScale());
        // the upstream scale enters where TF's autodiff applies it: div_no_nan(scale, N) * weight
        float[] scaled = new float[6];
        float[] unit = new float[6];
        new MeanSquaredError().compute(YT, YP, SW, null, scaled, 0.5f);
        new MeanSquaredError().compute(YT, YP, SW, null, unit, 1f);
        for (int i = 0; i < 6; i++) {
            assertEquals(unit[i] * 0.5f, scaled[i], 1e-7f);
        }
    }

    private static Tensor seq(float div, boolean reversed) {
        float[] a = new float[12];
        for (int b = 0; b < 2; b++) {
            for (int k = 0; k < 6; k++) {
                int src = reversed ? (1 - b) * 6 + k : b * 6 + k;
                a[b * 6 + k] = src / div;
            }
        }
        return Tensor.of(a, 2, 3, 2);
    }
}
