package org.jkeras.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * {@link Model#predict(List, int)} on real Keras models: with the fixtures' batch split over 2 and
 * 3 threads the outputs still match Keras's, and equal the single-thread outputs bit for bit.
 */
class ParallelPredictConformanceTest {
    @ParameterizedTest(name = "{0}")
    @FixtureCases(family = {"lstm_last_dense", "lstm_seq_timedistributed", "stacked3_lstm_spatialdropout_flatten",
                            "lstm_units33_f13", "lstm_act_swish_gelu", "multivariate_lstm50"},
                  format = {"keras_zip", "tf_keras2_h5"}, includeStateful = false)
    void batchSplitOverThreadsMatchesKerasAndTheSingleThreadResultExactly(FixtureCase c) {
        Model model = KerasModels.load(c.modelPath(), c.weightsPath().orElse(null));
        List<Tensor> inputs = new ArrayList<>();
        for (FixtureArray in : c.inputs()) {
            inputs.add(Tensor.wrap(in.data(), in.shape()));
        }
        assertTrue(inputs.get(0).dim(0) >= 3, c.id() + ": a batch of 3+ rows is needed to split it 3 ways");
        List<Tensor> single = model.predict(inputs);
        for (int threads : new int[] {2, 3}) {
            List<Tensor> parallel = model.predict(inputs, threads);
            assertEquals(c.outputs().size(), parallel.size(), c.id() + ": number of outputs");
            for (int i = 0; i < parallel.size(); i++) {
                Tensor y = parallel.get(i);
                Tolerance.assertMatches(c, i, y.data(), y.shape());
                assertArrayEquals(single.get(i).shape(), y.shape(), c.id() + " output " + i + " shape");
                assertArrayEquals(single.get(i).data(), y.data(),
                        c.id() + " output " + i + ": " + threads + " threads differ from one thread");
            }
        }
    }

    /** A bad Embedding index in a later slice is reported at its row in the caller's batch, as on one thread. */
    @ParameterizedTest(name = "{0}")
    @FixtureCases(family = "embedding_lstm", format = "keras_zip", api = "sequential")
    void badIndexInALaterSliceIsReportedAtItsRowInTheWholeBatch(FixtureCase c) {
        Model model = KerasModels.load(c.modelPath());
        FixtureArray x = c.inputs().get(0); // [4, T] indices
        float[] data = x.data().clone();
        data[3 * x.dim(1) + 2] = 1000f; // row 3, step 2: in the second of two slices
        Tensor bad = Tensor.wrap(data, x.shape());
        String single = org.junit.jupiter.api.Assertions.assertThrows(
                org.jkeras.runtime.tensor.InputMismatchException.class, () -> model.predict(List.of(bad))).getMessage();
        String parallel = org.junit.jupiter.api.Assertions.assertThrows(
                org.jkeras.runtime.tensor.InputMismatchException.class, () -> model.predict(List.of(bad), 2)).getMessage();
        assertTrue(single.contains("[3, 2]"), single);
        assertEquals(single, parallel);
    }
}
