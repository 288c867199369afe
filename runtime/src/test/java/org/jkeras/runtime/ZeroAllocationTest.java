package org.jkeras.runtime;

import static org.jkeras.runtime.BatchOneThreadsTest.lstm;
import static org.jkeras.runtime.BatchOneThreadsTest.tensor;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jkeras.runtime.graph.Graph;
import org.jkeras.runtime.graph.Port;
import org.jkeras.runtime.kernels.Kernels;
import org.jkeras.runtime.layers.Dense;
import org.jkeras.runtime.session.Session;
import org.jkeras.runtime.tensor.Activation;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The steady state of {@code predictInto} and of a streaming step allocates nothing on the calling thread, counted
 * by the JVM's per-thread allocation counter. The Vector API kernels allocate their vectors only until the JIT
 * compiles them, so each case calls until a window of 100 calls allocated 0 bytes, at most 60,000 calls: with the
 * allocating {@code predict} no window ever does (S1 allocates about 1.4 KB per call). Runs on the Vector API
 * kernels only (the scalar pass of the build excludes it: the scalar references allocate their scratch per call).
 */
class ZeroAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @BeforeAll
    static void onTheVectorKernels() {
        assertTrue(Kernels.vectorized(), "this test is for the Vector API kernels: run it with"
                + " --add-modules jdk.incubator.vector (the scalar pass excludes it)");
    }

    @Test
    void oneStepOfAnLstmIntoACallersBuffer() {
        Random r = new Random(1);
        Graph.Builder g = Graph.builder();
        Port in = g.input("x", Shape.of(Shape.UNKNOWN, Shape.UNKNOWN, 32));
        Model model = new Model(g.build(List.of(g.apply(lstm(r, "lstm", 32, 128, false), in))), Map.of());
        Tensor x = tensor(r, 1f, 1, 1, 32);
        Tensor y = Tensor.zeros(1, 128);
        assertSteadyStateAllocatesNothing("S1 shape, predictInto", () -> model.predictInto(x, y));
    }

    @Test
    void aStackedForecasterOverASequenceWithItsListForm() {
        Model model = PredictIntoTest.chain(2);
        List<Tensor> x = List.of(tensor(new Random(3), 1f, 1, 20, 5));
        List<Tensor> y = List.of(Tensor.zeros(1, 3));
        assertSteadyStateAllocatesNothing("LSTM → GRU → TimeDistributed(Dense) → SimpleRNN → LSTM → Dense",
                () -> model.predictInto(x, y));
    }

    @Test
    void aStreamingSessionStepOfAStackedLstm() {
        Session session = Session.streaming(BatchOneThreadsTest.stacked(4));
        Tensor step = tensor(new Random(5), 1f, 1, 1, 8);
        Tensor y = Tensor.zeros(1, 1);
        assertSteadyStateAllocatesNothing("streaming step", () -> session.predictInto(step, y));
    }

    @Test
    void aBatchOfOneWithItsStepsSplitOverTwoThreads() {
        Model model = BatchOneThreadsTest.stacked(6);
        List<Tensor> x = List.of(tensor(new Random(7), 1f, 1, 4, 8));
        List<Tensor> y = List.of(Tensor.zeros(1, 1));
        assertSteadyStateAllocatesNothing("LSTM(128) → LSTM(128) → Dense on 2 threads",
                () -> model.predictInto(x, y, 2));
    }

    @Test
    void twoStackedLstmsPipelinedOverTwoThreads() {
        Model model = LstmPipelineTest.s2(9, false);
        List<Tensor> x = List.of(tensor(new Random(10), 1f, 1, 50, 8));
        List<Tensor> y = List.of(Tensor.zeros(1, 1));
        assertSteadyStateAllocatesNothing("S2 shape on 2 threads", () -> model.predictInto(x, y, 2));
    }

    @Test
    void stackedGruAndSimpleRnnPairsPipelinedOverTwoThreads() {
        for (String kinds : new String[] {"gru>gru_before", "rnn>lstm"}) {
            String[] k = kinds.split(">");
            Model model = RecurrentPipelineTest.pair(k[0], k[1], 14, false);
            List<Tensor> x = List.of(tensor(new Random(15), 1f, 1, 50, 8));
            List<Tensor> y = List.of(Tensor.zeros(1, 1));
            assertSteadyStateAllocatesNothing(kinds + " on 2 threads", () -> model.predictInto(x, y, 2));
        }
    }

    @Test
    void bfloat16KernelsOneStepAndTwoThreads() {
        Random r = new Random(11);
        Graph.Builder g = Graph.builder();
        Port in = g.input("x", Shape.of(Shape.UNKNOWN, Shape.UNKNOWN, 32));
        Model model = new Model(g.build(List.of(g.apply(lstm(r, "lstm", 32, 128, false), in))), Map.of())
                .withBfloat16Kernels();
        Tensor x = tensor(r, 1f, 1, 1, 32);
        Tensor y = Tensor.zeros(1, 128);
        assertSteadyStateAllocatesNothing("S1 shape, bfloat16 kernels", () -> model.predictInto(x, y));
        Model stacked = BatchOneThreadsTest.stacked(12).withBfloat16Kernels();
        List<Tensor> xs = List.of(tensor(new Random(13), 1f, 1, 4, 8));
        List<Tensor> ys = List.of(Tensor.zeros(1, 1));
        assertSteadyStateAllocatesNothing("LSTM(128) → LSTM(128) → Dense, bfloat16 kernels, 2 threads",
                () -> stacked.predictInto(xs, ys, 2));
    }

    @Test
    void theAllocatingPredictNeverReachesZeroSoTheMeasureCanFail() {
        Random r = new Random(8);
        Graph.Builder g = Graph.builder();
        Port in = g.input("x", Shape.of(Shape.UNKNOWN, 4));
        Model model = new Model(g.build(List.of(g.apply(new Dense("d", tensor(r, 1f, 4, 4), null, Activation.LINEAR),
                in))), Map.of());
        Tensor x = tensor(r, 1f, 1, 4);
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> assertSteadyStateAllocatesNothing("predict", () -> model.predict(x), 20));
        assertTrue(e.getMessage().contains("bytes"), e.getMessage());
    }

    private static void assertSteadyStateAllocatesNothing(String what, Runnable call) {
        assertSteadyStateAllocatesNothing(what, call, 600);
    }

    /** Calls in rounds of 100, each measured, until one round allocates nothing; fails after {@code rounds}. */
    private static void assertSteadyStateAllocatesNothing(String what, Runnable call, int rounds) {
        long last = -1;
        for (int round = 0; round < rounds; round++) {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100; i++) {
                call.run();
            }
            last = THREADS.getCurrentThreadAllocatedBytes() - before;
            if (last == 0) {
                return;
            }
        }
        throw new AssertionError(what + ": every round of 100 calls allocated; the last " + last + " bytes");
    }
}
