package org.jkeras.keras.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jkeras.fixtures.FixtureArray;
import org.jkeras.fixtures.Tolerance;
import org.jkeras.fixtures.training.TrainingCase;
import org.jkeras.fixtures.training.TrainingFixtures;
import org.jkeras.fixtures.training.TrainingWeight;
import org.jkeras.keras.KerasModels;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.training.FitResult;
import org.jkeras.runtime.training.Parameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same fine-tuning started from the tf.keras 2 {@code .h5} of each fit fixture's initial model: its
 * legacy {@code training_config} (Keras 2 optimizer and loss configs) must give the training Keras 3 did,
 * ending at Keras 3's final weights.
 */
class LegacyFitTest {
    /** The fit cases with a tf.keras 2 copy: the first of each optimizer and of each loss (RMSNormalization has none). */
    static List<TrainingCase> casesWithATfKeras2Copy() {
        return TrainingFixtures.manifest().ofKind("fit").stream()
                .filter(c -> c.tfKeras2ModelPath().isPresent()).toList();
    }

    @Test
    void everyOptimizerAndLossHasATfKeras2Case() {
        for (String field : List.of("optimizer_label", "loss_label")) {
            Set<String> all = labels(TrainingFixtures.manifest().ofKind("fit"), field);
            assertEquals(all, labels(casesWithATfKeras2Copy(), field), field + "s with a tf.keras 2 fit case");
        }
    }

    private static Set<String> labels(List<TrainingCase> cases, String field) {
        return cases.stream().map(c -> c.json().get(field).asString()).collect(Collectors.toCollection(TreeSet::new));
    }

    @ParameterizedTest
    @MethodSource("casesWithATfKeras2Copy")
    void fitFromTheTfKeras2FileEndsAtKerasWeights(TrainingCase c) {
        Path h5 = c.tfKeras2ModelPath().orElseThrow();
        Model model = KerasModels.load(h5);
        FitResult r = FitCases.fit(c, model).run();
        Parameters got = new Parameters(r.model(), java.util.Set.of());
        List<TrainingWeight> ws = c.weights();
        List<FixtureArray> fin = c.finalWeights();
        for (int i = 0; i < ws.size(); i++) {
            Tensor actual = got.value(FitCases.name(ws.get(i)));
            Tolerance.assertClose(fin.get(i), actual.data(), actual.shape(), c.tolerance("weights_atol_final"),
                    c.tolerance("weights_rtol"), c.id() + " (from tf.keras 2 .h5) final weight " + FitCases.name(ws.get(i)));
        }
    }
}
