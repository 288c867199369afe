package org.jkeras.keras;

import static org.jkeras.keras.TimeSlices.concatTime;
import static org.jkeras.keras.TimeSlices.timeSlice;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jkeras.fixtures.FixtureArray;
import org.jkeras.fixtures.FixtureCase;
import org.jkeras.fixtures.FixtureCases;
import org.jkeras.fixtures.StatefulCalls;
import org.jkeras.fixtures.Tolerance;
import org.jkeras.runtime.tensor.InputMismatchException;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.session.Session;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * Sessions against Keras: a Keras-semantics session reproduces Keras's successive
 * {@code predict} calls on stateful models (with {@code reset_states} where Keras reset), and a
 * streaming session fed a sequence in pieces reproduces Keras's output for the whole sequence.
 */
class SessionConformanceTest {
    @ParameterizedTest(name = "{0}")
    @FixtureCases(family = {"airline_lstm_stateful", "airline_lstm_stateful_reset"})
    void kerasSessionReproducesStatefulPredictCallsAndResets(FixtureCase c) {
        StatefulCalls calls = c.statefulCalls().orElseThrow();
        int[] resets = calls.resets().orElse(new int[0]);
        Session session = Session.keras(KerasModels.load(c.modelPath(), c.weightsPath().orElse(null)));
        FixtureArray x = calls.inputs();
        for (int k = 0; k < x.dim(0); k++) {
            if (Arrays.stream(resets).anyMatch(Integer.valueOf(k)::equals)) {
                session.reset();
            }
            FixtureArray xk = x.slice(k);
            Tensor y = session.predict(Tensor.wrap(xk.data(), xk.shape()));
            Tolerance.assertClose(calls.outputs().slice(k), y.data(), y.shape(), c.atol(), c.rtol(),
                    c.id() + " call " + k);
        }
    }

    /** Families whose recurrent layers are the only thing that spans time, so pieces compose. */
    @ParameterizedTest(name = "{0}")
    @FixtureCases(family = {"lstm_last_dense", "lstm_seq_timedistributed", "stacked2_lstm_dropout",
            "lstm_relu_hard_sigmoid", "multivariate_lstm50", "airline_lstm", "gru_reset_before",
            "gru_seq_timedistributed", "gru_hard_sigmoid_relu", "simple_rnn_seq_relu", "stacked_lstm_gru_simplernn"},
            format = {"keras_zip", "tf_keras2_h5"})
    void streamingSessionFedInPiecesMatchesKerasOnTheWholeSequence(FixtureCase c) {
        Model model = KerasModels.load(c.modelPath(), c.weightsPath().orElse(null));
        FixtureArray x = c.inputs().get(0);
        FixtureArray expected = c.outputs().get(0);
        int steps = x.dim(1);
        // one step per call, then uneven pieces: both must give the whole-sequence answer
        for (int[] pieces : new int[][] {ones(steps), {3, 1, steps - 4}}) {
            Session session = Session.streaming(model);
            List<Tensor> outs = new ArrayList<>();
            int t0 = 0;
            for (int len : pieces) {
                outs.add(session.predict(timeSlice(x, t0, len)));
                t0 += len;
            }
            Tensor y = expected.rank() == 3 ? concatTime(outs) : outs.get(outs.size() - 1);
            Tolerance.assertClose(expected, y.data(), y.shape(), c.atol(), c.rtol(),
                    c.id() + " fed in pieces " + Arrays.toString(pieces));
        }
    }

    /**
     * The zero-allocation streaming form: one step per {@code predictInto} call, each written over the same
     * NaN-filled output buffer, matches Keras on the whole sequence.
     */
    @ParameterizedTest(name = "{0}")
    @FixtureCases(family = {"lstm_last_dense", "lstm_seq_timedistributed", "stacked2_lstm_dropout",
            "multivariate_lstm50", "airline_lstm", "gru_reset_before", "gru_seq_timedistributed",
            "simple_rnn_seq_relu", "stacked_lstm_gru_simplernn"}, format = {"keras_zip", "tf_keras2_h5"})
    void streamingStepsIntoOneReusedBufferMatchKerasOnTheWholeSequence(FixtureCase c) {
        Model model = KerasModels.load(c.modelPath(), c.weightsPath().orElse(null));
        FixtureArray x = c.inputs().get(0);
        FixtureArray expected = c.outputs().get(0);
        int steps = x.dim(1);
        Session session = Session.streaming(model);
        int[] stepShape = expected.shape().clone();
        if (expected.rank() == 3) {
            stepShape[1] = 1;
        }
        Tensor step = Tensor.wrap(new float[Math.toIntExact(java.util.Arrays.stream(stepShape).asLongStream()
                .reduce(1, (a, b) -> a * b))], stepShape);
        List<Tensor> outs = new ArrayList<>();
        for (int t = 0; t < steps; t++) {
            java.util.Arrays.fill(step.data(), Float.NaN);
            session.predictInto(timeSlice(x, t, 1), step);
            outs.add(Tensor.of(step.data(), stepShape));
        }
        Tensor y = expected.rank() == 3 ? concatTime(outs) : outs.get(outs.size() - 1);
        Tolerance.assertClose(expected, y.data(), y.shape(), c.atol(), c.rtol(), c.id() + " fed one step per call");
    }

    @ParameterizedTest(name = "{0}")
    @FixtureCases(family = "stacked3_lstm_spatialdropout_flatten", format = "keras_zip", api = "sequential")
    void streamingIsRefusedWhenALayerNeedsAFixedNumberOfSteps(FixtureCase c) {
        Model model = KerasModels.load(c.modelPath());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Session.streaming(model));
        assertTrue(e.getMessage().startsWith("this model cannot be fed in pieces of time: layer '"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @FixtureCases(family = "airline_lstm_stateful", format = "keras_zip", api = "sequential")
    void sessionRefusesAnotherBatchSizeUntilReset(FixtureCase c) {
        Session session = Session.keras(KerasModels.load(c.modelPath()));
        FixtureArray x = c.inputs().get(0); // [3, 12, 1]
        session.predict(Tensor.wrap(x.data(), x.shape()));
        Tensor two = Tensor.wrap(Arrays.copyOf(x.data(), 2 * 12), 2, 12, 1);
        InputMismatchException e = assertThrows(InputMismatchException.class, () -> session.predict(two));
        assertEquals("the session holds state for a batch of 3 sequences but this call has 2;"
                + " call reset() before changing the batch size", e.getMessage());
        session.reset();
        Tensor y = session.predict(Tensor.wrap(x.data(), x.shape()));
        Tolerance.assertMatches(c, 0, y.data(), y.shape()); // after reset: Keras's first call again
    }

    private static int[] ones(int n) {
        int[] a = new int[n];
        Arrays.fill(a, 1);
        return a;
    }
}
