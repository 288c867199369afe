package org.jkeras.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.jkeras.fixtures.FixtureArray;
import org.jkeras.fixtures.FixtureCase;
import org.jkeras.fixtures.FixtureCases;
import org.jkeras.fixtures.Fixtures;
import org.jkeras.fixtures.Tolerance;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * Every case of the attention fixture set (Attention, AdditiveAttention and MultiHeadAttention over LSTM/GRU
 * sequences: encoder-decoders, [query, value, key] calls, masks on the query and the value, causal masks; Keras 3 and
 * tf.keras 2 files): the imported model's predictions match Keras's element-wise within atol + rtol*|keras|.
 */
class AttentionFixtureConformanceTest {
    /** The fixture set's name (test-fixtures/fixtures/attention). */
    static final String ATTENTION = "attention";

    @ParameterizedTest(name = "{0}")
    @FixtureCases(set = ATTENTION)
    void importedAttentionModelMatchesKerasPredictions(FixtureCase c) {
        Model model = KerasModels.load(c.modelPath(), c.weightsPath().orElse(null));
        List<Tensor> inputs = new ArrayList<>();
        for (FixtureArray in : c.inputs()) {
            inputs.add(Tensor.wrap(in.data(), in.shape()));
        }
        assertEquals(c.inputs().size(), model.inputNames().size(), c.id() + ": number of inputs");
        List<Tensor> outputs = model.predict(inputs);
        assertEquals(c.outputs().size(), outputs.size(), c.id() + ": number of outputs");
        for (int i = 0; i < outputs.size(); i++) {
            Tensor y = outputs.get(i);
            double err = TestFiles.maxAbsDiff(c.outputs().get(i).data(), y.data());
            System.out.printf("%s output %d: max |java - keras| = %.3g%n", c.id(), i, err);
            Tolerance.assertMatches(c, i, y.data(), y.shape());
        }
    }
}
