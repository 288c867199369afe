package org.jkeras.flink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.jkeras.fixtures.FixtureArray;
import org.jkeras.fixtures.FixtureCase;
import org.jkeras.fixtures.Fixtures;
import org.jkeras.fixtures.Tolerance;
import org.jkeras.flink.example.SyntheticSteps;
import org.jkeras.runtime.Model;
import org.junit.jupiter.api.Test;

/** The operator alone, in Flink's test harness: state per key, resets, TTL, snapshots, micro-batches, swaps. */
@SuppressWarnings("try") // the harness close() may throw InterruptedException: fine in a test
class RecurrentStateOperatorTest {
    private static final Path STACKED = Expected.model("stacked_lstm_gru_simplernn", "model.keras");

    @Test
    void keysFedOneStepPerEventReproduceKerasOnTheWholeSequences() throws Exception {
        FixtureCase c = Fixtures.byId("lstm_seq_timedistributed__sequential__keras_zip");
        FixtureArray x = c.inputs().get(0); // [4, 10, 5]
        int batch = x.dim(0);
        int steps = x.dim(1);
        int f = x.dim(2);
        try (var h = harness(KeyedScoring.of(ModelSpec.ofPath(c.modelPath().toString(), "v1")))) {
            for (int t = 0; t < steps; t++) {
                for (int b = 0; b < batch; b++) {
                    float[] step = new float[f];
                    System.arraycopy(x.data(), (b * steps + t) * f, step, 0, f);
                    h.processElement(new StreamRecord<>(StepEvent.of("row" + b, t * batch + b, step)));
                }
            }
            Map<Long, float[]> got = outputs(h);
            int units = c.outputs().get(0).dim(2);
            float[] y = new float[batch * steps * units];
            for (int b = 0; b < batch; b++) {
                for (int t = 0; t < steps; t++) {
                    System.arraycopy(got.get((long) t * batch + b), 0, y, (b * steps + t) * units, units);
                }
            }
            Tolerance.assertClose(c.outputs().get(0), y, new int[] {batch, steps, units}, c.atol(), c.rtol(), c.id());
        }
    }

    /** LSTM(40) → LSTM(24) → Dense(3) of the {@code precision} set, its kernels rounded: Keras's rounded outputs. */
    @Test
    void bfloat16KernelsStreamKerasRoundedOutputs() throws Exception {
        FixtureCase c = Fixtures.manifest("precision").byId("bf16_lstm_stack__functional__keras_zip__bf16");
        FixtureArray x = c.inputs().get(0); // [1, T, features]
        int steps = x.dim(1);
        int f = x.dim(2);
        ModelSpec spec = ModelSpec.ofPath(c.modelPath().toString(), "v1").withBfloat16Kernels();
        assertTrue(spec.toString().endsWith(", bfloat16 kernels"), spec.toString());
        try (var h = harness(KeyedScoring.of(spec))) {
            for (int t = 0; t < steps; t++) {
                float[] step = java.util.Arrays.copyOfRange(x.data(), t * f, (t + 1) * f);
                h.processElement(new StreamRecord<>(StepEvent.of("row0", t, step)));
            }
            float[] last = outputs(h).get((long) steps - 1);
            Tolerance.assertClose(c.outputs().get(0), last, new int[] {1, last.length}, c.atol(), c.rtol(), c.id());
        }
    }

    @Test
    void stateSurvivesASnapshotAndRestoreInANewOperator() throws Exception {
        Model model = Expected.load(STACKED);
        List<StepEvent> events = events(400, 60);
        KeyedScoring scoring = KeyedScoring.of(ModelSpec.ofPath(STACKED.toString(), "v1"));
        Map<Long, float[]> got = new LinkedHashMap<>();
        OperatorSubtaskState snapshot;
        try (var h = harness(scoring)) {
            for (StepEvent e : events.subList(0, 200)) {
                h.processElement(new StreamRecord<>(e));
            }
            got.putAll(outputs(h));
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness(scoring, snapshot)) {
            for (StepEvent e : events.subList(200, events.size())) {
                h.processElement(new StreamRecord<>(e));
            }
            got.putAll(outputs(h));
        }
        assertExactly(Expected.outputs(model, events), got);
    }

    @Test
    void microBatchesApplyEveryEventInKeyOrderAndFlushBeforeTheBarrier() throws Exception {
        Model model = Expected.load(STACKED);
        List<StepEvent> events = events(900, 40); // keys repeat inside a batch, lengths 1 to 3 mixed
        KeyedScoring scoring = KeyedScoring.of(ModelSpec.ofPath(STACKED.toString(), "v1")).microBatch(64, Duration.ofSeconds(60));
        Map<Long, float[]> got = new LinkedHashMap<>();
        OperatorSubtaskState snapshot;
        try (var h = harness(scoring)) {
            for (StepEvent e : events.subList(0, 450)) {
                h.processElement(new StreamRecord<>(e));
            }
            h.prepareSnapshotPreBarrier(1); // the 450 % 64 buffered events are applied now, not lost
            snapshot = h.snapshot(1, 1);
            got.putAll(outputs(h));
            assertEquals(450 - countResetsOnly(events.subList(0, 450)), got.size());
        }
        try (var h = harness(scoring, snapshot)) {
            for (StepEvent e : events.subList(450, 890)) {
                h.processElement(new StreamRecord<>(e));
            }
            h.setProcessingTime(Long.MAX_VALUE / 2); // the delay timer flushes a partial batch
            for (StepEvent e : events.subList(890, events.size())) {
                h.processElement(new StreamRecord<>(e));
            }
            h.endInput();
            h.getOneInputOperator().finish();
            got.putAll(outputs(h));
        }
        Map<Long, float[]> expected = Expected.outputs(model, events);
        assertEquals(expected.keySet(), got.keySet());
        for (var e : expected.entrySet()) { // batched kernels may round differently from batch 1
            float[] y = got.get(e.getKey());
            for (int i = 0; i < y.length; i++) {
                assertEquals(e.getValue()[i], y[i], 1e-6 + 1e-6 * Math.abs(e.getValue()[i]), "seq " + e.getKey());
            }
        }
    }

    @Test
    void aResetEventStartsTheKeyFromZeroAndInvalidEventsGoToTheSideOutput() throws Exception {
        Model model = Expected.load(STACKED);
        float[] a = new SyntheticSteps(1, 5).event(0).steps();
        try (var h = harness(KeyedScoring.of(ModelSpec.ofPath(STACKED.toString(), "v1")))) {
            h.processElement(new StreamRecord<>(StepEvent.of("k", 1, a)));
            h.processElement(new StreamRecord<>(StepEvent.reset("k", 2)));
            h.processElement(new StreamRecord<>(StepEvent.of("k", 3, a)));
            h.processElement(new StreamRecord<>(StepEvent.of("k", 4, new float[7])));
            h.processElement(new StreamRecord<>(StepEvent.of("k", 5, new float[0])));
            Map<Long, float[]> got = outputs(h);
            assertEquals(List.of(1L, 3L), new ArrayList<>(got.keySet()));
            assertArrayEquals(got.get(1L), got.get(3L)); // after the reset: as from a fresh stream
            assertArrayEquals(Expected.outputs(model, List.of(StepEvent.of("k", 1, a))).get(1L), got.get(3L));
            List<String> invalid = h.getSideOutput(KeyedScoring.INVALID).stream().map(r -> r.getValue().toString()).toList();
            assertEquals(List.of("k 4: the event has 7 values, not a whole number of time steps of 5 features",
                    "k 5: the event has no time steps and is no reset"), invalid);
        }
    }

    @Test
    void aKeySilentForLongerThanTheTtlStartsFromZero() throws Exception {
        float[] a = new SyntheticSteps(1, 5).event(0).steps();
        try (var h = harness(KeyedScoring.of(ModelSpec.ofPath(STACKED.toString(), "v1")).stateTtl(Duration.ofMinutes(1)))) {
            h.setStateTtlProcessingTime(0);
            h.processElement(new StreamRecord<>(StepEvent.of("quiet", 1, a)));
            h.processElement(new StreamRecord<>(StepEvent.of("busy", 2, a)));
            h.setStateTtlProcessingTime(50_000);
            h.processElement(new StreamRecord<>(StepEvent.of("busy", 3, a)));
            h.setStateTtlProcessingTime(61_000); // quiet's state written at 0 has expired, busy's at 50 s has not
            h.processElement(new StreamRecord<>(StepEvent.of("quiet", 4, a)));
            h.processElement(new StreamRecord<>(StepEvent.of("busy", 5, a)));
            Map<Long, float[]> got = outputs(h);
            assertArrayEquals(got.get(1L), got.get(4L));
            assertTrue(got.get(5L)[0] != got.get(1L)[0], "busy kept its state");
        }
    }

    @Test
    void aNewModelVersionKeepsCompatibleStatesAndDropsOthersByTheRule() throws Exception {
        Path v1 = Expected.model("lstm_last_dense", "model.keras");
        Path v2 = Expected.model("lstm_last_dense", "model_tf_keras2.h5"); // same layers, written by tf.keras 2
        Path other = Expected.model("gru_last_dense", "model.keras");
        List<StepEvent> first = events(40, 4).stream().filter(e -> !e.reset()).toList();
        StepEvent next = StepEvent.of("k0", 1000, first.get(0).steps());
        OperatorSubtaskState snapshot;
        try (var h = harness(KeyedScoring.of(ModelSpec.ofPath(v1.toString(), "v1")))) {
            for (StepEvent e : first) {
                h.processElement(new StreamRecord<>(e));
            }
            snapshot = h.snapshot(1, 1);
        }
        List<StepEvent> k0 = new ArrayList<>(first.stream().filter(e -> e.key().equals("k0")).toList());
        k0.add(next);
        float[] continued = Expected.outputs(Expected.load(v1), k0).get(1000L);
        float[] fresh = Expected.outputs(Expected.load(v2), List.of(next)).get(1000L);
        try (var h = harness(KeyedScoring.of(ModelSpec.ofPath(v2.toString(), "v2")), snapshot)) {
            h.processElement(new StreamRecord<>(next));
            Prediction p = (Prediction) ((StreamRecord<?>) h.getOutput().poll()).getValue();
            assertEquals("v2", p.modelVersion());
            Tolerance.assertClose(FixtureArray.ofFloats("continued", continued, continued.length), p.output(),
                    new int[] {p.output().length}, 1e-6, 1e-6, "kept state");
        }
        try (var h = harness(KeyedScoring.of(ModelSpec.ofPath(v2.toString(), "v2")).modelSwap(ModelSwap.DROP), snapshot)) {
            h.processElement(new StreamRecord<>(next));
            assertArrayEquals(fresh, ((Prediction) ((StreamRecord<?>) h.getOutput().poll()).getValue()).output());
        }
        float[] freshOther = Expected.outputs(Expected.load(other), List.of(next)).get(1000L);
        try (var h = harness(KeyedScoring.of(ModelSpec.ofPath(other.toString(), "gru")), snapshot)) {
            h.processElement(new StreamRecord<>(next)); // a GRU cannot continue an LSTM's state: dropped
            assertArrayEquals(freshOther, ((Prediction) ((StreamRecord<?>) h.getOutput().poll()).getValue()).output());
        }
    }

    private static long countResetsOnly(List<StepEvent> events) {
        return events.stream().filter(e -> e.steps().length == 0).count();
    }

    /** Events of the synthetic stream for a 5-feature model. */
    static List<StepEvent> events(int count, int keys) {
        SyntheticSteps gen = new SyntheticSteps(keys, 5);
        List<StepEvent> list = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            list.add(gen.event(i));
        }
        return list;
    }

    static void assertExactly(Map<Long, float[]> expected, Map<Long, float[]> got) {
        assertEquals(expected.keySet(), got.keySet());
        for (var e : expected.entrySet()) {
            assertArrayEquals(e.getValue(), got.get(e.getKey()), "seq " + e.getKey());
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, StepEvent, Prediction> harness(KeyedScoring s)
            throws Exception {
        return harness(s, null);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, StepEvent, Prediction> harness(KeyedScoring s,
            OperatorSubtaskState restore) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(s.operator(), StepEvent::key, Types.STRING);
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        return h;
    }

    private static Map<Long, float[]> outputs(KeyedOneInputStreamOperatorTestHarness<String, StepEvent, Prediction> h) {
        Map<Long, float[]> m = new LinkedHashMap<>();
        Object o;
        while ((o = h.getOutput().poll()) != null) {
            if (o instanceof StreamRecord<?> r && r.getValue() instanceof Prediction p) {
                m.put(p.seq(), p.output());
            }
        }
        return m;
    }
}
