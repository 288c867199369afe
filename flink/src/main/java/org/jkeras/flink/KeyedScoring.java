package org.jkeras.flink;

import java.time.Duration;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.OutputTag;

/**
 * Scores keyed streams of time steps with a Keras recurrent model inside a Flink job: each key is
 * one stream whose recurrent state (h, and c for LSTM, of every recurrent layer) lives in Flink
 * keyed state, so it is checkpointed, restored exactly once after a failure, rescaled with the job,
 * and expires when the key goes quiet. Each {@link StepEvent} yields one {@link Prediction}: exactly
 * what a jkeras {@code Session.streaming} fed that key's steps would return.
 *
 * <pre>{@code
 * DataStream<Prediction> out = KeyedScoring.of(ModelSpec.ofPath("/models/sensor.keras", "v3"))
 *         .microBatch(64, Duration.ofMillis(5))   // optional: step keys that arrive together as one batch
 *         .stateTtl(Duration.ofDays(7))           // forget keys silent for a week
 *         .apply(events);
 * DataStream<InvalidEvent> bad = ((SingleOutputStreamOperator<Prediction>) out).getSideOutput(KeyedScoring.INVALID);
 * }</pre>
 *
 * The model is loaded once per task manager JVM and shared by every slot and key; per key only
 * the state is kept (a few hundred bytes for a 32-unit LSTM). The operator's uid is
 * {@value #UID}: keep it when restoring a savepoint, or keyed state is not found.
 */
public final class KeyedScoring {
    /** Events that could not be fed (wrong number of values, no key ...), with the reason. */
    public static final OutputTag<InvalidEvent> INVALID =
            new OutputTag<>("jkeras-invalid-events", TypeInformation.of(InvalidEvent.class));
    /** The operator's uid, stable across model versions so keyed state survives a model swap. */
    public static final String UID = "jkeras-keyed-scoring";

    private final ModelSpec spec;
    private int maxBatch = 1;
    private Duration maxDelay = Duration.ZERO;
    private Duration ttl;
    private ModelSwap swap = ModelSwap.KEEP_IF_COMPATIBLE;

    private KeyedScoring(ModelSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
    }

    /** Scoring with the given model; by default every event is applied as it arrives, keys never expire. */
    public static KeyedScoring of(ModelSpec spec) {
        return new KeyedScoring(spec);
    }

    /**
     * Steps up to {@code maxBatch} events of different keys (with the same number of time steps) as
     * one batch, waiting at most {@code maxDelay} for a batch to fill (events also never wait across
     * a checkpoint). Results are those of one event at a time, within float rounding of the batched
     * kernels.
     */
    public KeyedScoring microBatch(int maxBatch, Duration maxDelay) {
        if (maxBatch < 1 || maxBatch > 1 << 16) {
            throw new IllegalArgumentException("maxBatch must be 1 to 65536, got " + maxBatch);
        }
        if (maxDelay.isNegative() || (maxBatch > 1 && maxDelay.isZero())) {
            throw new IllegalArgumentException("a micro-batch needs a positive maxDelay, got " + maxDelay);
        }
        this.maxBatch = maxBatch;
        this.maxDelay = maxDelay;
        return this;
    }

    /** Drops a key's state when no event has written it for {@code ttl} (processing time). */
    public KeyedScoring stateTtl(Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("the state TTL must be positive, got " + ttl);
        }
        this.ttl = ttl;
        return this;
    }

    /** What to do with states written by another model version (default {@link ModelSwap#KEEP_IF_COMPATIBLE}). */
    public KeyedScoring modelSwap(ModelSwap rule) {
        this.swap = Objects.requireNonNull(rule, "rule");
        return this;
    }

    /** Keys {@code events} by {@link StepEvent#key()} and scores them; invalid events go to {@link #INVALID}. */
    public SingleOutputStreamOperator<Prediction> apply(DataStream<StepEvent> events) {
        return events.keyBy(StepEvent::key, Types.STRING)
                .transform("jkeras " + spec.version(), TypeInformation.of(Prediction.class), operator())
                .uid(UID);
    }

    /** The operator with these settings (for tests in Flink's operator harness). */
    RecurrentStateOperator operator() {
        return new RecurrentStateOperator(spec, maxBatch, maxDelay, ttl, swap, INVALID);
    }
}
