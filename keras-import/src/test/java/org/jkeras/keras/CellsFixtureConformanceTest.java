package org.jkeras.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jkeras.fixtures.FixtureArray;
import org.jkeras.fixtures.FixtureCase;
import org.jkeras.fixtures.FixtureCases;
import org.jkeras.fixtures.Fixtures;
import org.jkeras.fixtures.StatefulCalls;
import org.jkeras.fixtures.Tolerance;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.session.Session;
import org.jkeras.runtime.session.SessionState;
import org.jkeras.runtime.training.Fit;
import org.jkeras.runtime.training.loss.MeanSquaredError;
import org.jkeras.runtime.training.optimizer.Sgd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * The {@code cells} fixture set against Keras: the generic RNN layer over LSTMCell, GRUCell, SimpleRNNCell and
 * StackedRNNCells (sequences, states, go_backwards, masks, inside Bidirectional, stateful), and stateful
 * Bidirectional layers whose two directions carry their states between calls, in Keras 3 and tf.keras 2 files.
 */
class CellsFixtureConformanceTest {
    private static final String SET = "cells";

    private static Model load(FixtureCase c) {
        return KerasModels.load(c.modelPath(), c.weightsPath().orElse(null));
    }

    @ParameterizedTest(name = "{0}")
    @FixtureCases(set = SET)
    void importedModelMatchesKerasPredictions(FixtureCase c) {
        Model model = load(c);
        List<Tensor> outputs = model.predict(TestFiles.inputs(c));
        assertEquals(c.outputs().size(), outputs.size(), c.id() + ": number of outputs");
        for (int i = 0; i < outputs.size(); i++) {
            Tensor y = outputs.get(i);
            double err = TestFiles.maxAbsDiff(c.outputs().get(i).data(), y.data());
            System.out.printf("%s output %d: max |java - keras| = %.3g%n", c.id(), i, err);
            Tolerance.assertMatches(c, i, y.data(), y.shape());
        }
    }

    /** Keras's stateful calls with a reset; the state exported after call 1 and imported elsewhere continues them. */
    @ParameterizedTest(name = "{0}")
    @FixtureCases(set = SET, family = {"rnn_cell_stateful", "stateful_bi_lstm", "stateful_bi_gru"})
    void kerasSessionReproducesStatefulCallsAndSurvivesExportImport(FixtureCase c) {
        StatefulCalls calls = c.statefulCalls().orElseThrow();
        int[] resets = calls.resets().orElse(new int[0]);
        FixtureArray x = calls.inputs();
        Session straight = Session.keras(load(c));
        Session moved = Session.keras(load(c));
        for (int k = 0; k < x.dim(0); k++) {
            if (Arrays.stream(resets).anyMatch(Integer.valueOf(k)::equals)) {
                straight.reset();
                moved.reset();
            }
            if (k == 1) {
                Session next = Session.keras(load(c)); // another process would load its own copy
                next.importState(SessionState.decode(moved.exportState().encode()));
                moved = next;
            }
            FixtureArray xk = x.slice(k);
            Tensor y = straight.predict(Tensor.wrap(xk.data(), xk.shape()));
            double err = TestFiles.maxAbsDiff(calls.outputs().slice(k).data(), y.data());
            System.out.printf("%s call %d: max |java - keras| = %.3g%n", c.id(), k, err);
            Tolerance.assertClose(calls.outputs().slice(k), y.data(), y.shape(), c.atol(), c.rtol(),
                    c.id() + " call " + k);
            Tensor ym = moved.predict(Tensor.wrap(xk.data(), xk.shape()));
            assertArrayEquals(y.data(), ym.data(), c.id() + " call " + k + ": the moved session computes the same");
        }
    }

    @ParameterizedTest(name = "{0}")
    @FixtureCases(set = SET, family = {"stateful_bi_lstm", "stateful_bi_gru"}, format = "keras_zip")
    void statefulBidirectionalCarriesBothDirectionsAndCannotStream(FixtureCase c) {
        Model model = load(c);
        Session s = Session.keras(model);
        FixtureArray x = c.statefulCalls().orElseThrow().inputs().slice(0);
        s.predict(Tensor.wrap(x.data(), x.shape()));
        SessionState state = s.exportState();
        SessionState.LayerState first = state.layers().get(0);
        assertTrue(first.name().startsWith("bi_"), first.name());
        int perDirection = first.name().contains("lstm") ? 2 : 1;
        assertEquals(2 * perDirection, first.stateCount(), "forward then backward states");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Session.streaming(model));
        assertTrue(e.getMessage().contains("layer '" + first.name() + "' (Bidirectional, stateful) reads the sequence"
                + " backwards"), e.getMessage());
        assertTrue(e.getMessage().endsWith("(which carries its states between calls, as Keras does)"), e.getMessage());
    }

    /** A forward RNN over StackedRNNCells fed step by step gives Keras's whole-sequence outputs. */
    @ParameterizedTest(name = "{0}")
    @FixtureCases(set = SET, family = "stacked_cells")
    void stackedCellsStreamStepByStepLikeTheWholeSequence(FixtureCase c) {
        FixtureArray x = c.inputs().get(0);
        FixtureArray expected = c.outputs().get(0);
        Session s = Session.streaming(load(c));
        List<Tensor> outs = new ArrayList<>();
        for (int t = 0; t < x.dim(1); t++) {
            outs.add(s.predict(TimeSlices.timeSlice(x, t, 1)));
        }
        Tensor y = TimeSlices.concatTime(outs);
        Tolerance.assertClose(expected, y.data(), y.shape(), c.atol(), c.rtol(), c.id() + " step by step");
    }

    @Test
    void trainingAnRnnOverCellsIsRefusedByName() {
        FixtureCase c = Fixtures.manifest(SET).byId("stacked_cells__functional__keras_zip");
        Model model = load(c);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Fit.of(model).run());
        assertTrue(e.getMessage().contains("layer 'rnn_stack' (RNN): training the generic RNN layer over cells"
                + " (StackedRNNCells) is not supported yet"), e.getMessage());
    }

    @Test
    void trainingAStatefulBidirectionalIsRefusedByName() {
        FixtureCase c = Fixtures.manifest(SET).byId("stateful_bi_lstm__sequential__keras_zip");
        Model model = load(c);
        Tensor x = Tensor.wrap(c.inputs().get(0).data(), c.inputs().get(0).shape());
        Tensor y = Tensor.wrap(c.outputs().get(0).data(), c.outputs().get(0).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Fit.of(model).data(x, y).optimizer(Sgd.builder().build()).loss(new MeanSquaredError()).epochs(1)
                        .run());
        assertTrue(e.getMessage().contains("layer 'bi_lstm' (Bidirectional): training a stateful Bidirectional layer"
                + " is not supported yet"), e.getMessage());
    }
}
