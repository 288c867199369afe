package org.jkeras.runtime.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.List;
import org.jkeras.runtime.tensor.InputMismatchException;
import org.jkeras.runtime.tensor.Mask;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.layers.CallContext;
import org.jkeras.runtime.layers.Dropout;
import org.jkeras.runtime.layers.Layer;
import org.jkeras.runtime.layers.Saved;
import org.jkeras.runtime.layers.SingleInputLayer;
import org.jkeras.runtime.layers.TrainContext;
import org.jkeras.runtime.layers.Weight;
import org.junit.jupiter.api.Test;

class GraphTest {
    /** Two inputs of equal shape to two outputs: their sum and their difference. */
    static final class SumAndDifference implements Layer {
        @Override
        public String name() {
            return "sum_diff";
        }

        @Override
        public String kind() {
            return "SumAndDifference";
        }

        @Override
        public List<Shape> outputShapes(List<Shape> in) {
            if (in.size() != 2 || !in.get(0).equals(in.get(1))) {
                throw new IllegalArgumentException("sum_diff needs two equal shapes, got " + in);
            }
            return List.of(in.get(0), in.get(0));
        }

        @Override
        public List<Tensor> forward(List<Tensor> in) {
            float[] a = in.get(0).data();
            float[] b = in.get(1).data();
            float[] sum = new float[a.length];
            float[] diff = new float[a.length];
            for (int i = 0; i < a.length; i++) {
                sum[i] = a[i] + b[i];
                diff[i] = a[i] - b[i];
            }
            return List.of(Tensor.wrap(sum, in.get(0).shape()), Tensor.wrap(diff, in.get(0).shape()));
        }

        @Override
        public List<Weight> weights() {
            return List.of();
        }
    }

    /** Multiplies by a constant into a fresh tensor, remembering the last output weakly. */
    static final class Scale extends SingleInputLayer {
        final float factor;
        WeakReference<Tensor> lastOutput = new WeakReference<>(null);

        Scale(String name, float factor) {
            super(name);
            this.factor = factor;
        }

        @Override
        public String kind() {
            return "Scale";
        }

        @Override
        public Shape outputShape(Shape input) {
            return input;
        }

        @Override
        public Tensor apply(Tensor input) {
            float[] out = input.toFloatArray();
            for (int i = 0; i < out.length; i++) {
                out[i] *= factor;
            }
            Tensor t = Tensor.wrap(out, input.shape());
            lastOutput = new WeakReference<>(t);
            return t;
        }

        @Override
        public Tensor applyTrain(Tensor input, float[][] weights, Saved saved, TrainContext ctx) {
            return apply(input);
        }

        @Override
        public Tensor backpropagate(Tensor dy, float[][] weights, float[][] grads, Saved saved, boolean needInput) {
            return needInput ? apply(dy) : null;
        }
    }

    /** Passes its input through, and on the way checks which earlier tensors the graph still holds. */
    static final class Probe extends SingleInputLayer {
        final Scale dead;
        final Scale live;
        boolean deadCollected;
        boolean liveCollected;

        Probe(Scale dead, Scale live) {
            super("probe");
            this.dead = dead;
            this.live = live;
        }

        @Override
        public String kind() {
            return "Probe";
        }

        @Override
        public Shape outputShape(Shape input) {
            return input;
        }

        @Override
        public Tensor apply(Tensor input) {
            for (int i = 0; i < 50 && dead.lastOutput.get() != null; i++) {
                System.gc();
                Thread.onSpinWait();
            }
            deadCollected = dead.lastOutput.get() == null;
            liveCollected = live.lastOutput.get() == null;
            return input;
        }

        @Override
        public Tensor applyTrain(Tensor input, float[][] weights, Saved saved, TrainContext ctx) {
            return input;
        }

        @Override
        public Tensor backpropagate(Tensor dy, float[][] weights, float[][] grads, Saved saved, boolean needInput) {
            return needInput ? dy : null;
        }
    }

    /** Makes a [batch, time] mask: true where a step of its [batch, time, features] input is not all zeros. */
    static final class ZeroStepMask extends SingleInputLayer {
        ZeroStepMask() {
            super("zero_step_mask");
        }

        @Override
        public String kind() {
            return "ZeroStepMask";
        }

        @Override
        public Shape outputShape(Shape input) {
            return input;
        }

        @Override
        public Tensor apply(Tensor input) {
            return input;
        }

        @Override
        public List<Boolean> outputsMasked(List<Boolean> inputsMasked, int outputCount) {
            return List.of(true);
        }

        @Override
        public List<Mask> outputMasks(List<Tensor> inputs, List<Mask> masks) {
            Tensor x = inputs.get(0);
            int steps = x.dim(1);
            int f = x.dim(2);
            boolean[] m = new boolean[x.dim(0) * steps];
            for (int i = 0; i < m.length; i++) {
                for (int k = 0; k < f; k++) {
                    m[i] |= x.data()[i * f + k] != 0f;
                }
            }
            return List.of(Mask.wrap(m, x.dim(0), steps));
        }

        @Override
        public Tensor applyTrain(Tensor input, float[][] weights, Saved saved, TrainContext ctx) {
            return input;
        }

        @Override
        public Tensor backpropagate(Tensor dy, float[][] weights, float[][] grads, Saved saved, boolean needInput) {
            return dy;
        }
    }

    /** Records the call context it is given; outputs its input. */
    static final class MaskReader extends SingleInputLayer {
        CallContext seen;

        MaskReader(String name) {
            super(name);
        }

        @Override
        public String kind() {
            return "MaskReader";
        }

        @Override
        public Shape outputShape(Shape input) {
            return input;
        }

        @Override
        public List<Tensor> forward(List<Tensor> inputs, CallContext ctx) {
            seen = ctx;
            return forward(inputs);
        }

        @Override
        public Tensor apply(Tensor input) {
            return input;
        }

        @Override
        public Tensor applyTrain(Tensor input, float[][] weights, Saved saved, TrainContext ctx) {
            return input;
        }

        @Override
        public Tensor backpropagate(Tensor dy, float[][] weights, float[][] grads, Saved saved, boolean needInput) {
            return dy;
        }
    }

    @Test
    void masksTravelThroughLayersThatPassThemAndStopAtLayersThatDropThem() {
        Graph.Builder b = Graph.builder();
        Port x = b.input("x", Shape.of(Shape.UNKNOWN, 3, 1));
        Port masked = b.apply(new ZeroStepMask(), x);
        Port passed = b.apply(new Dropout("dropout", "Dropout", 0.5), masked); // supports masking: passes it on
        MaskReader afterPass = new MaskReader("after_pass");
        Port read = b.apply(afterPass, passed);
        Port dropped = b.apply(new Scale("scale", 1f), read);                   // no masking support: drops it
        MaskReader afterDrop = new MaskReader("after_drop");
        Graph g = b.build(List.of(b.apply(afterDrop, dropped)));
        assertTrue(g.hasMasks());
        assertTrue(g.masked(passed));
        assertTrue(!g.masked(dropped));
        g.run(List.of(Tensor.of(new float[] {1f, 0f, 2f, 0f, 0f, 3f}, 2, 3, 1)));
        assertEquals(Mask.of(new boolean[] {true, false, true, false, false, true}, 2, 3), afterPass.seen.mask(0));
        assertNull(afterDrop.seen.mask(0));
        assertThrows(IllegalArgumentException.class,
                () -> new org.jkeras.runtime.training.Tape(g, new org.jkeras.runtime.training.Parameters(
                        new org.jkeras.runtime.Model(g, java.util.Map.of()), java.util.Set.of())),
                "training with masks is refused until the recurrent layers' backward passes honour them");
    }

    @Test
    void graphWithoutMasksCallsLayersWithoutAContext() {
        Graph.Builder b = Graph.builder();
        MaskReader reader = new MaskReader("reader");
        Graph g = b.build(List.of(b.apply(reader, b.input("x", Shape.of(Shape.UNKNOWN, 2)))));
        g.run(List.of(Tensor.zeros(1, 2)));
        assertTrue(!g.hasMasks());
        assertNull(reader.seen, "a graph without masks calls forward(inputs), skipping all mask bookkeeping");
    }

    @Test
    void multiInputMultiOutputLayerFeedsOutputsInDeclaredOrder() {
        Graph.Builder b = Graph.builder();
        Port p = b.input("p", Shape.of(Shape.UNKNOWN, 2));
        Port q = b.input("q", Shape.of(Shape.UNKNOWN, 2));
        List<Port> sd = b.apply(new SumAndDifference(), List.of(p, q));
        Port scaled = b.apply(new Scale("times10", 10f), sd.get(0));
        // Outputs deliberately not in node order: difference first, then the scaled sum, then input q.
        Graph g = b.build(List.of(sd.get(1), scaled, q));
        Tensor tq = Tensor.of(new float[] {0.5f, 1f, 1.5f, 2f}, 2, 2);
        List<Tensor> out = g.run(List.of(Tensor.of(new float[] {1f, 2f, 3f, 4f}, 2, 2), tq));
        assertEquals(3, out.size());
        assertArrayEquals(new float[] {0.5f, 1f, 1.5f, 2f}, out.get(0).data());
        assertArrayEquals(new float[] {15f, 30f, 45f, 60f}, out.get(1).data());
        assertArrayEquals(new int[] {2, 2}, out.get(1).shape());
        assertArrayEquals(tq.data(), out.get(2).data());
        assertEquals(List.of("p", "q"), g.inputs().stream().map(Node::name).toList());
        assertEquals(Shape.of(Shape.UNKNOWN, 2), g.shapeOf(scaled));
    }

    @Test
    void intermediateReadByTwoLaterNodesStaysAliveForBoth() {
        Graph.Builder b = Graph.builder();
        Port x = b.input("x", Shape.of(Shape.UNKNOWN, 3));
        Port doubled = b.apply(new Scale("double", 2f), x);
        Port a = b.apply(new Scale("a", 3f), doubled);
        Port c = b.apply(new Scale("c", -1f), doubled);
        List<Port> sd = b.apply(new SumAndDifference(), List.of(a, c));
        Graph g = b.build(List.of(sd.get(0), sd.get(1)));
        List<Tensor> out = g.run(List.of(Tensor.of(new float[] {1f, 2f, 3f}, 1, 3)));
        assertArrayEquals(new float[] {4f, 8f, 12f}, out.get(0).data());   // 6x - 2x
        assertArrayEquals(new float[] {8f, 16f, 24f}, out.get(1).data());  // 6x + 2x
    }

    @Test
    void intermediatesAreReleasedAfterTheirLastReader() {
        Scale producer = new Scale("producer", 2f);
        Scale consumer = new Scale("consumer", 3f);
        Probe probe = new Probe(producer, consumer);
        Graph.Builder b = Graph.builder();
        Port x = b.input("x", Shape.of(Shape.UNKNOWN, 1000));
        Graph g = b.build(List.of(b.apply(probe, b.apply(consumer, b.apply(producer, x)))));
        List<Tensor> out = g.run(List.of(Tensor.zeros(4, 1000)));
        assertTrue(probe.deadCollected, "producer's output, read only by consumer, was still held when probe ran");
        assertTrue(!probe.liveCollected, "consumer's output (probe's input) must still be alive");
        assertNotNull(out.get(0));
    }

    @Test
    void wrongNumberOfInputsIsAnInputMismatch() {
        Graph.Builder b = Graph.builder();
        Port p = b.input("p", Shape.of(Shape.UNKNOWN, 2));
        Graph g = b.build(List.of(b.apply(new Scale("s", 1f), p)));
        InputMismatchException e = assertThrows(InputMismatchException.class, () -> g.run(List.of()));
        assertEquals("the model takes 1 input(s), got 0", e.getMessage());
        InputMismatchException n = assertThrows(InputMismatchException.class,
                () -> g.run(Arrays.asList((Tensor) null)));
        assertEquals("input 'p' expects shape (None, 2), got null", n.getMessage());
    }

    @Test
    void builderRejectsDanglingPortsAndEmptyGraphs() {
        Graph.Builder b = Graph.builder();
        Port p = b.input("p", Shape.of(Shape.UNKNOWN, 2));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> b.apply(new Scale("s", 1f), new Port(7, 0)));
        assertTrue(missing.getMessage().contains("'s'"), missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.apply(new Scale("s", 1f), new Port(0, 1)));
        assertThrows(IllegalArgumentException.class, () -> b.build(List.of()));
        assertThrows(IllegalArgumentException.class, () -> Graph.builder().build(List.of(p)));
        IllegalArgumentException twoOut = assertThrows(IllegalArgumentException.class,
                () -> b.apply(new SumAndDifference(), p, p));
        assertTrue(twoOut.getMessage().contains("has 2 outputs"), twoOut.getMessage());
        assertNull(b.build(List.of(p)).nodes().get(0).layer());
    }
}
