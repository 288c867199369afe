package org.jkeras.runtime.kernels;

/**
 * {@link PackedGemm}'s batch-1 kernels (one row of activations times one or two panels of packed weights: a GEMV,
 * bound by streaming the weights) over an off-heap copy of the weights aligned to a cache line. A Java array starts
 * wherever the heap put it (8-byte aligned, and the GC may move it), so a 64-byte vector load from it almost always
 * spans two cache lines; from aligned memory every load touches one. Measured on the batch-1 step's product (2-vCPU
 * AVX-512 Xeon, JDK 25): 64 KiB of weights 730 → 470 ns, 1 MiB 11.5 → 7.1 µs, with the same float operations in the
 * same order. Not for the batch GEMM: its 6-row kernel, bound by its loads, ran at 120 GFLOP/s on the segment
 * against 145 on the heap (64×256×1024), the segment's access checks costing more than the split lines; with an int
 * byte offset (checks hoisted out of the loop) it still took 262-268 µs against 216-236 on the heap in
 * {@code GemmBenchmark} (2026-12-07, three alternating runs each).
 *
 * <p>Off-heap memory needs {@code java.lang.foreign}, final from Java 22, while jkeras compiles for Java 21: the
 * implementation ({@code FfmAlignedWeights}, in {@code src/main/java22}) is compiled for release 22 and loaded only on
 * a Java 22+ runtime. On Java 21, or with {@code -Djkeras.aligned=false}, {@link #INSTANCE} is null and the kernels
 * read the heap arrays as before.
 */
abstract class AlignedWeights {
    /** The implementation, or null: Java 21, turned off, or the Vector API kernels not in use. */
    static final AlignedWeights INSTANCE = load();

    /**
     * An aligned, read-only off-heap copy of {@code data}, freed when the returned object is no longer reachable.
     *
     * @return a {@code java.lang.foreign.MemorySegment}, typed as Object so that this class compiles for Java 21;
     *         null when native memory could not be had
     */
    abstract Object copy(float[] data);

    /** {@code PackedGemm.kernel1x2} reading B from {@code b} (a {@link #copy}) at float offset {@code bOff}. */
    abstract void kernel1x2(float[] a, int aOff, Object b, int bOff, int k, float[] init, int iOff, float[] c,
                            int cOff);

    /** {@code PackedGemm.kernel1} reading B from {@code b} (a {@link #copy}) at float offset {@code bOff}. */
    abstract void kernel1(float[] a, int aOff, Object b, int bOff, int k, float[] init, int iOff, float[] c, int cOff);

    private static AlignedWeights load() {
        if (Runtime.version().feature() < 22 || !Boolean.parseBoolean(System.getProperty("jkeras.aligned", "true"))) {
            return null;
        }
        try {
            return (AlignedWeights) Class.forName("org.jkeras.runtime.kernels.FfmAlignedWeights")
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return null; // a jar built without the Java 22 class: the heap kernels
        }
    }
}
