package org.jkeras.runtime.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link AlignedWeights} on {@code java.lang.foreign} (Java 22+): weights copied to cache-line-aligned native memory
 * of an automatic arena (freed by the GC with the last reference). The kernels are {@link PackedGemm}'s batch-1
 * kernels with the loads of B from the segment: the same FMAs in the same order, so the results are bit for bit those of the heap
 * kernels.
 */
final class FfmAlignedWeights extends AlignedWeights {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int PW = 4 * L;
    private static final long LINE = 64;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    @Override
    Object copy(float[] data) {
        MemorySegment segment;
        try {
            segment = Arena.ofAuto().allocate(Math.max(4L, 4L * data.length), LINE);
        } catch (OutOfMemoryError e) {
            return null; // native memory is short: the layer reads its heap array, as on Java 21
        }
        MemorySegment.copy(data, 0, segment, ValueLayout.JAVA_FLOAT, 0, data.length);
        return segment.asReadOnly();
    }

    @Override
    void kernel1x2(float[] a, int aOff, Object b, int bOff, int k, float[] init, int iOff, float[] c, int cOff) {
        MemorySegment bd = (MemorySegment) b;
        long bi = 4L * bOff;
        long bj = 4L * (bOff + k * PW);
        FloatVector c0 = FloatVector.fromArray(S, init, iOff);
        FloatVector c1 = FloatVector.fromArray(S, init, iOff + L);
        FloatVector c2 = FloatVector.fromArray(S, init, iOff + 2 * L);
        FloatVector c3 = FloatVector.fromArray(S, init, iOff + 3 * L);
        FloatVector c4 = FloatVector.fromArray(S, init, iOff + 4 * L);
        FloatVector c5 = FloatVector.fromArray(S, init, iOff + 5 * L);
        FloatVector c6 = FloatVector.fromArray(S, init, iOff + 6 * L);
        FloatVector c7 = FloatVector.fromArray(S, init, iOff + 7 * L);
        for (int p = 0; p < k; p++) {
            FloatVector x = FloatVector.broadcast(S, a[aOff + p]);
            c0 = x.fma(FloatVector.fromMemorySegment(S, bd, bi, ORDER), c0);
            c1 = x.fma(FloatVector.fromMemorySegment(S, bd, bi + 4L * L, ORDER), c1);
            c2 = x.fma(FloatVector.fromMemorySegment(S, bd, bi + 8L * L, ORDER), c2);
            c3 = x.fma(FloatVector.fromMemorySegment(S, bd, bi + 12L * L, ORDER), c3);
            c4 = x.fma(FloatVector.fromMemorySegment(S, bd, bj, ORDER), c4);
            c5 = x.fma(FloatVector.fromMemorySegment(S, bd, bj + 4L * L, ORDER), c5);
            c6 = x.fma(FloatVector.fromMemorySegment(S, bd, bj + 8L * L, ORDER), c6);
            c7 = x.fma(FloatVector.fromMemorySegment(S, bd, bj + 12L * L, ORDER), c7);
            bi += 4L * PW;
            bj += 4L * PW;
        }
        c0.intoArray(c, cOff);
        c1.intoArray(c, cOff + L);
        c2.intoArray(c, cOff + 2 * L);
        c3.intoArray(c, cOff + 3 * L);
        c4.intoArray(c, cOff + 4 * L);
        c5.intoArray(c, cOff + 5 * L);
        c6.intoArray(c, cOff + 6 * L);
        c7.intoArray(c, cOff + 7 * L);
    }

    @Override
    void kernel1(float[] a, int aOff, Object b, int bOff, int k, float[] init, int iOff, float[] c, int cOff) {
        MemorySegment bd = (MemorySegment) b;
        long bi = 4L * bOff;
        FloatVector c0 = FloatVector.fromArray(S, init, iOff);
        FloatVector c1 = FloatVector.fromArray(S, init, iOff + L);
        FloatVector c2 = FloatVector.fromArray(S, init, iOff + 2 * L);
        FloatVector c3 = FloatVector.fromArray(S, init, iOff + 3 * L);
        for (int p = 0; p < k; p++) {
            FloatVector x = FloatVector.broadcast(S, a[aOff + p]);
            c0 = x.fma(FloatVector.fromMemorySegment(S, bd, bi, ORDER), c0);
            c1 = x.fma(FloatVector.fromMemorySegment(S, bd, bi + 4L * L, ORDER), c1);
            c2 = x.fma(FloatVector.fromMemorySegment(S, bd, bi + 8L * L, ORDER), c2);
            c3 = x.fma(FloatVector.fromMemorySegment(S, bd, bi + 12L * L, ORDER), c3);
            bi += 4L * PW;
        }
        c0.intoArray(c, cOff);
        c1.intoArray(c, cOff + L);
        c2.intoArray(c, cOff + 2 * L);
        c3.intoArray(c, cOff + 3 * L);
    }
}
