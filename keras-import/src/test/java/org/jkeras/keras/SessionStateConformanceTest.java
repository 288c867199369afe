package org.jkeras.keras;

import static org.jkeras.keras.TimeSlices.concatTime;
import static org.jkeras.keras.TimeSlices.rows;
import static org.jkeras.keras.TimeSlices.timeSlice;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.jkeras.fixtures.FixtureArray;
import org.jkeras.fixtures.FixtureCase;
import org.jkeras.fixtures.FixtureCases;
import org.jkeras.fixtures.Fixtures;
import org.jkeras.fixtures.StatefulCalls;
import org.jkeras.fixtures.Tolerance;
import org.jkeras.runtime.tensor.InputMismatchException;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.session.Session;
import org.jkeras.runtime.session.SessionState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * Session state moved between sessions against Keras: a stream fed step by step, exported mid-way
 * (through its binary form), imported into a fresh session on a freshly loaded model and continued
 * gives Keras's output for the whole sequence, and exactly what the uninterrupted session gives.
 */
class SessionStateConformanceTest {
    /** Every recurrent layer type: LSTM, GRU reset_after True and False, SimpleRNN, stacked mixes. */
    @ParameterizedTest(name = "{0}")
    @FixtureCases(family = {"lstm_last_dense", "lstm_seq_timedistributed", "gru_last_dense", "gru_seq_timedistributed",
            "gru_reset_before", "simple_rnn_seq_relu", "stacked_lstm_gru_simplernn", "stacked2_lstm_dropout"},
            format = {"keras_zip", "tf_keras2_h5"})
    void streamExportedMidwayAndResumedElsewhereMatchesKerasOnTheWholeSequence(FixtureCase c) {
        FixtureArray x = c.inputs().get(0);
        FixtureArray expected = c.outputs().get(0);
        int steps = x.dim(1);
        Session uninterrupted = Session.streaming(load(c));
        List<Tensor> straight = feedStepByStep(uninterrupted, x, 0, steps);
        Tensor whole = join(expected, straight);
        Tolerance.assertClose(expected, whole.data(), whole.shape(), c.atol(), c.rtol(), c.id() + " step by step");
        for (int cut : new int[] {1, steps / 2, steps - 1}) {
            Session first = Session.streaming(load(c));
            List<Tensor> outs = feedStepByStep(first, x, 0, cut);
            byte[] saved = first.exportState().encode();
            Session second = Session.streaming(load(c)); // another process would load its own copy
            second.importState(SessionState.decode(saved));
            outs.addAll(feedStepByStep(second, x, cut, steps - cut));
            Tensor y = join(expected, outs);
            Tolerance.assertClose(expected, y.data(), y.shape(), c.atol(), c.rtol(), c.id() + " resumed after step " + cut);
            assertArrayEquals(whole.data(), y.data(), c.id() + ": a resumed stream computes exactly what an uninterrupted one does");
        }
    }

    /** Rows split into one state per stream, restacked in another order, continue as those streams. */
    @ParameterizedTest(name = "{0}")
    @FixtureCases(family = {"stacked_lstm_gru_simplernn", "lstm_seq_timedistributed"}, format = "keras_zip")
    void perStreamRowsRestackedInAnotherOrderContinueAsTheirOwnStreams(FixtureCase c) {
        FixtureArray x = c.inputs().get(0);
        int batch = x.dim(0);
        int steps = x.dim(1);
        int cut = steps / 2;
        int[] order = new int[batch];
        for (int r = 0; r < batch; r++) {
            order[r] = batch - 1 - r;
        }
        Model model = load(c);
        Session all = Session.streaming(model);
        List<Tensor> outs = new ArrayList<>(List.of(all.predict(timeSlice(x, 0, cut))));
        SessionState mid = all.exportState();
        List<SessionState> perStream = new ArrayList<>();
        for (int r : order) {
            perStream.add(SessionState.decode(mid.row(r).encode()));
        }
        Session reordered = Session.streaming(model);
        reordered.importState(SessionState.stack(perStream));
        FixtureArray xr = rows(x, order);
        List<Tensor> rest = List.of(reordered.predict(timeSlice(xr, cut, steps - cut)));
        FixtureArray expected = rows(c.outputs().get(0), order);
        Tensor y = expected.rank() == 3 ? concatTime(List.of(rowsOf(outs.get(0), order), rest.get(0))) : rest.get(0);
        Tolerance.assertClose(expected, y.data(), y.shape(), c.atol(), c.rtol(), c.id() + " rows reversed at step " + cut);
    }

    /** Keras's own stateful calls: state exported after two calls continues in a new session as in Keras. */
    @ParameterizedTest(name = "{0}")
    @FixtureCases(family = "airline_lstm_stateful", format = {"keras_zip", "keras3_h5", "tf_keras2_h5"})
    void kerasSessionStateExportedBetweenCallsContinuesKerasCallSequence(FixtureCase c) {
        StatefulCalls calls = c.statefulCalls().orElseThrow();
        FixtureArray x = calls.inputs();
        Session session = Session.keras(load(c));
        for (int k = 0; k < x.dim(0); k++) {
            if (k == 2) {
                Session next = Session.keras(load(c));
                next.importState(SessionState.decode(session.exportState().encode()));
                session = next;
            }
            FixtureArray xk = x.slice(k);
            Tensor y = session.predict(Tensor.wrap(xk.data(), xk.shape()));
            Tolerance.assertClose(calls.outputs().slice(k), y.data(), y.shape(), c.atol(), c.rtol(), c.id() + " call " + k);
        }
        SessionState end = session.exportState();
        assertEquals(3, end.batch());
        assertEquals(List.of("lstm"), end.layers().stream().map(SessionState.LayerState::name).toList());
        assertEquals(2, end.layers().get(0).stateCount());
    }

    @Test
    void aFreshOrResetSessionExportsZeroStateOfBatchZeroAndImportingItResets() {
        FixtureCase c = Fixtures.byId("lstm_last_dense__sequential__keras_zip");
        Session s = Session.streaming(load(c));
        SessionState zero = s.exportState();
        assertEquals(0, zero.batch());
        FixtureArray x = c.inputs().get(0);
        s.predict(timeSlice(x, 0, 5));
        s.importState(zero);
        s.predict(timeSlice(x, 0, 2)); // another batch size is fine again: the state is zero
        s.reset();
        assertEquals(zero, s.exportState());
    }

    @Test
    void stateOfAnotherModelIsRefusedNamingTheLayer() {
        Session lstm = Session.streaming(load(Fixtures.byId("lstm_last_dense__sequential__keras_zip")));
        Session gru = Session.streaming(load(Fixtures.byId("gru_last_dense__sequential__keras_zip")));
        Session stacked = Session.streaming(load(Fixtures.byId("stacked_lstm_gru_simplernn__sequential__keras_zip")));
        SessionState lstmState = lstm.exportState();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> gru.importState(lstmState));
        assertEquals("the imported session state is for another model: carried layer 1 is '"
                + lstmState.layers().get(0).name() + "' there but '" + gru.exportState().layers().get(0).name()
                + "' here", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> stacked.importState(lstmState));
        assertEquals("the imported session state is for another model: layer 'lstm' has 2 state(s) of 7 units there"
                + " but 2 of 8 units here", e.getMessage());
        SessionState lstmOnly = new SessionState(true, 0, List.of(stacked.exportState().layers().get(0)));
        e = assertThrows(IllegalArgumentException.class, () -> stacked.importState(lstmOnly));
        assertEquals("the imported session state is for another model: carried layer 2 is missing there but 'gru' here",
                e.getMessage());
        // same name, other size: a renamed copy would not pass either
        SessionState.LayerState l = lstmState.layers().get(0);
        SessionState resized = new SessionState(true, 0, List.of(new SessionState.LayerState(l.name(), l.units() + 1,
                new float[2][0])));
        e = assertThrows(IllegalArgumentException.class, () -> lstm.importState(resized));
        assertEquals("the imported session state is for another model: layer '" + l.name() + "' has 2 state(s) of "
                + (l.units() + 1) + " units there but 2 of " + l.units() + " units here", e.getMessage());
    }

    @Test
    void stateOfTheOtherKindOfSessionIsRefused() {
        FixtureCase c = Fixtures.byId("airline_lstm_stateful__sequential__keras_zip");
        SessionState keras = Session.keras(load(c)).exportState();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Session.streaming(load(c)).importState(keras));
        assertEquals("the imported session state comes from a Keras-semantics session, this one is a streaming session"
                + " (they carry different layers)", e.getMessage());
    }

    @Test
    void theNextCallMustHaveTheImportedBatchSize() {
        FixtureCase c = Fixtures.byId("lstm_last_dense__sequential__keras_zip");
        FixtureArray x = c.inputs().get(0); // batch 4
        Session a = Session.streaming(load(c));
        a.predict(timeSlice(x, 0, 3));
        Session b = Session.streaming(load(c));
        b.importState(a.exportState().row(1));
        Tensor twoRows = timeSlice(rows(x, new int[] {0, 1}), 3, 1);
        InputMismatchException e = assertThrows(InputMismatchException.class, () -> b.predict(twoRows));
        assertEquals("the session holds state for a batch of 1 sequences but this call has 2;"
                + " call reset() before changing the batch size", e.getMessage());
    }

    private static Model load(FixtureCase c) {
        return KerasModels.load(c.modelPath(), c.weightsPath().orElse(null));
    }

    private static List<Tensor> feedStepByStep(Session s, FixtureArray x, int from, int count) {
        List<Tensor> outs = new ArrayList<>();
        for (int t = from; t < from + count; t++) {
            outs.add(s.predict(timeSlice(x, t, 1)));
        }
        return outs;
    }

    /** The whole-sequence output from per-step outputs: all of them along time, or the last. */
    private static Tensor join(FixtureArray expected, List<Tensor> outs) {
        return expected.rank() == 3 ? concatTime(outs) : outs.get(outs.size() - 1);
    }

    private static Tensor rowsOf(Tensor t, int[] order) {
        FixtureArray a = FixtureArray.ofFloats("out", t.data(), t.shape());
        FixtureArray r = rows(a, order);
        return Tensor.wrap(r.data(), r.shape());
    }
}
