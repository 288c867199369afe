package org.jkeras.cli.io;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;

/**
 * Reads and writes NumPy {@code .npy} arrays as float32 {@link Tensor}s.
 *
 * <p>Reading accepts format versions 1.0, 2.0 and 3.0; dtypes float16/32/64, signed and
 * unsigned integers of 1 to 8 bytes and bool, in either byte order; C or Fortran order (the
 * latter is transposed to row-major). Everything becomes float32: float64 is rounded, but
 * integers must stay exact (Embedding indices), so an integer beyond ±2^24 is refused rather
 * than silently rounded. Files are untrusted: the header is bounded and the shape must account
 * for exactly the bytes in the file before anything is allocated from it.
 *
 * <p>Writing produces little-endian float32, version 1.0, byte-for-byte what {@code numpy.save}
 * writes for the same array (header padded so the data starts on a 64-byte boundary).
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** NumPy itself refuses headers over 10000 bytes by default; allow a generous margin. */
    static final int MAX_HEADER_BYTES = 100_000;
    /** The largest float[] the JVM reliably allocates. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    /** The largest integer magnitude float32 holds exactly. */
    static final long MAX_EXACT_INT = 1L << 24;
    private static final int ALIGN = 64;
    private static final int GROWTH_AXIS_MAX_DIGITS = 21; // numpy pads the header for in-place growth
    private static final int CHUNK = 1 << 16;

    private Npy() {
    }

    /**
     * Reads an array file.
     *
     * @param file the .npy file
     * @return its array as float32, in its shape
     * @throws NpyFormatException when the file is not a readable .npy array (message names the file)
     * @throws IOException        when the file cannot be read at all
     */
    public static Tensor read(Path file) throws IOException {
        long size = Files.size(file);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), CHUNK)) {
            return read(in, size, file.toString());
        }
    }

    /**
     * Reads an array from a stream holding a whole .npy file, e.g. a classpath resource.
     *
     * @param in   the stream, read to its end (not closed)
     * @param name what error messages call the array, e.g. the resource's name
     * @return the array as float32, in its shape
     * @throws NpyFormatException when the bytes are not a readable .npy array (message starts with {@code name})
     * @throws IOException        when the stream cannot be read
     */
    public static Tensor read(InputStream in, String name) throws IOException {
        byte[] all = in.readAllBytes();
        return read(new ByteArrayInputStream(all), all.length, name);
    }

    private static Tensor read(InputStream in, long fileSize, String name) throws IOException {
        byte[] magic = readFully(in, 8, name, "the magic string and version");
        if (!Arrays.equals(Arrays.copyOf(magic, 6), MAGIC)) {
            if (magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4) {
                throw new NpyFormatException(name + ": is a NumPy .npz archive (a zip of arrays), not a .npy file: save"
                        + " each array with numpy.save(\"x.npy\", array) and pass one --input per array");
            }
            throw new NpyFormatException(name + ": not a .npy file (it does not start with \\x93NUMPY)");
        }
        int major = magic[6] & 0xff;
        int minor = magic[7] & 0xff;
        long headerLength;
        int prefix;
        if (major == 1 && minor == 0) {
            ByteBuffer b = ByteBuffer.wrap(readFully(in, 2, name, "the header length")).order(ByteOrder.LITTLE_ENDIAN);
            headerLength = b.getShort() & 0xffff;
            prefix = 10;
        } else if ((major == 2 || major == 3) && minor == 0) {
            ByteBuffer b = ByteBuffer.wrap(readFully(in, 4, name, "the header length")).order(ByteOrder.LITTLE_ENDIAN);
            headerLength = b.getInt() & 0xffffffffL;
            prefix = 12;
        } else {
            throw new NpyFormatException(name + ": unsupported .npy format version " + major + "." + minor
                    + " (supported: 1.0, 2.0, 3.0)");
        }
        if (headerLength > MAX_HEADER_BYTES) {
            throw new NpyFormatException(name + ": .npy header is " + headerLength + " bytes, more than the "
                    + MAX_HEADER_BYTES + " accepted");
        }
        if (prefix + headerLength > fileSize) {
            throw new NpyFormatException(name + ": truncated: the header claims " + headerLength
                    + " bytes but the file has only " + fileSize);
        }
        byte[] headerBytes = readFully(in, (int) headerLength, name, "the header");
        String text = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        NpyHeader header = NpyHeader.parse(text, name);
        Dtype dtype = Dtype.parse(header.descr(), name);

        int[] shape = checkedShape(header.shape(), name);
        long count = 1;
        for (int d : shape) {
            count *= d; // cannot overflow: checkedShape bounds the product
        }
        long dataBytes = fileSize - prefix - headerLength;
        if (count * dtype.size != dataBytes) {
            throw new NpyFormatException(name + ": shape " + Shape.format(shape) + " of " + header.descr()
                    + " needs " + count * dtype.size + " data bytes but the file holds " + dataBytes);
        }
        float[] data = decode(in, (int) count, dtype, shape, header.fortranOrder(), name);
        if (header.fortranOrder() && shape.length > 1) {
            data = fortranToC(data, shape);
        }
        return Tensor.wrap(data, shape);
    }

    private static int[] checkedShape(long[] dims, String name) throws NpyFormatException {
        int[] shape = new int[dims.length];
        long product = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] > MAX_ELEMENTS) {
                throw new NpyFormatException(name + ": dimension " + i + " is " + dims[i] + ", too large");
            }
            shape[i] = (int) dims[i];
            product = Math.multiplyHigh(product, dims[i]) != 0 ? Long.MAX_VALUE : product * dims[i];
            if (product > MAX_ELEMENTS && !Arrays.stream(dims).anyMatch(d -> d == 0)) {
                throw new NpyFormatException(name + ": shape " + Arrays.toString(dims) + " has more than "
                        + MAX_ELEMENTS + " elements, too many for one array");
            }
        }
        return shape;
    }

    private static float[] decode(InputStream in, int count, Dtype dtype, int[] shape, boolean fortran, String name)
            throws IOException {
        float[] out = new float[count];
        byte[] chunk = new byte[Math.max(dtype.size, CHUNK - CHUNK % dtype.size)];
        ByteBuffer buf = ByteBuffer.wrap(chunk).order(dtype.order);
        int done = 0;
        while (done < count) {
            int n = (int) Math.min((long) (count - done) * dtype.size, chunk.length);
            if (in.readNBytes(chunk, 0, n) != n) {
                throw new NpyFormatException(name + ": truncated data");
            }
            buf.clear();
            for (int end = done + n / dtype.size; done < end; done++) {
                out[done] = dtype.next(buf, done, shape, fortran, name);
            }
        }
        return out;
    }

    /** Reorders column-major data (first index fastest) to row-major. */
    private static float[] fortranToC(float[] f, int[] shape) {
        int rank = shape.length;
        int[] fStride = new int[rank]; // column-major strides
        int s = 1;
        for (int i = 0; i < rank; i++) {
            fStride[i] = s;
            s *= shape[i];
        }
        float[] c = new float[f.length];
        int[] idx = new int[rank];
        int src = 0;
        for (int k = 0; k < c.length; k++) {
            c[k] = f[src];
            for (int i = rank - 1; i >= 0; i--) { // advance the row-major index, last axis fastest
                idx[i]++;
                src += fStride[i];
                if (idx[i] < shape[i]) {
                    break;
                }
                src -= fStride[i] * idx[i];
                idx[i] = 0;
            }
        }
        return c;
    }

    /** The position of flat element {@code k} as an index tuple, for error messages. */
    static String indexOf(long k, int[] shape, boolean fortran) {
        int[] idx = new int[shape.length];
        if (fortran) {
            for (int i = 0; i < shape.length; i++) {
                idx[i] = (int) (k % shape[i]);
                k /= shape[i];
            }
        } else {
            for (int i = shape.length - 1; i >= 0; i--) {
                idx[i] = (int) (k % shape[i]);
                k /= shape[i];
            }
        }
        return Arrays.toString(idx);
    }

    private static byte[] readFully(InputStream in, int n, String name, String what) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new NpyFormatException(name + ": truncated .npy file: it ends inside " + what);
        }
        return b;
    }

    /**
     * Writes a tensor as a little-endian float32 .npy file (version 1.0, as numpy.save).
     *
     * @param file   the file to create or overwrite
     * @param tensor the array to write, in its shape
     * @throws IOException when the file cannot be written
     */
    public static void write(Path file, Tensor tensor) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), CHUNK)) {
            write(out, tensor);
        }
    }

    /**
     * Writes a tensor in .npy format to a stream (the stream is not closed).
     *
     * @param out    where the bytes go
     * @param tensor the array to write, in its shape
     * @throws IOException when the stream cannot be written
     */
    public static void write(OutputStream out, Tensor tensor) throws IOException {
        int[] shape = tensor.shape();
        out.write(header(shape));
        float[] data = tensor.data();
        ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : data) {
            if (!buf.hasRemaining()) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            buf.putFloat(v);
        }
        out.write(buf.array(), 0, buf.position());
    }

    /** The magic, version, length and padded header dictionary, exactly as NumPy writes them. */
    static byte[] header(int[] shape) {
        StringBuilder dict = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': (");
        for (int i = 0; i < shape.length; i++) {
            dict.append(i > 0 ? ", " : "").append(shape[i]);
        }
        dict.append(shape.length == 1 ? ",), }" : "), }");
        if (shape.length > 0) {
            dict.append(" ".repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - Integer.toString(shape[0]).length())));
        }
        int hlen = dict.length() + 1; // + the final newline
        int v1Pad = ALIGN - ((10 + hlen) % ALIGN);
        boolean v1 = hlen + v1Pad <= 0xffff;
        int prefix = v1 ? 10 : 12;
        int pad = ALIGN - ((prefix + hlen) % ALIGN);
        ByteBuffer b = ByteBuffer.allocate(prefix + hlen + pad).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) (v1 ? 1 : 2)).put((byte) 0);
        if (v1) {
            b.putShort((short) (hlen + pad));
        } else {
            b.putInt(hlen + pad);
        }
        b.put(dict.toString().getBytes(StandardCharsets.ISO_8859_1));
        b.put(" ".repeat(pad).getBytes(StandardCharsets.ISO_8859_1)).put((byte) '\n');
        return b.array();
    }

    /** A supported element type and how to turn one element into a float. */
    private record Dtype(char kind, int size, ByteOrder order, String descr) {
        static Dtype parse(String descr, String name) throws NpyFormatException {
            if (descr.length() >= 3) {
                char endian = descr.charAt(0);
                char kind = descr.charAt(1);
                String digits = descr.substring(2);
                int size = digits.matches("[1248]") ? Integer.parseInt(digits) : -1;
                boolean known = switch (kind) {
                    case 'f' -> size >= 2;
                    case 'i', 'u' -> size >= 1;
                    case 'b' -> size == 1;
                    default -> false;
                };
                boolean endianOk = endian == '<' || endian == '>' || (endian == '|' && size == 1);
                if (known && endianOk) {
                    return new Dtype(kind, size, endian == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN, descr);
                }
            }
            throw new NpyFormatException(name + ": unsupported dtype '" + descr + "' (supported: float16/32/64, "
                    + "int8-64, uint8-64 and bool, e.g. '<f4', '<f8', '<i8', '|u1', '|b1')");
        }

        float next(ByteBuffer b, long k, int[] shape, boolean fortran, String name) throws NpyFormatException {
            return switch (kind) {
                case 'f' -> switch (size) {
                    case 2 -> Float.float16ToFloat(b.getShort());
                    case 4 -> b.getFloat();
                    default -> narrow(b.getDouble(), k, shape, fortran, name);
                };
                case 'b' -> b.get() != 0 ? 1f : 0f;
                case 'i' -> exact(switch (size) {
                    case 1 -> b.get();
                    case 2 -> b.getShort();
                    case 4 -> b.getInt();
                    default -> b.getLong();
                }, false, k, shape, fortran, name);
                default -> exact(switch (size) {
                    case 1 -> b.get() & 0xffL;
                    case 2 -> b.getShort() & 0xffffL;
                    case 4 -> b.getInt() & 0xffffffffL;
                    default -> b.getLong();
                }, size == 8, k, shape, fortran, name);
            };
        }

        private float narrow(double v, long k, int[] shape, boolean fortran, String name) throws NpyFormatException {
            float f = (float) v;
            if (Float.isInfinite(f) && !Double.isInfinite(v)) {
                throw new NpyFormatException(name + ": element " + indexOf(k, shape, fortran) + " is " + v
                        + ", beyond the float32 range");
            }
            return f;
        }

        private float exact(long v, boolean unsigned64, long k, int[] shape, boolean fortran, String name)
                throws NpyFormatException {
            boolean tooBig = unsigned64 ? Long.compareUnsigned(v, MAX_EXACT_INT) > 0
                    : v > MAX_EXACT_INT || v < -MAX_EXACT_INT;
            if (tooBig) {
                throw new NpyFormatException(name + ": element " + indexOf(k, shape, fortran) + " is "
                        + (unsigned64 ? Long.toUnsignedString(v) : Long.toString(v)) + " (" + descr
                        + "), which float32 cannot hold exactly: integers must lie within ±2^24 = 16777216");
            }
            return v;
        }
    }
}
