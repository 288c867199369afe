package org.jkeras.keras.format;

import io.jhdf.object.datatype.FloatingPoint;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.jkeras.keras.KerasImportException;

/**
 * Converts the values of an HDF5 floating-point type to float32 as h5py and Keras do. HDF5 describes a float type
 * by its size, byte order and bit fields (sign, exponent, mantissa) and exponent bias, so a file may hold, say, a
 * 16-bit type with an 8-bit exponent (bfloat16) or a float32 with a non-standard bias. h5py reads such a type
 * into the smallest NumPy float that holds every value exactly, then Keras casts it to float32 (round to
 * nearest even). Here each value is decoded exactly into a double and cast to float, which gives the same
 * float32 for every type whose values a double holds exactly; types it cannot (more than 52 mantissa bits,
 * more than 8 bytes, mantissa normalizations other than IEEE's implied leading one) are refused.
 *
 * <p>Like IEEE and HDF5's conversions, an exponent of all ones is infinity (mantissa 0) or NaN, an exponent of
 * 0 a subnormal (or zero).
 */
final class Hdf5Floats {
    private static final int NORM_IMPLIED = 2;

    private final int size;
    private final ByteOrder order;
    private final int signBit;
    private final int expPos;
    private final int expBits;
    private final int mantPos;
    private final int mantBits;
    private final long bias;
    private final Kind kind;

    private enum Kind { IEEE32, IEEE64, IEEE16, GENERAL }

    private Hdf5Floats(FloatingPoint t) {
        size = t.getSize();
        order = t.getByteOrder();
        signBit = t.getSignLocation();
        expPos = t.getExponentLocation() & 0xff;
        expBits = t.getExponentSize() & 0xff;
        mantPos = t.getMantissaLocation() & 0xff;
        mantBits = t.getMantissaSize() & 0xff;
        bias = t.getExponentBias() & 0xffffffffL;
        if (is(4, 31, 23, 8, 0, 23, 127)) {
            kind = Kind.IEEE32;
        } else if (is(8, 63, 52, 11, 0, 52, 1023)) {
            kind = Kind.IEEE64;
        } else if (is(2, 15, 10, 5, 0, 10, 15)) {
            kind = Kind.IEEE16;
        } else {
            kind = Kind.GENERAL;
        }
    }

    private boolean is(int sz, int sign, int ep, int eb, int mp, int mb, long b) {
        return size == sz && signBit == sign && expPos == ep && expBits == eb && mantPos == mp && mantBits == mb
                && bias == b;
    }

    /**
     * A converter for the type.
     *
     * @param where names the dataset in errors
     * @throws KerasImportException for a type whose values cannot all be converted exactly
     */
    static Hdf5Floats of(FloatingPoint t, String where) {
        Hdf5Floats f = new Hdf5Floats(t);
        f.validate(t, where);
        return f;
    }

    /** Size of one element in bytes. */
    int size() {
        return size;
    }

    /** The type in words, for messages: e.g. {@code float32} or {@code 2-byte float (sign 15, exponent 7..14, ...)}. */
    String describe() {
        return switch (kind) {
            case IEEE32 -> "float32";
            case IEEE64 -> "float64";
            case IEEE16 -> "float16";
            case GENERAL -> size + "-byte float (sign bit " + signBit + ", exponent bits " + expPos + ".."
                    + (expPos + expBits - 1) + " bias " + bias + ", mantissa bits " + mantPos + ".."
                    + (mantPos + mantBits - 1) + ")";
        };
    }

    private void validate(FloatingPoint t, String where) {
        String problem = null;
        int bits = size * 8;
        if (size < 1 || size > 8) {
            problem = "is " + size + " bytes wide (at most 8 are read)";
        } else if (t.getMantissaNormalization() != NORM_IMPLIED) {
            problem = "does not use IEEE's implied leading mantissa bit (normalization "
                    + t.getMantissaNormalization() + ")";
        } else if (expBits < 1 || expBits > 11 || mantBits < 1 || mantBits > 52) {
            problem = "has a " + expBits + "-bit exponent and a " + mantBits + "-bit mantissa (a double holds"
                    + " at most 11 and 52)";
        } else if (signBit >= bits || expPos + expBits > bits || mantPos + mantBits > bits
                || overlaps(expPos, expBits, mantPos, mantBits) || overlaps(signBit, 1, expPos, expBits)
                || overlaps(signBit, 1, mantPos, mantBits)) {
            problem = "has overlapping or out-of-range bit fields";
        } else if (bias > 1L << 20) {
            problem = "has exponent bias " + bias;
        }
        if (problem != null) {
            throw new KerasImportException(where + ": the weights' HDF5 float type " + describe() + " " + problem
                    + "; jkeras cannot convert it exactly as h5py would, so it refuses it");
        }
    }

    private static boolean overlaps(int a, int an, int b, int bn) {
        return a < b + bn && b < a + an;
    }

    /** Decodes {@code out.length} elements from {@code in} (positioned at the first). */
    void decode(ByteBuffer in, float[] out) {
        ByteBuffer b = in.slice().order(order);
        switch (kind) {
            case IEEE32 -> b.asFloatBuffer().get(out);
            case IEEE64 -> {
                var d = b.asDoubleBuffer();
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) d.get(i);
                }
            }
            case IEEE16 -> {
                var s = b.asShortBuffer();
                for (int i = 0; i < out.length; i++) {
                    out[i] = Float.float16ToFloat(s.get(i));
                }
            }
            case GENERAL -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) value(element(b, i * size));
                }
            }
        }
    }

    /** The element's bits as an unsigned integer, bit 0 the least significant, whatever the byte order. */
    private long element(ByteBuffer b, int offset) {
        long v = 0;
        for (int k = 0; k < size; k++) {
            int byteIndex = order == ByteOrder.LITTLE_ENDIAN ? offset + k : offset + size - 1 - k;
            v |= (b.get(byteIndex) & 0xffL) << (8 * k);
        }
        return v;
    }

    /** The exact value of an element (a double holds it: at most 52 mantissa bits, exponent checked below). */
    double value(long bits) {
        boolean negative = ((bits >>> signBit) & 1) != 0;
        long e = (bits >>> expPos) & ((1L << expBits) - 1);
        long m = (bits >>> mantPos) & ((1L << mantBits) - 1);
        double v;
        if (e == (1L << expBits) - 1) {
            v = m == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else if (e == 0) {
            v = Math.scalb((double) m, (int) (1 - bias - mantBits)); // subnormal: 0.m * 2^(1 - bias)
        } else {
            v = Math.scalb((double) ((1L << mantBits) | m), (int) (e - bias - mantBits));
        }
        return negative ? -v : v;
    }
}
