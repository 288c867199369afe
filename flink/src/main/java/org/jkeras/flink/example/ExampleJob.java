package org.jkeras.flink.example;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;
import org.jkeras.flink.InvalidEvent;
import org.jkeras.flink.KeyedScoring;
import org.jkeras.flink.ModelSpec;
import org.jkeras.flink.Prediction;
import org.jkeras.flink.StepEvent;

/**
 * The example job: time steps from a generator ({@link SyntheticSteps}) or from a text file, scored
 * per key with a Keras model, predictions written to a directory as text lines
 * ({@link Prediction#toLine()}), exactly once (files are committed at checkpoints). Runs in a local
 * Flink inside this JVM, or on a cluster when submitted with {@code flink run}.
 *
 * <pre>
 * --model FILE        .keras or .h5 model (default: the airline forecaster of test-fixtures)
 * --model-version V   its version name, written in every prediction (default v1)
 * --out DIR           where the prediction files go (default: flink/target/example-out)
 * --input FILE        lines "key,seq,v0 v1 ...[,reset]" ([time, features] row-major); else a generator:
 * --keys N --events N generated events (default 10000 keys, 200000 events)
 * --parallelism N     (default 2)    --micro-batch N  batch up to N keys per step (default 1)
 * </pre>
 */
public final class ExampleJob {
    private ExampleJob() {
    }

    /** Runs the job; see the class comment for the options. */
    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        Path model = Path.of(o.getOrDefault("model", "test-fixtures/fixtures/models/airline_lstm/sequential/model.keras"));
        String out = o.getOrDefault("out", "flink/target/example-out");
        int parallelism = Integer.parseInt(o.getOrDefault("parallelism", "2"));
        int microBatch = Integer.parseInt(o.getOrDefault("micro-batch", "1"));
        ModelSpec spec = ModelSpec.ofFile(model, o.getOrDefault("model-version", "v1"));
        int features = KeyedFeatures.of(model);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        env.enableCheckpointing(1000); // the file sink commits what it wrote at each checkpoint
        DataStream<StepEvent> events;
        if (o.containsKey("input")) {
            events = env.fromSource(FileSource.forRecordStreamFormat(new TextLineInputFormat(),
                            new org.apache.flink.core.fs.Path(o.get("input"))).build(),
                    WatermarkStrategy.noWatermarks(), "steps file").setParallelism(1)
                    .map(ExampleJob::parse).returns(TypeInformation.of(StepEvent.class)).setParallelism(1);
        } else {
            int keys = Integer.parseInt(o.getOrDefault("keys", "10000"));
            long count = Long.parseLong(o.getOrDefault("events", "200000"));
            events = env.fromSource(new DataGeneratorSource<>(new SyntheticSteps(keys, features), count,
                            TypeInformation.of(StepEvent.class)), WatermarkStrategy.noWatermarks(), "synthetic steps")
                    .setParallelism(1); // one source keeps each key's events in order
        }
        KeyedScoring scoring = KeyedScoring.of(spec).stateTtl(Duration.ofHours(1));
        if (microBatch > 1) {
            scoring.microBatch(microBatch, Duration.ofMillis(5));
        }
        SingleOutputStreamOperator<Prediction> predictions = scoring.apply(events);
        predictions.map(Prediction::toLine).returns(Types.STRING)
                .sinkTo(FileSink.forRowFormat(new org.apache.flink.core.fs.Path(out), new SimpleStringEncoder<String>())
                        .withRollingPolicy(OnCheckpointRollingPolicy.build()).build());
        predictions.getSideOutput(KeyedScoring.INVALID).map(InvalidEvent::toString).returns(Types.STRING).print("invalid");
        long t0 = System.nanoTime();
        env.execute("jkeras keyed scoring example");
        System.out.printf("scored in %.1f s with %s; predictions in %s%n", (System.nanoTime() - t0) / 1e9, spec, out);
    }

    /** {@code key,seq,v0 v1 ...[,reset]}. */
    static StepEvent parse(String line) {
        String[] f = line.split(",", -1);
        if (f.length < 3 || f.length > 4) {
            throw new IllegalArgumentException("expected key,seq,values[,reset], got: " + line);
        }
        String[] v = f[2].isBlank() ? new String[0] : f[2].trim().split("\\s+");
        float[] x = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            x[i] = Float.parseFloat(v[i]);
        }
        return new StepEvent(f[0], Long.parseLong(f[1]), x, f.length == 4 && f[3].trim().equals("reset"));
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("options are --name value pairs, got " + String.join(" ", args));
            }
            o.put(args[i].substring(2), args[i + 1]);
        }
        return o;
    }

    /** The model's feature count, read on the client to size the generator. */
    private static final class KeyedFeatures {
        static int of(Path model) {
            return org.jkeras.keras.KerasModels.load(model).inputShapes().get(0).dim(2);
        }
    }
}
