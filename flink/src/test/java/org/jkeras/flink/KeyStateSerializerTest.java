package org.jkeras.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.jkeras.runtime.session.SessionState;
import org.junit.jupiter.api.Test;

/** The keyed-state serializer: round trips, copies between views, refuses corrupted bytes. */
class KeyStateSerializerTest {
    private static final KeyState STATE = new KeyState("v7", new SessionState(true, 1, List.of(
            new SessionState.LayerState("lstm", 2, new float[][] {{0.25f, -1}, {3, 4}}))));

    @Test
    void serializeThenDeserializeGivesTheSameState() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        KeyStateSerializer.INSTANCE.serialize(STATE, out);
        KeyState back = KeyStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertEquals(STATE, back);
        DataOutputSerializer copy = new DataOutputSerializer(64);
        KeyStateSerializer.INSTANCE.copy(new DataInputDeserializer(out.getCopyOfBuffer()), copy);
        assertEquals(STATE, KeyStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(copy.getCopyOfBuffer())));
    }

    @Test
    void corruptedStateIsRefusedWithTheReason() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        KeyStateSerializer.INSTANCE.serialize(STATE, out);
        byte[] b = out.getCopyOfBuffer();
        b[b.length - 10] ^= 1; // inside the floats
        IOException e = assertThrows(IOException.class,
                () -> KeyStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(b)));
        assertTrue(e.getMessage().startsWith("jkeras key state of model v7: not a valid jkeras session state: the CRC-32"
                + " does not match"), e.getMessage());
        byte[] layout = out.getCopyOfBuffer();
        layout[0] = 9;
        e = assertThrows(IOException.class, () -> KeyStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(layout)));
        assertEquals("jkeras key state: unknown layout 9 (this jkeras reads 1)", e.getMessage());
    }

    @Test
    void theSnapshotRestoresACompatibleSerializer() {
        var snapshot = KeyStateSerializer.INSTANCE.snapshotConfiguration();
        TypeSerializerSchemaCompatibility<KeyState> c = snapshot.resolveSchemaCompatibility(
                KeyStateSerializer.INSTANCE.snapshotConfiguration());
        assertTrue(c.isCompatibleAsIs());
        assertEquals(KeyStateSerializer.INSTANCE, snapshot.restoreSerializer());
    }

    @Test
    void eventsAndPredictionsTravelAsPojosNotThroughKryo() {
        assertInstanceOf(PojoTypeInfo.class, TypeInformation.of(StepEvent.class));
        assertInstanceOf(PojoTypeInfo.class, TypeInformation.of(Prediction.class));
    }
}
