package org.jkeras.keras.training;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.jkeras.fixtures.FixtureArray;
import org.jkeras.fixtures.FixtureCase;
import org.jkeras.fixtures.FixtureCases;
import org.jkeras.keras.KerasModels;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.training.Fit;
import org.jkeras.runtime.training.loss.Loss;
import org.jkeras.runtime.training.loss.MeanSquaredError;
import org.jkeras.runtime.training.optimizer.Sgd;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * The attention layers have no backward pass yet: {@code Fit} refuses a model holding one before any step, naming
 * the layer and its class, instead of training around it.
 */
class AttentionTrainingRefusalTest {
    @ParameterizedTest(name = "{0}")
    @FixtureCases(set = "attention", family = {"attention_luong", "attention_scale_concat_causal",
            "additive_bahdanau", "mha_self", "mha_cross"}, format = {"keras_zip", "tf_keras2_h5"})
    void fitRefusesAttentionLayersByName(FixtureCase c) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fit(c));
        assertTrue(e.getMessage().matches("layer '[a-z_]+' \\((Attention|AdditiveAttention|MultiHeadAttention)\\)"
                + " cannot be trained yet: it has no backward pass"), c.id() + ": " + e.getMessage());
    }

    private static void fit(FixtureCase c) {
        Model model = KerasModels.load(c.modelPath(), c.weightsPath().orElse(null));
        List<Tensor> x = new ArrayList<>();
        for (FixtureArray in : c.inputs()) {
            x.add(Tensor.wrap(in.data(), in.shape()));
        }
        List<Tensor> y = new ArrayList<>();
        Loss[] losses = new Loss[c.outputs().size()];
        for (int i = 0; i < losses.length; i++) {
            FixtureArray out = c.outputs().get(i);
            y.add(Tensor.wrap(out.data(), out.shape()));
            losses[i] = new MeanSquaredError();
        }
        Fit.of(model).data(x, y).optimizer(Sgd.builder().build()).loss(losses).epochs(1)
                .batchSize(c.inputs().get(0).dim(0)).run();
    }
}
