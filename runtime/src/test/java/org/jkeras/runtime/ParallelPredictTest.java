package org.jkeras.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jkeras.runtime.graph.Graph;
import org.jkeras.runtime.graph.Port;
import org.jkeras.runtime.layers.Layer;
import org.jkeras.runtime.layers.Weight;
import org.jkeras.runtime.tensor.InputMismatchException;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** {@link Model#predict(List, int)}: how the batch is sliced, merged, validated, and where it runs. */
class ParallelPredictTest {
    /**
     * Two inputs, a: [batch, 3] and b: [batch, 2, 2], to two outputs: a + sum(b row) ([batch, 3]) and
     * sum(a row) - sum(b row) ([batch, 1]). Records the batch size and thread of every call, and fails
     * on a NaN input to test error propagation.
     */
    static final class Pair implements Layer {
        final ConcurrentLinkedQueue<Integer> batches = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Thread> threads = new ConcurrentLinkedQueue<>();

        @Override
        public String name() {
            return "pair";
        }

        @Override
        public String kind() {
            return "Pair";
        }

        @Override
        public List<Shape> outputShapes(List<Shape> in) {
            return List.of(in.get(0), Shape.of(in.get(0).dim(0), 1));
        }

        @Override
        public List<Tensor> forward(List<Tensor> in) {
            Tensor a = in.get(0);
            Tensor b = in.get(1);
            int rows = a.dim(0);
            batches.add(rows);
            threads.add(Thread.currentThread());
            float[] sum = new float[rows * 3];
            float[] diff = new float[rows];
            for (int r = 0; r < rows; r++) {
                float sa = 0;
                float sb = 0;
                for (int j = 0; j < 4; j++) {
                    sb += b.data()[r * 4 + j];
                }
                for (int j = 0; j < 3; j++) {
                    float v = a.data()[r * 3 + j];
                    if (Float.isNaN(v)) {
                        throw new IllegalArgumentException("NaN in a slice of " + rows + " rows");
                    }
                    sa += v;
                    sum[r * 3 + j] = v + sb;
                }
                diff[r] = sa - sb;
            }
            return List.of(Tensor.wrap(sum, rows, 3), Tensor.wrap(diff, rows, 1));
        }

        @Override
        public List<Weight> weights() {
            return List.of();
        }
    }

    private static Model pairModel(Pair layer, int declaredBatch) {
        Graph.Builder g = Graph.builder();
        Port a = g.input("a", Shape.of(declaredBatch, 3));
        Port b = g.input("b", Shape.of(declaredBatch, 2, 2));
        return new Model(g.build(g.apply(layer, List.of(a, b))), Map.of());
    }

    /** a[r] = (r, r, r) and b[r] = (1, 1, 1, 1): outputs r + 4 (three times) and 3r - 4 per row. */
    private static List<Tensor> pairInputs(int batch) {
        float[] a = new float[batch * 3];
        float[] b = new float[batch * 4];
        for (int r = 0; r < batch; r++) {
            Arrays.fill(a, r * 3, r * 3 + 3, r);
            Arrays.fill(b, r * 4, r * 4 + 4, 1f);
        }
        return List.of(Tensor.wrap(a, batch, 3), Tensor.wrap(b, batch, 2, 2));
    }

    private static void assertPairOutputs(int batch, List<Tensor> out) {
        float[] sum = new float[batch * 3];
        float[] diff = new float[batch];
        for (int r = 0; r < batch; r++) {
            Arrays.fill(sum, r * 3, r * 3 + 3, r + 4f);
            diff[r] = 3f * r - 4f;
        }
        assertArrayEquals(new int[] {batch, 3}, out.get(0).shape());
        assertArrayEquals(sum, out.get(0).data());
        assertArrayEquals(new int[] {batch, 1}, out.get(1).shape());
        assertArrayEquals(diff, out.get(1).data());
    }

    @Test
    void multipleInputsAndOutputsAreSlicedEvenlyAndMergedInRowOrder() {
        Pair layer = new Pair();
        List<Tensor> out = pairModel(layer, Shape.UNKNOWN).predict(pairInputs(7), 3);
        assertPairOutputs(7, out);
        List<Integer> sizes = new ArrayList<>(layer.batches);
        sizes.sort(null);
        assertEquals(List.of(2, 2, 3), sizes); // rows 0-1, 2-3, 4-6
    }

    @Test
    void moreThreadsThanRowsGivesOneSlicePerRow() {
        Pair layer = new Pair();
        List<Tensor> out = pairModel(layer, Shape.UNKNOWN).predict(pairInputs(3), 16);
        assertPairOutputs(3, out);
        assertEquals(List.of(1, 1, 1), new ArrayList<>(layer.batches));
    }

    @Test
    void oneRowOrOneThreadRunsWholeOnTheCallingThread() {
        Pair layer = new Pair();
        Model model = pairModel(layer, Shape.UNKNOWN);
        assertPairOutputs(1, model.predict(pairInputs(1), 4));
        assertPairOutputs(5, model.predict(pairInputs(5), 1));
        assertEquals(List.of(1, 5), new ArrayList<>(layer.batches));
        assertEquals(List.of(Thread.currentThread(), Thread.currentThread()), new ArrayList<>(layer.threads));
    }

    @Test
    void modelWithFixedBatchIsNotSliced() {
        Pair layer = new Pair();
        assertPairOutputs(4, pairModel(layer, 4).predict(pairInputs(4), 2));
        assertEquals(List.of(4), new ArrayList<>(layer.batches));
    }

    @Test
    void badInputsFailBeforeSlicingWithTheSingleThreadMessages() {
        Pair layer = new Pair();
        Model model = pairModel(layer, Shape.UNKNOWN);
        List<Tensor> good = pairInputs(4);
        List<List<Tensor>> bad = List.of(
                List.of(good.get(0)),
                List.of(good.get(0), Tensor.zeros(4, 4)),
                List.of(Tensor.zeros(4), good.get(1)),
                List.of(good.get(0), good.get(1), good.get(1)),
                Arrays.asList(good.get(0), null));
        for (List<Tensor> inputs : bad) {
            String single = assertThrows(InputMismatchException.class, () -> model.predict(inputs)).getMessage();
            String parallel = assertThrows(InputMismatchException.class, () -> model.predict(inputs, 3)).getMessage();
            assertEquals(single, parallel);
        }
        assertEquals("input 'b' expects shape (None, 2, 2), got (4, 4)",
                assertThrows(InputMismatchException.class,
                        () -> model.predict(List.of(good.get(0), Tensor.zeros(4, 4)), 2)).getMessage());
        assertTrue(layer.batches.isEmpty(), "no slice may run when the inputs do not fit: " + layer.batches);
        assertThrows(IllegalArgumentException.class, () -> model.predict(good, 0));
    }

    @Test
    void inputsWithDifferentBatchSizesAreLeftToTheSingleThreadPath() {
        Pair layer = new Pair();
        Model model = pairModel(layer, Shape.UNKNOWN);
        // Both shapes fit the declaration, but the batches differ: the layer sees them whole, as with one thread.
        model.predict(List.of(Tensor.zeros(2, 3), Tensor.zeros(3, 2, 2)), 2);
        assertEquals(List.of(2), new ArrayList<>(layer.batches));
    }

    @Test
    void aFailingSliceThrowsItsOwnException() {
        Pair layer = new Pair();
        List<Tensor> inputs = pairInputs(6);
        inputs.get(0).data()[5 * 3] = Float.NaN; // row 5: the last of three slices of 2 rows
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> pairModel(layer, Shape.UNKNOWN).predict(inputs, 3));
        assertEquals("NaN in a slice of 2 rows", e.getMessage());
    }

    @Test
    void lstmModelGivesTheSingleThreadResultBitForBit() {
        Random r = new Random(11);
        Model model = ModelTest.lstmDense(r);
        Tensor x = ModelTest.random(r, 9, 13, 5);
        float[] expected = model.predict(x).toFloatArray();
        for (int threads : new int[] {2, 3, 4, 9, 32}) {
            List<Tensor> y = model.predict(List.of(x), threads);
            assertArrayEquals(new int[] {9, 3}, y.get(0).shape());
            assertArrayEquals(expected, y.get(0).data(), threads + " threads");
        }
    }

    @Test
    void repeatedCallsReuseAFewDaemonWorkers() {
        Pair layer = new Pair();
        Model model = pairModel(layer, Shape.UNKNOWN);
        for (int i = 0; i < 50; i++) {
            assertPairOutputs(8, model.predict(pairInputs(8), 4));
        }
        Set<Thread> workers = new HashSet<>(layer.threads);
        workers.remove(Thread.currentThread());
        assertTrue(workers.size() <= ParallelPredict.poolSize(), workers + " vs pool of " + ParallelPredict.poolSize());
        for (Thread t : workers) {
            assertTrue(t.isDaemon(), t + " must not keep the JVM alive");
            assertTrue(t.getName().startsWith("jkeras-predict-"), t.getName());
        }
    }
}
