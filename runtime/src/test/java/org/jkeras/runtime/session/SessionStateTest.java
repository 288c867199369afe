package org.jkeras.runtime.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/** The value type and its binary form: round trips, stacking, and refusal of malformed bytes. */
class SessionStateTest {
    private static final SessionState LSTM_THEN_GRU = new SessionState(true, 2, List.of(
            new SessionState.LayerState("lstm", 3, new float[][] {{1, 2, 3, 4, 5, 6}, {-1, -2, -3, -4, -5, -6}}),
            new SessionState.LayerState("gru_é", 1, new float[][] {{0.5f, Float.MIN_VALUE}})));

    @Test
    void encodeThenDecodeGivesTheSameStateBitForBit() {
        byte[] bytes = LSTM_THEN_GRU.encode();
        SessionState back = SessionState.decode(bytes);
        assertEquals(LSTM_THEN_GRU, back);
        assertArrayEquals(new float[] {-1, -2, -3, -4, -5, -6}, back.layers().get(0).state(1));
        assertEquals("gru_é", back.layers().get(1).name());
        assertTrue(back.streaming());
        // header 16 + per layer (2 + name + 4 + 1 + floats) + crc 4
        assertEquals(16 + (2 + 4 + 4 + 1 + 48) + (2 + 6 + 4 + 1 + 8) + 4, bytes.length);
    }

    @Test
    void aZeroStateHasBatchZeroAndEmptyArrays() {
        SessionState zero = new SessionState(false, 0, List.of(new SessionState.LayerState("lstm", 4, new float[2][0])));
        SessionState back = SessionState.decode(zero.encode());
        assertEquals(zero, back);
        assertEquals(0, back.batch());
        assertEquals(zero, back.row(0));
    }

    @Test
    void arraysAreCopiedInAndOut() {
        float[] h = {1, 2};
        SessionState.LayerState l = new SessionState.LayerState("rnn", 2, new float[][] {h});
        h[0] = 9;
        float[] out = l.state(0);
        out[1] = 9;
        assertArrayEquals(new float[] {1, 2}, l.state(0));
        assertNotSame(l.state(0), l.state(0));
    }

    @Test
    void stackJoinsStreamsAsRowsAndRowSplitsThemAgain() {
        SessionState a = LSTM_THEN_GRU.row(0);
        SessionState b = LSTM_THEN_GRU.row(1);
        assertArrayEquals(new float[] {4, 5, 6}, b.layers().get(0).state(0));
        SessionState zero = new SessionState(true, 0, List.of(
                new SessionState.LayerState("lstm", 3, new float[2][0]), new SessionState.LayerState("gru_é", 1, new float[1][0])));
        SessionState stacked = SessionState.stack(List.of(b, zero, a));
        assertEquals(3, stacked.batch());
        assertArrayEquals(new float[] {4, 5, 6, 0, 0, 0, 1, 2, 3}, stacked.layers().get(0).state(0));
        assertArrayEquals(new float[] {Float.MIN_VALUE, 0, 0.5f}, stacked.layers().get(1).state(0));
        assertEquals(a, stacked.row(2));
        assertEquals(SessionState.stack(List.of(a, b)), LSTM_THEN_GRU);
    }

    @Test
    void stackRefusesStatesOfAnotherModelNamingTheLayer() {
        SessionState other = new SessionState(true, 1, List.of(
                new SessionState.LayerState("lstm", 3, new float[2][3]), new SessionState.LayerState("dense_gru", 1, new float[1][1])));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SessionState.stack(List.of(LSTM_THEN_GRU.row(0), other)));
        assertEquals("stacked state is for another model: carried layer 2 is 'dense_gru' there but 'gru_é' here", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SessionState.stack(List.of(LSTM_THEN_GRU)));
    }

    @Test
    void aStateWhoseArraysDoNotFitTheBatchIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SessionState(true, 2,
                List.of(new SessionState.LayerState("lstm", 3, new float[][] {new float[6], new float[5]}))));
        assertEquals("layer 'lstm' state 1 holds 5 values, expected batch 2 x 3 units = 6", e.getMessage());
    }

    @Test
    void malformedBytesAreRefusedWithTheReason() {
        byte[] good = LSTM_THEN_GRU.encode();
        assertRefused(new byte[3], "only 3 bytes, the header alone needs 20");
        assertRefused(patch(good, 0, (byte) 'X'), "they do not start with the magic \"JKSS\"");
        assertRefused(patch(good, 5, (byte) 2), "format version 2; this jkeras reads version 1");
        assertRefused(patch(good, 6, (byte) 4), "unknown flags 0x4 / reserved byte 0");
        byte[] flipped = good.clone();
        flipped[40] ^= 1;
        assertRefused(flipped, "the CRC-32 does not match (corrupted or truncated, " + good.length + " bytes)");
        assertRefused(Arrays.copyOf(good, good.length - 1), "the CRC-32 does not match (corrupted or truncated, "
                + (good.length - 1) + " bytes)");
        // a consistent CRC over lying counts: each bounded before anything is allocated
        assertRefused(withCrc(patchInt(good, 8, Integer.MAX_VALUE)), "batch is 2147483647, expected 0 to 1048576");
        assertRefused(withCrc(patchInt(good, 12, -1)), "layer count is -1, expected 0 to 4096");
        assertRefused(withCrc(patchInt(good, 12, 3)), "they end inside a layer entry");
        assertRefused(withCrc(patchInt(good, 8, 1 << 20)),
                "layer 'lstm' states (2 x batch 1048576 x 3 units) need 25165824 bytes but only 69 are left");
        assertRefused(withCrc(patchInt(good, 12, 1)), "21 unexpected bytes after the last layer");
        assertRefused(withCrc(patch(good, 18, (byte) 0xff)), "layer 0 name is not valid UTF-8");
        assertRefused(withCrc(patch(good, 17, (byte) 0)), "layer 0 name length is 0, expected 1 to 1024");
        assertRefused(withCrc(patchInt(good, 22, 0)), "layer 'lstm' units is 0, expected 1 to 1048576");
        assertRefused(withCrc(patch(good, 26, (byte) 0)), "layer 'lstm' state count is 0, expected 1 to 8");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SessionState.decode(null));
        assertEquals("session state bytes are null", e.getMessage());
    }

    private static void assertRefused(byte[] bytes, String why) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SessionState.decode(bytes));
        assertEquals("not a valid jkeras session state: " + why, e.getMessage());
    }

    private static byte[] patch(byte[] b, int at, byte v) {
        byte[] c = b.clone();
        c[at] = v;
        return c;
    }

    private static byte[] patchInt(byte[] b, int at, int v) {
        byte[] c = b.clone();
        ByteBuffer.wrap(c).putInt(at, v);
        return c;
    }

    /** The bytes with their CRC recomputed, so the decoder's other checks are reached. */
    private static byte[] withCrc(byte[] b) {
        CRC32 crc = new CRC32();
        crc.update(b, 0, b.length - 4);
        ByteBuffer.wrap(b).putInt(b.length - 4, (int) crc.getValue());
        return b;
    }
}
