package org.jkeras.flink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.jkeras.flink.example.SyntheticSteps;
import org.jkeras.runtime.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole jobs on Flink's MiniCluster (one task manager, two slots): thousands of keys, a failure
 * and restore from a checkpoint with an exactly-once file sink, and throughput at parallelism 1
 * and 2 (printed, not asserted).
 */
@SuppressWarnings("try") // CloseableIterator.close() may throw InterruptedException: fine in a test
class KeyedScoringMiniClusterTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final Path STACKED = Expected.model("stacked_lstm_gru_simplernn", "model.keras");
    private static final ModelSpec SPEC = ModelSpec.ofPath(STACKED.toString(), "v1");

    @Test
    void thousandsOfKeysGetExactlyWhatAPerKeyStreamingSessionReturns() throws Exception {
        int keys = 3000;
        int count = 12_000;
        List<StepEvent> events = RecurrentStateOperatorTest.events(count, keys);
        Map<Long, float[]> expected = Expected.outputs(Expected.load(STACKED), events);

        Map<Long, float[]> got = collect(KeyedScoring.of(SPEC), keys, count);
        RecurrentStateOperatorTest.assertExactly(expected, got);

        Map<Long, float[]> batched = collect(KeyedScoring.of(SPEC).microBatch(32, Duration.ofMillis(5)), keys, count);
        assertEquals(expected.keySet(), batched.keySet());
        for (var e : expected.entrySet()) {
            float[] y = batched.get(e.getKey());
            for (int i = 0; i < y.length; i++) {
                assertEquals(e.getValue()[i], y[i], 1e-6 + 1e-6 * Math.abs(e.getValue()[i]), "seq " + e.getKey());
            }
        }
        assertEquals(1, SharedModels.loads(SPEC), "one model per JVM, shared by both slots, both jobs and every key");
    }

    @Test
    void aJobRestoredFromItsCheckpointAfterAFailureWritesExactlyTheUninterruptedOutputs(@TempDir Path out) throws Exception {
        int keys = 500;
        int count = 6000;
        List<StepEvent> events = RecurrentStateOperatorTest.events(count, keys);
        Set<String> expected = new HashSet<>();
        Expected.outputs(Expected.load(STACKED), events).forEach((seq, y) -> expected.add(
                new Prediction("k" + (seq % keys), seq, "v1", y).toLine()));

        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(50));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(100);
        // 400 events per checkpoint: the failure lands between checkpoints, with outputs both committed and not
        DataStream<StepEvent> source = env.fromSource(new DataGeneratorSource<>(new SyntheticSteps(keys, 5), count,
                RateLimiterStrategy.perCheckpoint(400), TypeInformation.of(StepEvent.class)),
                WatermarkStrategy.noWatermarks(), "steps").setParallelism(1);
        FailOnce.FAILED.set(false);
        KeyedScoring.of(SPEC).microBatch(16, Duration.ofMillis(2)).apply(source)
                .map(new FailOnce(2500)).returns(TypeInformation.of(Prediction.class))
                .map(Prediction::toLine).returns(Types.STRING)
                .sinkTo(FileSink.forRowFormat(new org.apache.flink.core.fs.Path(out.toUri()),
                        new SimpleStringEncoder<String>()).withRollingPolicy(OnCheckpointRollingPolicy.build()).build());
        env.execute("failure and restore");
        assertTrue(FailOnce.FAILED.get(), "the injected failure happened");

        List<String> lines = committedLines(out);
        assertEquals(expected.size(), lines.size(), "no output lost, none duplicated");
        Set<String> got = new HashSet<>(lines);
        assertEquals(lines.size(), got.size(), "no duplicates");
        // micro-batched: compare values within rounding, keyed by key and seq
        Map<String, String> byId = new HashMap<>();
        for (String l : got) {
            byId.put(l.substring(0, l.indexOf(",v1,")), l);
        }
        for (String e : expected) {
            String id = e.substring(0, e.indexOf(",v1,"));
            String g = byId.get(id);
            assertTrue(g != null, "missing " + id);
            assertArrayEquals(values(e), values(g), 1e-6f, id);
        }
    }

    @Test
    void throughputAtParallelismOneAndTwo() throws Exception {
        int keys = 10_000;
        int count = 200_000;
        ModelSpec lstm50 = ModelSpec.ofPath(Expected.model("multivariate_lstm50", "model.keras").toString(), "lstm50");
        runDiscarding(KeyedScoring.of(lstm50), 1, keys, 20_000); // warm-up: JIT and class loading off the clock
        for (int micro : new int[] {1, 64}) {
            for (int p : new int[] {1, 2}) {
                KeyedScoring scoring = KeyedScoring.of(lstm50);
                if (micro > 1) {
                    scoring.microBatch(micro, Duration.ofMillis(5));
                }
                double s = runDiscarding(scoring, p, keys, count);
                System.out.printf("jkeras-flink throughput: LSTM(50) 8 features, 1-3 steps per event, %d keys, parallelism %d,"
                        + " micro-batch %d: %d events in %.2f s = %.0f events/s (job start included)%n",
                        keys, p, micro, count, s, count / s);
            }
        }
    }

    /** Runs a job scoring {@code count} generated events into a discarding sink; returns its wall time in s. */
    private static double runDiscarding(KeyedScoring scoring, int p, int keys, int count) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(p);
        scoring.apply(env.fromSource(new DataGeneratorSource<>(new SyntheticSteps(keys, 8), count,
                        TypeInformation.of(StepEvent.class)), WatermarkStrategy.noWatermarks(), "steps").setParallelism(1))
                .sinkTo(new DiscardingSink<>());
        long t0 = System.nanoTime();
        env.execute("throughput p" + p);
        return (System.nanoTime() - t0) / 1e9;
    }

    private static Map<Long, float[]> collect(KeyedScoring scoring, int keys, int count) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DataStream<StepEvent> source = env.fromSource(new DataGeneratorSource<>(new SyntheticSteps(keys, 5), count,
                TypeInformation.of(StepEvent.class)), WatermarkStrategy.noWatermarks(), "steps").setParallelism(1);
        Map<Long, float[]> got = new HashMap<>();
        try (CloseableIterator<Prediction> it = scoring.apply(source).executeAndCollect()) {
            while (it.hasNext()) {
                Prediction p = it.next();
                got.put(p.seq(), p.output());
            }
        }
        return got;
    }

    /** Lines of the committed part files (in-progress and pending files start with a dot). */
    private static List<String> committedLines(Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().startsWith(".")).toList()) {
                lines.addAll(Files.readAllLines(f));
            }
        }
        return lines;
    }

    private static float[] values(String line) {
        String[] v = line.substring(line.lastIndexOf(',') + 1).split(" ");
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = Float.parseFloat(v[i]);
        }
        return f;
    }

    /** Fails the job once, after {@code after} predictions and at least two completed checkpoints. */
    static final class FailOnce extends RichMapFunction<Prediction, Prediction> implements CheckpointListener {
        private static final long serialVersionUID = 1L;
        static final AtomicBoolean FAILED = new AtomicBoolean();
        private final int after;
        private transient int seen;
        private transient int checkpoints;

        FailOnce(int after) {
            this.after = after;
        }

        @Override
        public Prediction map(Prediction p) {
            if (++seen >= after / 2 && checkpoints >= 2 && getRuntimeContext().getTaskInfo().getAttemptNumber() == 0
                    && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure after " + seen + " predictions");
            }
            return p;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            checkpoints++;
        }
    }
}
