package org.jkeras.keras.training;

import java.util.ArrayList;
import java.util.List;
import org.jkeras.fixtures.FixtureArray;
import org.jkeras.fixtures.Tolerance;
import org.jkeras.fixtures.training.TrainingCase;
import org.jkeras.fixtures.training.TrainingWeight;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.training.Fit;
import org.jkeras.runtime.training.callback.EarlyStopping;
import org.jkeras.runtime.training.Parameters;

/**
 * Helpers of the fit conformance tests: fixture arrays as tensors, the {@link Fit} a case describes, weight
 * comparisons by name.
 */
public final class FitCases {
    private FitCases() {
    }

    /**
     * The fit the case made in Keras, on {@code model}: the case's data, batch size, epochs, no shuffling,
     * sample weights, validation split and early stopping; optimizer, loss and metrics from the model file's
     * compile config.
     */
    public static Fit fit(TrainingCase c, Model model) {
        Fit fit = Fit.of(model).data(tensors(c.x()), tensors(c.y())).batchSize(c.batchSize()).epochs(c.epochs())
                .shuffle(false);
        c.sampleWeight().ifPresent(sw -> fit.sampleWeight(tensor(sw)));
        c.validationSplit().ifPresent(fit::validationSplit);
        c.earlyStopping().ifPresent(es -> fit.callbacks(new EarlyStopping(es.get("monitor").asString(), 0,
                es.get("patience").asInt(), EarlyStopping.Mode.AUTO, null, es.get("restore_best_weights").asBoolean(),
                0)));
        return fit;
    }

    /** A fixture array as a float tensor (int32 labels and token indices become exact floats). */
    public static Tensor tensor(FixtureArray a) {
        if (a.isInt()) {
            int[] v = a.asInts();
            float[] f = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                f[i] = v[i];
            }
            return Tensor.wrap(f, a.shape());
        }
        return Tensor.wrap(a.data(), a.shape());
    }

    public static List<Tensor> tensors(List<FixtureArray> as) {
        List<Tensor> out = new ArrayList<>(as.size());
        as.forEach(a -> out.add(tensor(a)));
        return out;
    }

    /** jkeras's name of a fixture weight: {@code layer/name}. */
    static String name(TrainingWeight w) {
        return w.layer() + "/" + w.name();
    }

    /**
     * Asserts every weight of the case (trainable and frozen) has Keras's value after step {@code step}.
     *
     * @param atol the case's absolute tolerance for this step
     */
    static double assertWeights(TrainingCase c, Parameters params, int step, double atol, String context) {
        List<TrainingWeight> ws = c.weights();
        List<FixtureArray> expected = c.weightsAfterStep(step);
        double rtol = c.tolerance("weights_rtol");
        double worst = 0;
        for (int i = 0; i < ws.size(); i++) {
            Tensor actual = params.value(name(ws.get(i)));
            worst = Math.max(worst, maxDiff(expected.get(i), actual.data()));
            Tolerance.assertClose(expected.get(i), actual.data(), actual.shape(), atol, rtol,
                    c.id() + " " + context + " weight " + name(ws.get(i)) + " after step " + step);
        }
        return worst;
    }

    /** max |expected - actual| over the elements. */
    static double maxDiff(FixtureArray expected, float[] actual) {
        float[] e = expected.data();
        double worst = 0;
        for (int i = 0; i < e.length; i++) {
            worst = Math.max(worst, Math.abs((double) e[i] - actual[i]));
        }
        return worst;
    }
}
