package org.jkeras.runtime.session;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The binary form of a {@link SessionState}, big-endian:
 *
 * <pre>
 * magic    4 bytes  "JKSS"
 * version  u16      {@link #VERSION}
 * flags    u8       bit 0: streaming session; other bits 0
 * reserved u8       0
 * batch    i32      0 (all-zero state) .. {@link #MAX_BATCH}
 * layers   i32      0 .. {@link #MAX_LAYERS}
 * per layer:
 *   name length u16 1 .. {@link #MAX_NAME_BYTES}, then the name in UTF-8
 *   units       i32 1 .. {@link #MAX_UNITS}
 *   states      u8  1 .. {@link #MAX_STATES_PER_LAYER}
 *   states x batch x units float32 values
 * crc32    i32      CRC-32 of every byte before it
 * </pre>
 *
 * Decoding bounds every count before it allocates (no array larger than the bytes left can hold
 * is made), checks the CRC, and refuses trailing bytes.
 */
final class SessionStateCodec {
    static final int VERSION = 1;
    static final int MAX_BATCH = 1 << 20;
    static final int MAX_LAYERS = 4096;
    static final int MAX_NAME_BYTES = 1024;
    static final int MAX_UNITS = 1 << 20;
    static final int MAX_STATES_PER_LAYER = 8;
    private static final int MAGIC = 0x4A4B5353; // "JKSS"
    private static final int HEADER_BYTES = 16;
    private static final int CRC_BYTES = 4;

    private SessionStateCodec() {
    }

    static byte[] encode(SessionState s) {
        List<byte[]> names = new ArrayList<>(s.layers().size());
        long size = HEADER_BYTES + CRC_BYTES;
        for (SessionState.LayerState l : s.layers()) {
            byte[] name = l.name().getBytes(StandardCharsets.UTF_8);
            if (name.length < 1 || name.length > MAX_NAME_BYTES) {
                throw new IllegalArgumentException("layer name '" + l.name() + "' must be 1 to " + MAX_NAME_BYTES
                        + " UTF-8 bytes to be encoded, is " + name.length);
            }
            names.add(name);
            size += 2 + name.length + 4 + 1 + 4L * l.stateCount() * s.batch() * l.units();
        }
        if (s.batch() > MAX_BATCH || s.layers().size() > MAX_LAYERS || size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("session state too large to encode: " + s);
        }
        ByteBuffer b = ByteBuffer.allocate((int) size).order(ByteOrder.BIG_ENDIAN);
        b.putInt(MAGIC).putShort((short) VERSION).put((byte) (s.streaming() ? 1 : 0)).put((byte) 0);
        b.putInt(s.batch()).putInt(s.layers().size());
        for (int k = 0; k < names.size(); k++) {
            SessionState.LayerState l = s.layers().get(k);
            if (l.units() > MAX_UNITS) {
                throw new IllegalArgumentException("layer '" + l.name() + "' has " + l.units()
                        + " units, more than the " + MAX_UNITS + " the format holds");
            }
            b.putShort((short) names.get(k).length).put(names.get(k)).putInt(l.units()).put((byte) l.stateCount());
            for (int i = 0; i < l.stateCount(); i++) {
                float[] v = l.stateView(i);
                b.asFloatBuffer().put(v);
                b.position(b.position() + 4 * v.length);
            }
        }
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        return b.array();
    }

    static SessionState decode(byte[] bytes) {
        if (bytes == null) {
            throw new IllegalArgumentException("session state bytes are null");
        }
        if (bytes.length < HEADER_BYTES + CRC_BYTES) {
            throw bad("only " + bytes.length + " bytes, the header alone needs " + (HEADER_BYTES + CRC_BYTES));
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        if (b.getInt() != MAGIC) {
            throw bad("they do not start with the magic \"JKSS\"");
        }
        int version = Short.toUnsignedInt(b.getShort());
        if (version != VERSION) {
            throw bad("format version " + version + "; this jkeras reads version " + VERSION);
        }
        int flags = Byte.toUnsignedInt(b.get());
        int reserved = Byte.toUnsignedInt(b.get());
        if ((flags & ~1) != 0 || reserved != 0) {
            throw bad("unknown flags 0x" + Integer.toHexString(flags) + " / reserved byte " + reserved);
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - CRC_BYTES);
        int stored = ByteBuffer.wrap(bytes, bytes.length - CRC_BYTES, CRC_BYTES).getInt();
        if (stored != (int) crc.getValue()) {
            throw bad("the CRC-32 does not match (corrupted or truncated, " + bytes.length + " bytes)");
        }
        int batch = bounded(b.getInt(), 0, MAX_BATCH, "batch");
        int count = bounded(b.getInt(), 0, MAX_LAYERS, "layer count");
        int end = bytes.length - CRC_BYTES;
        b.limit(end); // a field running into the CRC is a truncation
        List<SessionState.LayerState> layers = new ArrayList<>(Math.min(count, 64));
        try {
            for (int k = 0; k < count; k++) {
                int nameLength = bounded(Short.toUnsignedInt(b.getShort()), 1, MAX_NAME_BYTES, "layer " + k + " name length");
                need(b, end, nameLength, "layer " + k + " name");
                String name = utf8(bytes, b.position(), nameLength, k);
                b.position(b.position() + nameLength);
                int units = bounded(b.getInt(), 1, MAX_UNITS, "layer '" + name + "' units");
                int stateCount = bounded(Byte.toUnsignedInt(b.get()), 1, MAX_STATES_PER_LAYER, "layer '" + name + "' state count");
                long values = (long) batch * units;
                need(b, end, 4L * values * stateCount, "layer '" + name + "' states (" + stateCount + " x batch " + batch
                        + " x " + units + " units)");
                float[][] s = new float[stateCount][(int) values];
                for (float[] v : s) {
                    b.asFloatBuffer().get(v);
                    b.position(b.position() + 4 * v.length);
                }
                layers.add(new SessionState.LayerState(name, units, s, false));
            }
        } catch (BufferUnderflowException e) {
            throw bad("they end inside a layer entry");
        }
        if (b.position() != end) {
            throw bad((end - b.position()) + " unexpected bytes after the last layer");
        }
        return new SessionState((flags & 1) != 0, batch, layers);
    }

    private static int bounded(int v, int min, int max, String what) {
        if (v < min || v > max) {
            throw bad(what + " is " + v + ", expected " + min + " to " + max);
        }
        return v;
    }

    private static void need(ByteBuffer b, int end, long n, String what) {
        if (n > end - b.position()) {
            throw bad(what + " need " + n + " bytes but only " + Math.max(0, end - b.position()) + " are left");
        }
    }

    private static String utf8(byte[] bytes, int offset, int length, int k) {
        try {
            CharBuffer c = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length));
            return c.toString();
        } catch (CharacterCodingException e) {
            throw bad("layer " + k + " name is not valid UTF-8");
        }
    }

    private static IllegalArgumentException bad(String why) {
        return new IllegalArgumentException("not a valid jkeras session state: " + why);
    }
}
