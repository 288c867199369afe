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
 * Every case of the graph fixture set (several inputs and outputs, merge layers, masks, passed states, nested and
 * shared layers; Keras 3 and tf.keras 2, five formats): the imported model's predictions match Keras's
 * element-wise within the case's atol + rtol*|keras|.
 */
class GraphFixtureConformanceTest {
    @ParameterizedTest(name = "{0}")
    @FixtureCases(set = Fixtures.GRAPH)
    void importedGraphModelMatchesKerasPredictions(FixtureCase c) {
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
