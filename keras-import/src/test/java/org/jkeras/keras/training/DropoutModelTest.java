package org.jkeras.keras.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.List;
import org.jkeras.fixtures.Tolerance;
import org.jkeras.fixtures.training.TrainingCase;
import org.jkeras.fixtures.training.TrainingCases;
import org.jkeras.keras.KerasModels;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.layers.Lstm;
import org.jkeras.runtime.training.Fit;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * A Keras model with {@code dropout} and {@code recurrent_dropout} in its LSTM: it loads with its rates, predicts
 * Keras's inference outputs (no dropout), and trains with dropout active: seeded runs repeat bit for bit and
 * different seeds draw different masks. (Keras's masks cannot be matched; their statistics are tested in the
 * runtime.)
 */
class DropoutModelTest {
    @ParameterizedTest
    @TrainingCases(kind = "load_only")
    void modelWithRecurrentDropoutPredictsLikeKerasAndTrainsWithMasks(TrainingCase c) {
        Model model = KerasModels.load(c.modelPath());
        Lstm lstm = (Lstm) model.layers().stream().filter(l -> l instanceof Lstm).findFirst().orElseThrow();
        assertEquals(0.2, lstm.dropout(), 1e-7);
        assertEquals(0.2, lstm.recurrentDropout(), 1e-7);
        List<Tensor> x = FitCases.tensors(c.x());
        Tensor y = model.predict(x).get(0);
        Tolerance.assertClose(c.predictions().get(0), y.data(), y.shape(), 1e-5, 1e-5, c.id() + " predictions");

        Tensor target = Tensor.zeros(y.shape());
        float[] a = fit(model, x, target, 1);
        float[] again = fit(model, x, target, 1);
        float[] other = fit(model, x, target, 2);
        assertArrayEquals(a, again, "the same seed draws the same masks");
        assertFalse(Arrays.equals(a, other), "another seed draws other masks, so training differs");
    }

    private static float[] fit(Model model, List<Tensor> x, Tensor y, long seed) {
        Model tuned = Fit.of(model).data(x, List.of(y)).epochs(1).batchSize(4).seed(seed).shuffle(false).run().model();
        return tuned.predict(x).get(0).data();
    }
}
