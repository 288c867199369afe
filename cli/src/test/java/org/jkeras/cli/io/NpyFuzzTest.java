package org.jkeras.cli.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import org.jkeras.runtime.tensor.Tensor;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzz target of the {@code .npy} reader (Jazzer): arbitrary bytes either read as a tensor whose
 * shape accounts for every element, or are refused with an {@link NpyFormatException} carrying a message, never
 * any other throwable, and never with an allocation out of proportion to the file (the reader allocates only what
 * the bytes present can fill). In the normal test run it replays its regression inputs
 * ({@code NpyFuzzTestInputs/read/}); {@code scripts/fuzz.sh npy} fuzzes it, seeded with every committed .npy.
 */
class NpyFuzzTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** CPU time one read may take (measured on the thread: a busy machine does not make a finding). */
    private static final long CPU_BUDGET_NANOS = 2_000_000_000L;

    static {
        // load and initialise the reader's classes once, so their allocation is not charged to the first input
        for (byte[] warmUp : new byte[][] {new byte[0], Npy.header(new int[] {1}), withData(Npy.header(new int[] {1}))}) {
            try {
                Npy.read(new ByteArrayInputStream(warmUp), "warm-up");
            } catch (IOException e) {
                // expected: neither holds its data
            }
        }
    }

    private static byte[] withData(byte[] header) {
        return java.util.Arrays.copyOf(header, header.length + 4);
    }

    @FuzzTest(maxDuration = "10m")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void read(byte[] data) throws IOException {
        long cpu = THREADS.getCurrentThreadCpuTime();
        long allocated = readAndCheck(data);
        cpu = THREADS.getCurrentThreadCpuTime() - cpu;
        // the file's bytes (read twice at most), its elements as float32 (at most 4 per byte), a transposed copy
        long budget = 16L * data.length + (4 << 20);
        if (allocated > budget || cpu > CPU_BUDGET_NANOS) { // again: the first pass may load classes
            cpu = THREADS.getCurrentThreadCpuTime();
            allocated = readAndCheck(data);
            cpu = THREADS.getCurrentThreadCpuTime() - cpu;
            if (allocated > budget) {
                throw new AssertionError("reading " + data.length + " bytes allocated " + allocated + ", more than "
                        + budget);
            }
            if (cpu > CPU_BUDGET_NANOS) {
                throw new AssertionError("reading " + data.length + " bytes took " + cpu / 1_000_000 + " ms of CPU");
            }
        }
    }

    /** Reads {@code data}, checks the outcome and returns the bytes the read allocated. */
    private static long readAndCheck(byte[] data) throws IOException {
        long tid = Thread.currentThread().threadId();
        long before = THREADS.getThreadAllocatedBytes(tid);
        Tensor t = null;
        try {
            t = Npy.read(new ByteArrayInputStream(data), "fuzz.npy");
        } catch (NpyFormatException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("fuzz.npy: ")) {
                throw new AssertionError("refused without a message naming the file: " + e.getMessage(), e);
            }
        }
        long allocated = THREADS.getThreadAllocatedBytes(tid) - before;
        if (t != null) {
            long n = 1;
            for (int d : t.shape()) {
                n *= d;
            }
            if (n != t.data().length) {
                throw new AssertionError("shape " + java.util.Arrays.toString(t.shape()) + " holds " + n
                        + " elements but the tensor has " + t.data().length);
            }
        }
        return allocated;
    }
}
