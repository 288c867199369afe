package org.jkeras.keras.training;

import java.util.List;
import org.jkeras.fixtures.FixtureArray;
import org.jkeras.fixtures.Tolerance;
import org.jkeras.fixtures.training.TrainingCase;
import org.jkeras.fixtures.training.TrainingCases;
import org.jkeras.fixtures.training.TrainingWeight;
import org.jkeras.keras.KerasModels;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.training.Trainer;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * The gradients of the first training step (forward in training mode, loss as Keras computes it incl. its
 * logits shortcut and the regularization, backpropagation through time) against Keras's own from
 * {@code tf.GradientTape}, for every fit fixture.
 */
class FirstStepGradientsTest {
    @ParameterizedTest
    @TrainingCases(kind = "fit")
    void firstStepGradientsMatchKerasGradientTape(TrainingCase c) {
        Model model = KerasModels.load(c.modelPath());
        var d = model.trainingDefaults();
        Trainer t = new Trainer(model, d.optimizer(), d.losses(), d.lossWeights(), d.frozen(), d.weightRegularizers(),
                d.activityRegularizers(), null, 1);
        int[] rows = new int[Math.min(c.batchSize(), c.x().get(0).dim(0))];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        List<Tensor> x = take(FitCases.tensors(c.x()), rows.length);
        List<Tensor> y = take(FitCases.tensors(c.y()), rows.length);
        Tensor sw = c.sampleWeight().map(a -> take(List.of(FitCases.tensor(a)), rows.length).get(0)).orElse(null);
        float loss = t.computeGradients(x, y, sw);
        Tolerance.assertClose(c.losses().slice(0), new float[] {loss}, new int[0], c.tolerance("loss_atol"),
                c.tolerance("loss_rtol"), c.id() + " first step loss");
        List<TrainingWeight> ws = c.trainableWeights();
        List<FixtureArray> grads = c.firstStepGrads();
        for (int i = 0; i < ws.size(); i++) {
            Tensor g = t.gradient(FitCases.name(ws.get(i)));
            Tolerance.assertClose(grads.get(i), g.data(), g.shape(), c.tolerance("grad_atol"), c.tolerance("grad_rtol"),
                    c.id() + " gradient of " + FitCases.name(ws.get(i)));
        }
    }

    /** The first {@code n} samples of each tensor. */
    private static List<Tensor> take(List<Tensor> ts, int n) {
        return ts.stream().map(t -> {
            int[] shape = t.shape();
            int width = t.size() / shape[0];
            shape[0] = n;
            return Tensor.of(java.util.Arrays.copyOf(t.data(), n * width), shape);
        }).toList();
    }
}
