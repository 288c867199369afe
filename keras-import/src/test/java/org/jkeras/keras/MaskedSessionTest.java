package org.jkeras.keras;

import java.util.Arrays;
import org.jkeras.fixtures.FixtureArray;
import org.jkeras.fixtures.FixtureCase;
import org.jkeras.fixtures.FixtureCases;
import org.jkeras.fixtures.Fixtures;
import org.jkeras.fixtures.Tolerance;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.session.Session;
import org.jkeras.runtime.session.SessionState;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * Masked models in sessions: a streaming session fed the padded batches step by step (or in uneven pieces) gives
 * Keras's whole-sequence outputs, masked steps included (a masked step at the start of a piece repeats the carried
 * output, as it would inside one call); a Keras-semantics session on a model without stateful layers is
 * {@code predict}. A stream moved to a new session between pieces (state exported, encoded, decoded, imported)
 * continues through masked steps exactly as the uninterrupted stream.
 */
class MaskedSessionTest {
    @ParameterizedTest(name = "{0}")
    @FixtureCases(set = Fixtures.GRAPH, family = {"masking_lstm_stack", "embedding_mask_zero"},
            format = {"keras_zip", "tf_keras2_h5"})
    void streamingSessionFedInPiecesMatchesKerasOnTheWholePaddedSequence(FixtureCase c) {
        Model model = KerasModels.load(c.modelPath(), c.weightsPath().orElse(null));
        FixtureArray x = c.inputs().get(0);
        FixtureArray expected = c.outputs().get(0);
        int steps = x.dim(1);
        int[] ones = new int[steps];
        Arrays.fill(ones, 1);
        for (int[] pieces : new int[][] {ones, {3, 1, steps - 4}, {steps}}) {
            Session session = Session.streaming(model);
            Tensor last = null;
            int t0 = 0;
            for (int len : pieces) {
                last = session.predict(timeSlice(x, t0, len));
                t0 += len;
            }
            Tolerance.assertClose(expected, last.data(), last.shape(), c.atol(), c.rtol(),
                    c.id() + " fed in pieces " + Arrays.toString(pieces));
        }
        Tensor y = Session.keras(model).predict(Tensor.wrap(x.data(), x.shape()));
        Tolerance.assertClose(expected, y.data(), y.shape(), c.atol(), c.rtol(), c.id() + " Session.keras");
    }

    @ParameterizedTest(name = "{0}")
    @FixtureCases(set = Fixtures.GRAPH, family = {"masking_lstm_stack", "embedding_mask_zero"},
            format = {"keras_zip", "tf_keras2_h5"})
    void maskedStreamMovedToANewSessionAfterEveryStepMatchesKeras(FixtureCase c) {
        Model model = KerasModels.load(c.modelPath(), c.weightsPath().orElse(null));
        FixtureArray x = c.inputs().get(0);
        FixtureArray expected = c.outputs().get(0);
        Session session = Session.streaming(model);
        Tensor last = null;
        for (int t = 0; t < x.dim(1); t++) {
            last = session.predict(timeSlice(x, t, 1));
            Session moved = Session.streaming(model);
            moved.importState(SessionState.decode(session.exportState().encode()));
            session = moved;
        }
        Tolerance.assertClose(expected, last.data(), last.shape(), c.atol(), c.rtol(), c.id() + " resumed every step");
    }

    /** x[:, t0:t0+len, ...] of a [batch, time, ...] array. */
    private static Tensor timeSlice(FixtureArray x, int t0, int len) {
        int[] shape = x.shape();
        int batch = shape[0];
        int steps = shape[1];
        int f = x.data().length / (batch * steps);
        float[] out = new float[batch * len * f];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(x.data(), (b * steps + t0) * f, out, b * len * f, len * f);
        }
        int[] s = shape.clone();
        s[1] = len;
        return Tensor.wrap(out, s);
    }
}
