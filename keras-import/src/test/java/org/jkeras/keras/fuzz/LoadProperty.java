package org.jkeras.keras.fuzz;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jkeras.keras.Echo;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.Limit;
import org.jkeras.keras.LoadOptions;
import org.jkeras.runtime.tensor.InputMismatchException;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;

/**
 * The property every fuzz target of the importer checks: an input either loads (and the model then predicts on
 * zeros or refuses the input with an {@link InputMismatchException}) or is refused with a
 * {@link KerasImportException} carrying a bounded message, never any other throwable. A refusal whose cause is a
 * Java programming error (null pointer, index out of bounds, class cast...) raised in jkeras's own code is a
 * finding too: the KerasModels safety net turns it into a clean message, but it means a check is missing. The
 * allocation of the loading thread is measured, so a file that slips past a {@link Limit} shows even when the
 * heap happens to hold it.
 */
final class LoadProperty {
    /** Small limits: every legitimate fixture stays far below, and a bypass shows as an allocation over budget. */
    static final LoadOptions OPTIONS = LoadOptions.builder()
            .limit(Limit.MAX_WEIGHT_BYTES, 16L << 20)
            .limit(Limit.MAX_ZIP_ENTRY_BYTES, 16L << 20)
            .limit(Limit.MAX_TENSOR_ELEMENTS, 1L << 22)
            .limit(Limit.MAX_JSON_BYTES, 1L << 20)
            .limit(Limit.MAX_HDF5_ATTRIBUTE_BYTES, 1L << 20)
            .limit(Limit.MAX_LAYERS, 1000)
            .limit(Limit.MAX_GRAPH_NODES, 10_000)
            .limit(Limit.MAX_INPUT_BATCH, 64)
            .limit(Limit.MAX_INPUT_TIMESTEPS, 64)
            .build();

    /**
     * Most bytes one load may allocate in total (garbage included): a few times the sum of the byte limits above
     * (the raw file, its inflated entries, the float32 arrays and the JSON tree may coexist).
     */
    static final long ALLOCATION_BUDGET = 8 * ((16L << 20) + (16L << 20) + (1L << 20) + (1L << 20)) + (64L << 20);

    /**
     * CPU time one load (and its probe prediction) may take: the fixtures take milliseconds. Measured on the
     * thread, so a machine busy with other work does not make a finding (libFuzzer's wall-clock timeout does).
     */
    static final long CPU_BUDGET_NANOS = 5_000_000_000L;

    /** Elements of the zero input a loaded model is asked to predict on, at most. */
    private static final long MAX_PROBE_ELEMENTS = 1 << 16;

    /** Exception types that mean a missing check when jkeras's own code throws them. */
    private static final List<Class<? extends Throwable>> PROGRAMMING_ERRORS = List.of(
            NullPointerException.class, IndexOutOfBoundsException.class, ClassCastException.class,
            ArithmeticException.class, NegativeArraySizeException.class, ArrayStoreException.class,
            IllegalStateException.class, UnsupportedOperationException.class, NumberFormatException.class,
            java.nio.BufferUnderflowException.class, java.nio.BufferOverflowException.class,
            java.util.NoSuchElementException.class, java.util.ConcurrentModificationException.class);

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private LoadProperty() {
    }

    /** Runs {@code load} and fails (with an {@link AssertionError}) when the outcome breaks the property. */
    static void check(Supplier<Model> load, String source) {
        long[] cost = loadAndCheck(load, source);
        if (cost[0] > ALLOCATION_BUDGET || cost[1] > CPU_BUDGET_NANOS) {
            // over budget again is a finding: the first pass alone may have loaded (and, fuzzing, instrumented)
            // classes and run interpreted code
            long[] again = loadAndCheck(load, source);
            if (again[0] > ALLOCATION_BUDGET) {
                throw new AssertionError(source + ": loading allocated " + again[0] + " bytes, more than the "
                        + ALLOCATION_BUDGET + " the limits allow for");
            }
            if (again[1] > CPU_BUDGET_NANOS) {
                throw new AssertionError(source + ": loading took " + again[1] / 1_000_000 + " ms of CPU, more than "
                        + CPU_BUDGET_NANOS / 1_000_000 + " (a near hang)");
            }
        }
    }

    /** One load: checks its outcome and returns the bytes it allocated and the CPU time it took. */
    private static long[] loadAndCheck(Supplier<Model> load, String source) {
        long tid = Thread.currentThread().threadId();
        long cpu = THREADS.getCurrentThreadCpuTime();
        long before = THREADS.getThreadAllocatedBytes(tid);
        Model model = null;
        try {
            model = load.get();
        } catch (KerasImportException e) {
            checkRefusal(e, source);
        }
        long allocated = THREADS.getThreadAllocatedBytes(tid) - before;
        if (model != null) {
            probe(model, source);
        }
        return new long[] {allocated, THREADS.getCurrentThreadCpuTime() - cpu};
    }

    private static void checkRefusal(KerasImportException e, String source) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            throw new AssertionError(source + ": refused without a message", e);
        }
        if (m.length() > Echo.MAX_MESSAGE_CHARS + 100) {
            throw new AssertionError(source + ": message of " + m.length() + " chars, unbounded", e);
        }
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (isProgrammingError(c) && thrownByJkeras(c)) {
                throw new AssertionError(source + ": refused, but only because jkeras's own code failed with "
                        + c + " (a check is missing); message: " + Echo.of(m), e);
            }
        }
    }

    private static boolean isProgrammingError(Throwable t) {
        for (Class<? extends Throwable> type : PROGRAMMING_ERRORS) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** True when the first frame outside the JDK that threw {@code t} is jkeras code (not jHDF or Jackson). */
    private static boolean thrownByJkeras(Throwable t) {
        for (StackTraceElement f : t.getStackTrace()) {
            String c = f.getClassName();
            if (c.startsWith("java.") || c.startsWith("jdk.") || c.startsWith("sun.")) {
                continue;
            }
            return c.startsWith("org.jkeras.");
        }
        return false;
    }

    /** A loaded model must describe itself and predict on a small zero input, or refuse the input cleanly. */
    private static void probe(Model model, String source) {
        model.summary();
        List<Tensor> inputs = new ArrayList<>();
        for (Shape s : model.inputShapes()) {
            int[] dims = s.dims();
            long n = 1;
            for (int d = 0; d < dims.length; d++) {
                if (dims[d] == Shape.UNKNOWN) {
                    dims[d] = d == 1 ? 3 : 1;
                }
                n *= Math.max(1, dims[d]);
            }
            if (n > MAX_PROBE_ELEMENTS) {
                return; // a legal but large input: loading was the point
            }
            inputs.add(Tensor.zeros(dims));
        }
        try {
            model.predict(inputs);
        } catch (InputMismatchException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError(source + ": input refused without a message", e);
            }
        }
    }
}
