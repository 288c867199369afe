package org.jkeras.cli.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jkeras.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .npy reader and writer against files written by NumPy itself: the resources beside this
 * class come from {@code src/test/resources/org/jkeras/cli/io/make_npy.py} (NumPy 2.4), whose
 * comments give each array's values, stated literally below.
 */
class NpyTest {
    @TempDir
    Path tmp;

    private static Tensor resource(String name) throws IOException {
        try (InputStream in = NpyTest.class.getResourceAsStream(name)) {
            return Npy.read(in, name);
        }
    }

    private static byte[] resourceBytes(String name) throws IOException {
        try (InputStream in = NpyTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void readsNumpyFloat32() throws IOException {
        Tensor t = resource("f4_2x3.npy");
        assertArrayEquals(new int[] {2, 3}, t.shape());
        assertArrayEquals(new float[] {-1f, -0.5f, 0f, 0.5f, 1f, 1.5f}, t.data());
    }

    @Test
    void readsFromAPathLikeFromAStream() throws IOException {
        Path p = tmp.resolve("a.npy");
        Files.write(p, resourceBytes("f4_2x3.npy"));
        Tensor t = Npy.read(p);
        assertArrayEquals(new int[] {2, 3}, t.shape());
        assertArrayEquals(new float[] {-1f, -0.5f, 0f, 0.5f, 1f, 1.5f}, t.data());
    }

    @Test
    void writesExactlyTheBytesNumpySaveWrites() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, Tensor.of(new float[] {-1f, -0.5f, 0f, 0.5f, 1f, 1.5f}, 2, 3));
        assertArrayEquals(resourceBytes("f4_2x3.npy"), out.toByteArray());
    }

    @Test
    void writtenHeadersEndOnA64ByteBoundaryWithANewline() {
        for (int[] shape : new int[][] {{}, {7}, {2, 3}, {123456, 12, 1}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}}) {
            byte[] h = Npy.header(shape);
            assertEquals(0, h.length % 64, "header length for rank " + shape.length);
            assertEquals('\n', h[h.length - 1]);
        }
    }

    @Test
    void roundTripKeepsShapeAndEveryBit() throws IOException {
        float[] data = {Float.MIN_VALUE, -0f, Float.MAX_VALUE, Float.NEGATIVE_INFINITY, 1e-30f, 3.14159265f, 7f, -8f};
        Path p = tmp.resolve("r.npy");
        Npy.write(p, Tensor.of(data, 2, 1, 4));
        Tensor back = Npy.read(p);
        assertArrayEquals(new int[] {2, 1, 4}, back.shape());
        for (int i = 0; i < data.length; i++) {
            assertEquals(Float.floatToRawIntBits(data[i]), Float.floatToRawIntBits(back.data()[i]), "element " + i);
        }
    }

    @Test
    void roundTripOfALargeArrayCrossesBufferBoundaries() throws IOException {
        float[] data = new float[3 * 70_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = i * 0.25f;
        }
        Path p = tmp.resolve("big.npy");
        Npy.write(p, Tensor.of(data, 3, 70_000));
        assertArrayEquals(data, Npy.read(p).data());
    }

    @Test
    void float64FortranOrderIsConvertedAndTransposedToRowMajor() throws IOException {
        Tensor t = resource("f8_fortran_2x3.npy");
        assertArrayEquals(new int[] {2, 3}, t.shape());
        assertArrayEquals(new float[] {1.5f, 2f, 3f, 4f, 5f, 6.25f}, t.data());
    }

    @Test
    void int16FortranOrder3dComesBackRowMajor() throws IOException {
        Tensor t = resource("i2_fortran_2x3x4.npy");
        assertArrayEquals(new int[] {2, 3, 4}, t.shape());
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    assertEquals(12 * i + 4 * j + k, t.get(i, j, k), "element [" + i + "," + j + "," + k + "]");
                }
            }
        }
    }

    @Test
    void integersUpToTwoToThe24StayExact() throws IOException {
        assertArrayEquals(new float[] {-16777216f, -1f, 0f, 7f, 16777216f}, resource("i8_edges.npy").data());
    }

    @Test
    void integerBeyondTwoToThe24IsRefusedWithItsIndex() {
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> resource("i8_too_big.npy"));
        assertTrue(e.getMessage().contains("i8_too_big.npy"), e.getMessage());
        assertTrue(e.getMessage().contains("[1, 1]"), e.getMessage());
        assertTrue(e.getMessage().contains("16777217"), e.getMessage());
    }

    @Test
    void readsUint8BoolBigEndianAndFloat16() throws IOException {
        assertArrayEquals(new float[] {0f, 1f, 255f}, resource("u1.npy").data());
        assertArrayEquals(new float[] {1f, 0f, 1f}, resource("b1.npy").data());
        assertArrayEquals(new float[] {1.25f, -2f, 3.0e38f}, resource("f4_big_endian.npy").data());
        assertArrayEquals(new float[] {0.5f, -1f, 65504f}, resource("f2.npy").data());
    }

    @Test
    void readsScalarAndEmptyArrays() throws IOException {
        Tensor s = resource("f4_scalar.npy");
        assertEquals(0, s.rank());
        assertArrayEquals(new float[] {3.5f}, s.data());
        Tensor e = resource("f4_empty_0x3.npy");
        assertArrayEquals(new int[] {0, 3}, e.shape());
        assertEquals(0, e.size());
    }

    @Test
    void readsVersion2And3Headers() throws IOException {
        Tensor v2 = resource("i4_v2.npy");
        assertArrayEquals(new int[] {2, 2, 1}, v2.shape());
        assertArrayEquals(new float[] {1f, 2f, 3f, -4f}, v2.data());
        assertArrayEquals(new float[] {0.25f, 8f}, resource("f4_v3.npy").data());
    }

    @Test
    void structuredDtypeIsRefused() {
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> resource("structured.npy"));
        assertTrue(e.getMessage().contains("structured"), e.getMessage());
    }

    @Test
    void truncatedDataIsRefusedSayingHowManyBytesWereExpected() throws IOException {
        byte[] full = resourceBytes("f4_2x3.npy");
        byte[] cut = java.util.Arrays.copyOf(full, full.length - 1);
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> read(cut));
        assertTrue(e.getMessage().contains("needs 24 data bytes but the file holds 23"), e.getMessage());
    }

    @Test
    void trailingBytesAreRefused() throws IOException {
        byte[] full = resourceBytes("f4_2x3.npy");
        byte[] longer = java.util.Arrays.copyOf(full, full.length + 4);
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> read(longer));
        assertTrue(e.getMessage().contains("holds 28"), e.getMessage());
    }

    @Test
    void absurdShapeIsRefusedBeforeAllocating() {
        byte[] file = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000, 100000), }", 16);
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> read(file));
        assertTrue(e.getMessage().contains("too many"), e.getMessage());
        byte[] plausible = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (500000000,), }", 16);
        NpyFormatException e2 = assertThrows(NpyFormatException.class, () -> read(plausible));
        assertTrue(e2.getMessage().contains("needs 2000000000 data bytes but the file holds 16"), e2.getMessage());
    }

    @Test
    void pickledObjectArrayIsRefusedWithoutUnpickling() {
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> resource("object_pickled.npy"));
        assertTrue(e.getMessage().contains("'|O'"), e.getMessage());
    }

    @Test
    void oversizedHeaderLengthIsRefused() {
        ByteBuffer b = ByteBuffer.allocate(12 + 10).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0}).putInt(Integer.MAX_VALUE);
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> read(b.array()));
        assertTrue(e.getMessage().contains("header is 2147483647 bytes"), e.getMessage());
    }

    @Test
    void badMagicUnknownVersionAndUnsupportedDtypeAreRefused() {
        assertThrows(NpyFormatException.class, () -> read("not an array at all".getBytes(StandardCharsets.US_ASCII)));
        byte[] v9 = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", 4);
        v9[6] = 9;
        assertTrue(assertThrows(NpyFormatException.class, () -> read(v9)).getMessage().contains("version 9.0"));
        byte[] complex = npy("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", 8);
        assertTrue(assertThrows(NpyFormatException.class, () -> read(complex)).getMessage().contains("'<c8'"));
        byte[] object = npy("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", 8);
        assertTrue(assertThrows(NpyFormatException.class, () -> read(object)).getMessage().contains("'|O'"));
    }

    @Test
    void headerWithCodeOrMissingKeysIsRefused() {
        byte[] call = npy("{'descr': '<f4', 'fortran_order': __import__('os'), 'shape': (1,), }", 4);
        assertThrows(NpyFormatException.class, () -> read(call));
        byte[] noShape = npy("{'descr': '<f4', 'fortran_order': False, }", 4);
        assertTrue(assertThrows(NpyFormatException.class, () -> read(noShape)).getMessage().contains("'shape'"));
    }

    /** A version 1.0 file with the given header dictionary and {@code dataBytes} zero bytes of data. */
    private static byte[] npy(String dict, int dataBytes) {
        byte[] h = (dict + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length).put(h);
        return b.array();
    }

    private static Tensor read(byte[] file) throws IOException {
        return Npy.read(new java.io.ByteArrayInputStream(file), "test.npy");
    }
}
