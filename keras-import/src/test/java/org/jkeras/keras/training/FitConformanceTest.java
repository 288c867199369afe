package org.jkeras.keras.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jkeras.fixtures.FixtureArray;
import org.jkeras.fixtures.Tolerance;
import org.jkeras.fixtures.training.TrainingCase;
import org.jkeras.fixtures.training.TrainingCases;
import org.jkeras.fixtures.training.TrainingWeight;
import org.jkeras.keras.KerasModels;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.training.Callback;
import org.jkeras.runtime.training.FitProgress;
import org.jkeras.runtime.training.FitResult;
import org.jkeras.runtime.training.Parameters;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * Fine-tuning in jkeras against Keras 3's own training, step for step: every fit fixture's initial
 * {@code .keras} is loaded and fitted with the optimizer, loss and metrics its compile config names (the
 * file's defaults), batch size, epochs, validation split, sample weights and early stopping of the case;
 * after every step each weight must equal Keras's (1e-5 after the first step, 1e-4 after the last), each
 * step's loss Keras's, the History Keras's, and the trainable weights must come in Keras's order (which
 * is the order optimizer state is saved in).
 */
class FitConformanceTest {
    @ParameterizedTest
    @TrainingCases(kind = "fit")
    void fitMatchesKerasStepForStep(TrainingCase c) {
        Model model = KerasModels.load(c.modelPath());
        List<String> kerasTrainable = c.trainableWeights().stream().map(FitCases::name).toList();
        List<double[]> losses = new ArrayList<>();
        double[] worst = new double[2]; // max |java - keras| of any weight: after step 1, after the last step
        int steps = c.steps();
        Callback record = new Callback() {
            private int step;

            @Override
            public void onTrainBegin(FitProgress fit) {
                assertEquals(kerasTrainable, fit.trainer().parameters().trainable().stream()
                        .map(Parameters.Trainable::name).toList(), c.id() + ": trainable weights in Keras's order");
                FitCases.assertWeights(c, fit.trainer().parameters(), 0, 0, "initial");
            }

            @Override
            public void onBatchEnd(int epoch, int batch, Map<String, Double> logs, FitProgress fit) {
                step++;
                losses.add(new double[] {fit.trainer().lastLoss()});
                double atol = step == 1 ? c.tolerance("weights_atol_first_step")
                        : c.tolerance("weights_atol_final");
                if (step == 1 || step == steps) {
                    worst[step == 1 ? 0 : 1] = FitCases.assertWeights(c, fit.trainer().parameters(), step, atol, "fit");
                } else { // in between, the tolerance grows from the first step's to the last's
                    double t = c.tolerance("weights_atol_first_step") + (c.tolerance("weights_atol_final")
                            - c.tolerance("weights_atol_first_step")) * (step - 1) / Math.max(1, steps - 1);
                    FitCases.assertWeights(c, fit.trainer().parameters(), step, t, "fit");
                }
            }
        };
        FitResult r = FitCases.fit(c, model).callbacks(record).run();
        assertEquals(steps, losses.size(), c.id() + ": steps run");
        System.out.printf("%s: max |java - keras| weight after step 1 %.2e, after step %d %.2e%n", c.id(), worst[0],
                steps, worst[1]);
        float[] got = new float[steps];
        for (int i = 0; i < steps; i++) {
            got[i] = (float) losses.get(i)[0];
        }
        Tolerance.assertClose(c.losses(), got, new int[] {steps}, c.tolerance("loss_atol"), c.tolerance("loss_rtol"),
                c.id() + " loss per step");
        assertEquals(c.epochsRun(), r.history().epochs(), c.id() + ": epochs run");
        assertEquals(List.copyOf(c.history().keySet()), r.history().keys(), c.id() + ": History keys");
        for (Map.Entry<String, FixtureArray> e : c.history().entrySet()) {
            List<Double> h = r.history().get(e.getKey());
            float[] hv = new float[h.size()];
            for (int i = 0; i < hv.length; i++) {
                hv[i] = (float) (double) h.get(i);
            }
            Tolerance.assertClose(e.getValue(), hv, new int[] {hv.length}, 1e-5, 1e-4,
                    c.id() + " History '" + e.getKey() + "'");
        }
        Parameters finalWeights = new Parameters(r.model(), java.util.Set.of());
        List<TrainingWeight> ws = c.weights();
        List<FixtureArray> fin = c.finalWeights();
        for (int i = 0; i < ws.size(); i++) {
            Tensor actual = finalWeights.value(FitCases.name(ws.get(i)));
            Tolerance.assertClose(fin.get(i), actual.data(), actual.shape(), c.tolerance("weights_atol_final"),
                    c.tolerance("weights_rtol"), c.id() + " final weight " + FitCases.name(ws.get(i)));
        }
    }
}
