package org.jkeras.flink;

import java.io.IOException;
import java.io.Serial;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.jkeras.runtime.session.SessionState;

/**
 * Flink's serializer for {@link KeyState}, so per-key recurrent state lives in any state backend
 * (heap or RocksDB) and in checkpoints and savepoints in jkeras's own versioned binary form, never
 * through Kryo. Layout: a layout byte ({@value #LAYOUT}), the model version (modified UTF-8), the
 * length of the {@link SessionState#encode()} bytes and those bytes, which carry
 * {@link SessionState#FORMAT_VERSION} and a CRC: a state written by an older jkeras is read by the
 * decoder of its format version, a corrupted one is refused with the reason rather than resumed.
 */
public final class KeyStateSerializer extends TypeSerializerSingleton<KeyState> {
    @Serial
    private static final long serialVersionUID = 1L;
    /** The shared instance. */
    public static final KeyStateSerializer INSTANCE = new KeyStateSerializer();
    static final int LAYOUT = 1;
    /** A key's state is a few KiB; anything near this is a corrupted length, not a state. */
    static final int MAX_STATE_BYTES = 64 << 20;

    private KeyStateSerializer() {
    }

    @Override
    public boolean isImmutableType() {
        return true; // KeyState and SessionState are immutable: Flink may share instead of copying
    }

    @Override
    public KeyState createInstance() {
        return null;
    }

    @Override
    public KeyState copy(KeyState from) {
        return from;
    }

    @Override
    public KeyState copy(KeyState from, KeyState reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(KeyState record, DataOutputView target) throws IOException {
        byte[] bytes = record.state().encode();
        target.writeByte(LAYOUT);
        target.writeUTF(record.modelVersion());
        target.writeInt(bytes.length);
        target.write(bytes);
    }

    @Override
    public KeyState deserialize(DataInputView source) throws IOException {
        int layout = source.readUnsignedByte();
        if (layout != LAYOUT) {
            throw new IOException("jkeras key state: unknown layout " + layout + " (this jkeras reads " + LAYOUT + ")");
        }
        String version = source.readUTF();
        byte[] bytes = new byte[length(source.readInt())];
        source.readFully(bytes);
        try {
            return new KeyState(version, SessionState.decode(bytes));
        } catch (IllegalArgumentException e) {
            throw new IOException("jkeras key state of model " + version + ": " + e.getMessage(), e);
        }
    }

    @Override
    public KeyState deserialize(KeyState reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        target.writeByte(source.readUnsignedByte());
        target.writeUTF(source.readUTF());
        int n = length(source.readInt());
        target.writeInt(n);
        target.write(source, n);
    }

    private static int length(int n) throws IOException {
        if (n < 0 || n > MAX_STATE_BYTES) {
            throw new IOException("jkeras key state: a session state of " + n + " bytes (expected 0 to "
                    + MAX_STATE_BYTES + ")");
        }
        return n;
    }

    @Override
    public TypeSerializerSnapshot<KeyState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer's snapshot in checkpoints; the layout and format versions travel in the data. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<KeyState> {
        /** For Flink's reflective restore. */
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
