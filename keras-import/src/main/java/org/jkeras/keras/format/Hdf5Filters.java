package org.jkeras.keras.format;

import java.util.BitSet;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.jkeras.keras.KerasImportException;

/**
 * Decodes the stored bytes of one HDF5 chunk through its filter pipeline, for the filters h5py writes: deflate
 * (gzip), shuffle and Fletcher-32. jHDF's own decoders are not used: its deflate grows its output without bound
 * (a chunk can inflate far beyond the file) and it does not verify Fletcher-32 checksums at all. Here inflation
 * stops at the chunk's declared size and a checksum that does not match its data fails the load. Any other
 * filter (LZF, LZ4, bitshuffle, szip, scale-offset, n-bit, plugins) is refused by name.
 */
final class Hdf5Filters {
    static final int DEFLATE = 1;
    static final int SHUFFLE = 2;
    static final int FLETCHER32 = 3;

    /** One filter of a dataset's pipeline, in encoding order. */
    record Step(int id, String name, int[] data) {
    }

    private Hdf5Filters() {
    }

    /** Fails unless every filter is one this class decodes. */
    static void requireSupported(List<Step> pipeline, String where) {
        for (Step s : pipeline) {
            if (s.id() != DEFLATE && s.id() != SHUFFLE && s.id() != FLETCHER32) {
                throw new KerasImportException(where + ": uses the HDF5 filter '" + s.name() + "' (id " + s.id()
                        + "), which jkeras does not read (it reads deflate/gzip, shuffle and fletcher32, what h5py"
                        + " writes); save the weights again without it");
            }
        }
    }

    /**
     * The decoded bytes of one chunk.
     *
     * @param mask     the chunk's filter mask: bit i set means filter i was skipped for this chunk
     * @param expected the decoded size the chunk must have (its dimensions times the element size)
     */
    static byte[] decode(byte[] stored, List<Step> pipeline, BitSet mask, int expected, String where) {
        byte[] data = stored;
        for (int i = pipeline.size() - 1; i >= 0; i--) {
            if (mask.get(i)) {
                continue;
            }
            Step s = pipeline.get(i);
            data = switch (s.id()) {
                case FLETCHER32 -> verifyFletcher32(data, where);
                case DEFLATE -> inflate(data, expected + 4L * pipeline.size(), where);
                case SHUFFLE -> unshuffle(data, s.data().length > 0 ? s.data()[0] : 1);
                default -> throw new IllegalStateException("unchecked filter " + s.id());
            };
        }
        if (data.length != expected) {
            throw new KerasImportException(where + ": a chunk decodes to " + data.length + " bytes, its dimensions"
                    + " need " + expected + " (corrupt file)");
        }
        return data;
    }

    /** Inflates zlib data, failing as soon as the output would pass {@code cap} bytes. */
    static byte[] inflate(byte[] in, long cap, String where) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(in);
            int limit = (int) Math.min(cap, Integer.MAX_VALUE - 64);
            byte[] out = new byte[(int) Math.min(limit, Math.max(4096L, 4L * in.length))]; // grows up to limit
            int n = 0;
            while (!inflater.finished()) {
                if (n == out.length) {
                    if (n == limit) {
                        byte[] probe = new byte[1];
                        if (inflater.inflate(probe) > 0 || !inflater.finished()) {
                            throw new KerasImportException(where + ": a compressed chunk inflates to more than the "
                                    + limit + " bytes its dimensions allow (corrupt file or decompression bomb)");
                        }
                        break;
                    }
                    out = java.util.Arrays.copyOf(out, (int) Math.min(limit, 2L * out.length));
                }
                int r = inflater.inflate(out, n, out.length - n);
                if (r == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new KerasImportException(where + ": a compressed chunk ends early (truncated or corrupt)");
                }
                n += r;
            }
            return n == out.length ? out : java.util.Arrays.copyOf(out, n);
        } catch (DataFormatException e) {
            throw new KerasImportException(where + ": a compressed chunk is not valid deflate data (corrupt): "
                    + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }

    /** Undoes the shuffle filter: byte k of every element was stored together, for k = 0..size-1. */
    static byte[] unshuffle(byte[] in, int elementSize) {
        if (elementSize <= 1 || in.length < elementSize) {
            return in;
        }
        int n = in.length / elementSize;
        byte[] out = new byte[in.length];
        for (int b = 0; b < elementSize; b++) {
            int src = b * n;
            for (int i = 0; i < n; i++) {
                out[i * elementSize + b] = in[src + i];
            }
        }
        System.arraycopy(in, n * elementSize, out, n * elementSize, in.length - n * elementSize); // leftover bytes
        return out;
    }

    /**
     * Checks and strips the Fletcher-32 checksum HDF5 appends to a chunk (little-endian, over the data as
     * big-endian 16-bit words). Like HDF5, also accepts the byte-swapped form that HDF5 1.6.2 and older wrote.
     */
    static byte[] verifyFletcher32(byte[] in, String where) {
        if (in.length < 4) {
            throw new KerasImportException(where + ": a chunk is too short to hold its Fletcher-32 checksum (corrupt)");
        }
        int len = in.length - 4;
        long stored = (in[len] & 0xffL) | (in[len + 1] & 0xffL) << 8 | (in[len + 2] & 0xffL) << 16
                | (in[len + 3] & 0xffL) << 24;
        long sum = fletcher32(in, len);
        long reversed = ((sum & 0x00ff00ffL) << 8) | ((sum >>> 8) & 0x00ff00ffL);
        if (stored != sum && stored != reversed) {
            throw new KerasImportException(where + ": Fletcher-32 checksum mismatch: a chunk stores "
                    + String.format("%08x", stored) + " but its data sums to " + String.format("%08x", sum)
                    + " (the file is corrupt)");
        }
        return java.util.Arrays.copyOf(in, len);
    }

    /** HDF5's {@code H5_checksum_fletcher32}. */
    static long fletcher32(byte[] data, int length) {
        long sum1 = 0;
        long sum2 = 0;
        int words = length / 2;
        int i = 0;
        while (words > 0) {
            int block = Math.min(words, 360);
            words -= block;
            for (int k = 0; k < block; k++) {
                sum1 += ((data[i] & 0xff) << 8) | (data[i + 1] & 0xff);
                i += 2;
                sum2 += sum1;
            }
            sum1 = (sum1 & 0xffff) + (sum1 >>> 16);
            sum2 = (sum2 & 0xffff) + (sum2 >>> 16);
        }
        if ((length & 1) != 0) {
            sum1 += (data[i] & 0xff) << 8;
            sum2 += sum1;
            sum1 = (sum1 & 0xffff) + (sum1 >>> 16);
            sum2 = (sum2 & 0xffff) + (sum2 >>> 16);
        }
        sum1 = (sum1 & 0xffff) + (sum1 >>> 16);
        sum2 = (sum2 & 0xffff) + (sum2 >>> 16);
        return ((sum2 << 16) | sum1) & 0xffffffffL;
    }
}
