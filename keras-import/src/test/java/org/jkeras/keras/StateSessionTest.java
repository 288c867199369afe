package org.jkeras.keras;

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
import org.junit.jupiter.params.ParameterizedTest;

/**
 * Sessions on models that pass states around: a Keras-semantics session reproduces Keras's stateful calls of a
 * model returning its states (return_state outputs carried across calls, reset where Keras reset) and of
 * stateful layers given initial states (Keras 3 starts each call from them, tf.keras 2 from its non-zero carried
 * states), and gives {@code predict}'s answers on encoder-decoders (initial_state from other layers or model
 * inputs); a streaming session refuses layers whose initial state comes from other tensors at every call.
 */
class StateSessionTest {
    @ParameterizedTest(name = "{0}")
    @FixtureCases(set = Fixtures.GRAPH, family = {"stateful_return_state", "stateful_initial_state"})
    void kerasSessionReproducesStatefulCallsOfModelsPassingStates(FixtureCase c) {
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

    @ParameterizedTest(name = "{0}")
    @FixtureCases(set = Fixtures.GRAPH, family = {"encoder_decoder_lstm", "encoder_decoder_gru_simple_rnn",
            "initial_state_from_inputs", "bidirectional_states"}, format = {"keras_zip", "tf_keras2_h5"})
    void kerasSessionOnAnEncoderDecoderGivesKerasOutputsAndStreamingIsRefused(FixtureCase c) {
        Model model = KerasModels.load(c.modelPath(), c.weightsPath().orElse(null));
        List<Tensor> inputs = new ArrayList<>();
        for (FixtureArray in : c.inputs()) {
            inputs.add(Tensor.wrap(in.data(), in.shape()));
        }
        Session session = Session.keras(model);
        for (int call = 0; call < 2; call++) { // no stateful layer: every call starts afresh, as in Keras
            List<Tensor> out = session.predict(inputs);
            for (int i = 0; i < out.size(); i++) {
                Tolerance.assertMatches(c, i, out.get(i).data(), out.get(i).shape());
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Session.streaming(model));
        assertTrue(e.getMessage().contains("initial_state") || e.getMessage().contains("backwards"), e.getMessage());
    }
}
