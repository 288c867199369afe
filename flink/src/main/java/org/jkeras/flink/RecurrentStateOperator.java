package org.jkeras.flink;

import java.io.Serial;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.session.Session;
import org.jkeras.runtime.session.SessionState;

/**
 * The keyed operator behind {@link KeyedScoring}: per key a {@link KeyState} in Flink keyed state,
 * one shared {@link Model} per JVM, one reusable {@link Session} per operator instance into which
 * each key's state is imported before its steps and from which it is exported after.
 *
 * <p>Why an operator and not a {@code KeyedProcessFunction}: micro-batching steps keys that arrive
 * close together as one batch (rows of different keys), so events wait in an in-memory buffer; the
 * buffer is flushed in {@link #prepareSnapshotPreBarrier}, before the checkpoint barrier passes, so
 * no checkpoint ever holds an event that was read but not applied to keyed state, which keeps
 * exactly-once. A process function has no hook before the barrier. With a batch of 1 every event
 * is applied as it arrives.
 *
 * <p>Within a flush each key's events are applied in arrival order: a round takes at most one event
 * per key, rounds follow each other, and a round's events are grouped by their number of time steps
 * (a batch needs one length).
 */
final class RecurrentStateOperator extends AbstractStreamOperator<Prediction>
        implements OneInputStreamOperator<StepEvent, Prediction> {
    @Serial
    private static final long serialVersionUID = 1L;

    private final ModelSpec spec;
    private final int maxBatch;
    private final long maxDelayMillis;
    private final Duration ttl; // null: keys never expire
    private final ModelSwap swap;
    private final OutputTag<InvalidEvent> invalid;

    private transient Session session;
    private transient SessionState zero;
    private transient int features;
    private transient ValueState<KeyState> state;
    private transient List<StepEvent> buffer;
    private transient boolean timerSet;
    private transient Counter dropped;
    private transient Counter predictions;

    RecurrentStateOperator(ModelSpec spec, int maxBatch, Duration maxDelay, Duration ttl, ModelSwap swap,
                           OutputTag<InvalidEvent> invalid) {
        this.spec = spec;
        this.maxBatch = maxBatch;
        this.maxDelayMillis = maxDelay.toMillis();
        this.ttl = ttl;
        this.swap = swap;
        this.invalid = invalid;
    }

    @Override
    public void open() throws Exception {
        super.open();
        Model model = SharedModels.get(spec);
        if (model.inputShapes().size() != 1 || model.outputShapes().size() != 1 || model.inputShapes().get(0).rank() != 3) {
            throw new IllegalArgumentException(spec + ": keyed scoring takes models with one [batch, time, features]"
                    + " input and one output, this one has inputs " + model.inputShapes() + " and outputs "
                    + model.outputShapes());
        }
        Shape in = model.inputShapes().get(0);
        if (in.dim(2) < 1) {
            throw new IllegalArgumentException(spec + ": the input's feature count is not fixed: " + in);
        }
        features = in.dim(2);
        session = Session.streaming(model); // refuses models that cannot be fed in pieces of time, naming the layer
        zero = session.exportState();
        ValueStateDescriptor<KeyState> d = new ValueStateDescriptor<>("jkeras-session-state", KeyStateSerializer.INSTANCE);
        if (ttl != null) {
            d.enableTimeToLive(StateTtlConfig.newBuilder(ttl)
                    .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                    .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                    .build());
        }
        state = getPartitionedState(d);
        buffer = new ArrayList<>();
        dropped = getMetricGroup().counter("jkerasStatesDropped");
        predictions = getMetricGroup().counter("jkerasPredictions");
    }

    @Override
    public void processElement(StreamRecord<StepEvent> record) throws Exception {
        StepEvent e = record.getValue();
        String why = problem(e);
        if (why != null) {
            output.collect(invalid, new StreamRecord<>(new InvalidEvent(e, why)));
            return;
        }
        buffer.add(e);
        if (buffer.size() >= maxBatch) {
            flush();
        } else if (!timerSet && maxDelayMillis > 0) {
            timerSet = true;
            var time = getProcessingTimeService();
            time.registerTimer(time.getCurrentProcessingTime() + maxDelayMillis, t -> {
                timerSet = false;
                flush();
            });
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush(); // nothing read stays unapplied across a checkpoint
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }

    private String problem(StepEvent e) {
        if (e.key() == null) {
            return "the event has no key";
        }
        if (e.steps() == null) {
            return "the event has no steps array";
        }
        if (e.steps().length % features != 0) {
            return "the event has " + e.steps().length + " values, not a whole number of time steps of "
                    + features + " features";
        }
        if (e.steps().length == 0 && !e.reset()) {
            return "the event has no time steps and is no reset";
        }
        return null;
    }

    private void flush() {
        List<StepEvent> pending = buffer;
        if (pending.isEmpty()) {
            return;
        }
        buffer = new ArrayList<>();
        while (!pending.isEmpty()) {
            Set<String> taken = new HashSet<>();
            List<StepEvent> later = new ArrayList<>();
            Map<Integer, List<StepEvent>> byLength = new LinkedHashMap<>();
            for (StepEvent e : pending) {
                if (!taken.add(e.key())) {
                    later.add(e); // the key's next event waits for the next round
                    continue;
                }
                if (e.reset()) {
                    setCurrentKey(e.key());
                    state.clear();
                }
                if (e.steps().length > 0) {
                    byLength.computeIfAbsent(e.steps().length / features, k -> new ArrayList<>()).add(e);
                }
            }
            for (Map.Entry<Integer, List<StepEvent>> g : byLength.entrySet()) {
                List<StepEvent> events = g.getValue();
                for (int from = 0; from < events.size(); from += maxBatch) {
                    step(events.subList(from, Math.min(events.size(), from + maxBatch)), g.getKey());
                }
            }
            pending = later;
        }
    }

    /** Feeds one batch: every event a different key, each with {@code steps} time steps. */
    private void step(List<StepEvent> events, int steps) {
        int n = events.size();
        List<SessionState> parts = new ArrayList<>(n);
        for (StepEvent e : events) {
            setCurrentKey(e.key());
            parts.add(current(stateValue()));
        }
        int stride = steps * features;
        float[] x = new float[n * stride];
        for (int i = 0; i < n; i++) {
            System.arraycopy(events.get(i).steps(), 0, x, i * stride, stride);
        }
        Tensor y;
        try {
            session.importState(n == 1 ? parts.get(0) : SessionState.stack(parts));
            y = session.predict(Tensor.wrap(x, n, steps, features));
        } catch (RuntimeException ex) {
            if (n > 1) { // one event's values are bad (e.g. an Embedding index): find it, apply the others
                for (StepEvent e : events) {
                    step(List.of(e), steps);
                }
            } else {
                output.collect(invalid, new StreamRecord<>(new InvalidEvent(events.get(0), ex.getMessage())));
            }
            return;
        }
        SessionState after = session.exportState();
        int row = y.size() / n;
        for (int i = 0; i < n; i++) {
            StepEvent e = events.get(i);
            setCurrentKey(e.key());
            updateState(new KeyState(spec.version(), n == 1 ? after : after.row(i)));
            output.collect(new StreamRecord<>(new Prediction(e.key(), e.seq(), spec.version(),
                    Arrays.copyOfRange(y.data(), i * row, (i + 1) * row))));
        }
        predictions.inc(n);
    }

    /** The key's state to continue from under this model version, by the {@link ModelSwap} rule. */
    private SessionState current(KeyState stored) {
        if (stored == null) {
            return zero;
        }
        if (stored.modelVersion().equals(spec.version())) {
            return stored.state();
        }
        if (swap == ModelSwap.KEEP_IF_COMPATIBLE) {
            try {
                session.importState(stored.state()); // the layout check; overwritten before the next predict
                return stored.state();
            } catch (IllegalArgumentException incompatible) {
                // fall through: drop
            }
        }
        dropped.inc();
        return zero;
    }

    private KeyState stateValue() {
        try {
            return state.value();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void updateState(KeyState s) {
        try {
            state.update(s);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
