package org.jkeras.runtime;

import static org.jkeras.runtime.BatchOneThreadsTest.lstm;
import static org.jkeras.runtime.BatchOneThreadsTest.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jkeras.runtime.graph.Graph;
import org.jkeras.runtime.graph.Port;
import org.jkeras.runtime.layers.ActivationLayer;
import org.jkeras.runtime.layers.Bidirectional;
import org.jkeras.runtime.layers.Dense;
import org.jkeras.runtime.layers.Dropout;
import org.jkeras.runtime.layers.Gru;
import org.jkeras.runtime.layers.Lstm;
import org.jkeras.runtime.layers.Masking;
import org.jkeras.runtime.layers.SimpleRnn;
import org.jkeras.runtime.layers.TimeDistributed;
import org.jkeras.runtime.session.Session;
import org.jkeras.runtime.tensor.Activation;
import org.jkeras.runtime.tensor.InputMismatchException;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * {@link Model#predictInto} and {@link Session#predictInto}: bit for bit the values of {@code predict} (which the
 * Keras fixtures pin, in keras-import), written over NaN so every element must be written, on reused buffers, after
 * a change of input shape, for graphs whose buffers are shared between layers, with several outputs, and on the
 * forms that fall back to copying (masks, go_backwards, Bidirectional); wrong output tensors are refused before
 * anything runs.
 */
class PredictIntoTest {
    /**
     * LSTM(16, seq) → Dropout → GRU(16, seq) → TimeDistributed(Dense(16)) → relu → SimpleRNN(16, seq) → LSTM(8) →
     * Dense(3): a chain whose equal-sized intermediates share arrays in the plan.
     */
    static Model chain(long seed) {
        Random r = new Random(seed);
        Graph.Builder g = Graph.builder();
        Port in = g.input("x", Shape.of(Shape.UNKNOWN, Shape.UNKNOWN, 5));
        Port h = g.apply(lstm(r, "lstm_1", 5, 16, true), in);
        h = g.apply(new Dropout("dropout", "Dropout", 0.3), h);
        h = g.apply(new Gru("gru", 16, tensor(r, 0.4f, 16, 48), tensor(r, 0.4f, 16, 48), tensor(r, 0.2f, 2, 48), true,
                Activation.TANH, Activation.SIGMOID, true), h);
        h = g.apply(new TimeDistributed("td", new Dense("td_dense", tensor(r, 0.4f, 16, 16), tensor(r, 0.1f, 16),
                Activation.LINEAR)), h);
        h = g.apply(new ActivationLayer("relu", Activation.RELU), h);
        h = g.apply(new SimpleRnn("rnn", 16, tensor(r, 0.4f, 16, 16), tensor(r, 0.4f, 16, 16), tensor(r, 0.1f, 16),
                Activation.TANH, true), h);
        h = g.apply(lstm(r, "lstm_2", 16, 8, false), h);
        Port y = g.apply(new Dense("dense", tensor(r, 0.4f, 8, 3), tensor(r, 0.1f, 3), Activation.LINEAR), h);
        return new Model(g.build(List.of(y)), Map.of());
    }

    @Test
    void chainGivesPredictsValuesOnReusedBuffersAndAfterAShapeChange() {
        Model model = chain(1);
        Random r = new Random(2);
        int[][] shapes = {{1, 7, 5}, {1, 7, 5}, {3, 4, 5}, {1, 7, 5}, {2, 1, 5}};
        for (int[] s : shapes) {
            Tensor x = tensor(r, 1f, s);
            Tensor expected = model.predict(x);
            Tensor y = nanTensor(expected.shape());
            model.predictInto(x, y);
            assertArrayEquals(expected.data(), y.data(), "input " + Arrays.toString(s));
            Arrays.fill(y.data(), Float.NaN);
            model.predictInto(List.of(x), List.of(y));
            assertArrayEquals(expected.data(), y.data(), "input " + Arrays.toString(s) + ", list form");
        }
    }

    @Test
    void severalOutputsAndAnOutputAlsoReadByALaterLayer() {
        Random r = new Random(3);
        Graph.Builder g = Graph.builder();
        Port in = g.input("x", Shape.of(Shape.UNKNOWN, Shape.UNKNOWN, 4));
        Port h = g.apply(lstm(r, "lstm", 4, 8, false), in);
        Port a = g.apply(new Dense("a", tensor(r, 0.4f, 8, 8), tensor(r, 0.1f, 8), Activation.TANH), h);
        Port b = g.apply(new Dense("b", tensor(r, 0.4f, 8, 2), null, Activation.LINEAR), a);
        Model model = new Model(g.build(List.of(b, a, h)), Map.of());
        Tensor x = tensor(r, 1f, 2, 6, 4);
        List<Tensor> expected = model.predict(List.of(x));
        List<Tensor> into = new ArrayList<>();
        for (Tensor e : expected) {
            into.add(nanTensor(e.shape()));
        }
        for (int call = 0; call < 2; call++) {
            model.predictInto(List.of(x), into);
            for (int i = 0; i < into.size(); i++) {
                assertArrayEquals(expected.get(i).data(), into.get(i).data(), "output " + i + ", call " + call);
            }
        }
        assertThrows(IllegalStateException.class, () -> model.predictInto(x, into.get(0)));
    }

    @Test
    void formsWithoutAnInPlacePathCopyTheSameValues() {
        Random r = new Random(4);
        // masks, go_backwards and Bidirectional compute fresh tensors and copy them into the buffers
        Graph.Builder g = Graph.builder();
        Port in = g.input("x", Shape.of(Shape.UNKNOWN, Shape.UNKNOWN, 4));
        Port m = g.apply(new Masking("masking", 0f, false), in);
        Port h = g.apply(lstm(r, "lstm", 4, 6, true), m);
        Lstm backward = new Lstm("backward", 6, tensor(r, 0.4f, 6, 24), tensor(r, 0.4f, 6, 24), tensor(r, 0.2f, 24),
                Activation.TANH, Activation.SIGMOID, false, false, true);
        Port y = g.apply(new Bidirectional("bi", lstm(r, "forward", 6, 6, false), backward,
                Bidirectional.Merge.CONCAT), h);
        Model model = new Model(g.build(List.of(y)), Map.of());
        float[] x = tensor(r, 1f, 2, 5, 4).data();
        Arrays.fill(x, 16, 20, 0f); // row 0, step 4 masked
        Tensor input = Tensor.wrap(x, 2, 5, 4);
        Tensor expected = model.predict(input);
        Tensor out = nanTensor(expected.shape());
        for (int call = 0; call < 2; call++) {
            model.predictInto(input, out);
            assertArrayEquals(expected.data(), out.data(), "call " + call);
        }
    }

    @Test
    void wrongOutputTensorsAreRefusedBeforeAnythingRunsAndLeaveTheSessionsStateAlone() {
        Model model = chain(5);
        Random r = new Random(6);
        Tensor x1 = tensor(r, 1f, 1, 3, 5);
        Tensor x2 = tensor(r, 1f, 1, 3, 5);
        Session reference = Session.streaming(model);
        reference.predict(x1);
        Tensor expected = reference.predict(x2);

        Session session = Session.streaming(model);
        Tensor y = nanTensor(1, 3);
        session.predictInto(x1, y);
        InputMismatchException wrong = assertThrows(InputMismatchException.class,
                () -> session.predictInto(x2, nanTensor(1, 4)));
        assertTrue(wrong.getMessage().contains("output 0 ('dense') needs a tensor of shape (1, 3)"), wrong.getMessage());
        assertTrue(wrong.getMessage().contains("got (1, 4)"), wrong.getMessage());
        InputMismatchException count = assertThrows(InputMismatchException.class,
                () -> session.predictInto(List.of(x2), List.of(y, y)));
        assertTrue(count.getMessage().contains("gives 1 output(s)"), count.getMessage());
        session.predictInto(x2, y); // the refused calls did not advance the state
        assertArrayEquals(expected.data(), y.data());
    }

    @Test
    void streamingStepsIntoOneBufferCarryTheStateAsPredictDoes() {
        Model model = chain(7);
        Random r = new Random(8);
        Session plain = Session.streaming(model);
        Session into = Session.streaming(model);
        Tensor y = nanTensor(2, 3);
        for (int t = 0; t < 9; t++) {
            Tensor step = tensor(r, 1f, 2, 1, 5);
            Tensor expected = plain.predict(step);
            Arrays.fill(y.data(), Float.NaN);
            into.predictInto(step, y);
            assertArrayEquals(expected.data(), y.data(), "step " + t);
        }
        assertEquals(plain.exportState(), into.exportState(), "the carried states");
    }

    @Test
    void threadsGiveTheSingleThreadValuesAtBatchOneAndWhenSlicingABatch() {
        Model model = BatchOneThreadsTest.stacked(9); // layers large enough to split each step at batch 1
        Random r = new Random(10);
        for (int batch : new int[] {1, 3}) {
            Tensor x = tensor(r, 1f, batch, 6, 8);
            Tensor expected = model.predict(x);
            Tensor y = nanTensor(expected.shape());
            for (int call = 0; call < 2; call++) {
                model.predictInto(List.of(x), List.of(y), 2);
                assertArrayEquals(expected.data(), y.data(), "batch " + batch + ", call " + call);
            }
            InputMismatchException e = assertThrows(InputMismatchException.class,
                    () -> model.predictInto(List.of(x), List.of(nanTensor(batch, 2)), 2));
            assertTrue(e.getMessage().contains("(" + batch + ", 2)"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> model.predictInto(List.of(tensor(r, 1f, 1, 2, 8)),
                List.of(nanTensor(1, 1)), 0));
        Session plain = Session.streaming(model);
        Session split = Session.streaming(model);
        Tensor y = nanTensor(1, 1);
        for (int t = 0; t < 4; t++) {
            Tensor piece = tensor(r, 1f, 1, 3, 8);
            Tensor expected = plain.predict(piece);
            split.predictInto(List.of(piece), List.of(y), 2);
            assertArrayEquals(expected.data(), y.data(), "session piece " + t + " on 2 threads");
        }
    }

    private static Tensor nanTensor(int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] a = new float[n];
        Arrays.fill(a, Float.NaN);
        return Tensor.wrap(a, shape);
    }
}
