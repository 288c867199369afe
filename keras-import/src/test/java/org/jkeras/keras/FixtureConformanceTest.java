package org.jkeras.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.List;
import org.jkeras.fixtures.FixtureArray;
import org.jkeras.fixtures.FixtureCase;
import org.jkeras.fixtures.FixtureCases;
import org.jkeras.fixtures.Tolerance;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * Every case of the fixture generator (real Keras 3 and tf.keras 2, five formats, plus the
 * external Keras 2 files): the imported model's predictions match Keras's element-wise within
 * the case's atol + rtol*|keras|, through {@code predict} and through {@code predictInto} (which must give the
 * same values bit for bit, also on its reused buffers). Stateful cases are checked on their first call from fresh
 * state, which is what a single predict computes.
 */
class FixtureConformanceTest {
    @ParameterizedTest(name = "{0}")
    @FixtureCases
    void importedModelMatchesKerasPredictions(FixtureCase c) {
        Model model = KerasModels.load(c.modelPath(), c.weightsPath().orElse(null));
        assertEquals(expectedFormat(c.format()), model.metadata().get("format"), c.id());
        assertNotNull(model.metadata().get("source"));
        List<Tensor> inputs = new ArrayList<>();
        for (FixtureArray in : c.inputs()) {
            inputs.add(Tensor.wrap(in.data(), in.shape()));
        }
        List<Tensor> outputs = model.predict(inputs);
        assertEquals(c.outputs().size(), outputs.size(), c.id() + ": number of outputs");
        for (int i = 0; i < outputs.size(); i++) {
            Tensor y = outputs.get(i);
            double err = TestFiles.maxAbsDiff(c.outputs().get(i).data(), y.data());
            System.out.printf("%s output %d: max |java - keras| = %.3g%n", c.id(), i, err);
            Tolerance.assertMatches(c, i, y.data(), y.shape());
        }
        // predictInto: the same values, written over NaN-filled buffers (so every element must be written), twice:
        // the second call runs on the buffers the first one planned
        List<Tensor> into = new ArrayList<>();
        for (Tensor y : outputs) {
            into.add(Tensor.wrap(new float[y.size()], y.shape()));
        }
        for (int call = 1; call <= 2; call++) {
            for (Tensor t : into) {
                java.util.Arrays.fill(t.data(), Float.NaN);
            }
            model.predictInto(inputs, into);
            for (int i = 0; i < into.size(); i++) {
                Tolerance.assertMatches(c, i, into.get(i).data(), into.get(i).shape());
                assertArrayEquals(outputs.get(i).data(), into.get(i).data(),
                        c.id() + " output " + i + ": predictInto call " + call + " differs from predict");
            }
        }
    }

    private static String expectedFormat(String caseFormat) {
        return switch (caseFormat) {
            case "keras_zip" -> "keras_zip";
            case "keras3_json_weights", "tf_keras2_json_h5weights" -> "json";
            default -> "legacy_h5";
        };
    }
}
