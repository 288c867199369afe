package org.jkeras.runtime.kernels;

/**
 * Chooses the kernel implementations once per JVM: the Vector API ones when the
 * {@code jdk.incubator.vector} module is present, the scalar ones otherwise. The system
 * property {@code jkeras.kernels=scalar} forces the scalar path (for tests and comparisons).
 */
public final class Kernels {
    private static String why = "";
    private static final Gemm GEMM = chooseGemm();

    private Kernels() {
    }

    /** The GEMM in use. */
    public static Gemm gemm() {
        return GEMM;
    }

    /** True when the Vector API kernels are in use. */
    public static boolean vectorized() {
        return GEMM != ScalarGemm.INSTANCE;
    }

    /**
     * Floats per vector of the Vector API kernels ({@link PackedGemm}, {@link VectorLstm}); layers pack
     * their weights for it. Only meaningful when {@link #vectorized()}; 1 otherwise.
     */
    public static int lanes() {
        return vectorized() ? PackedGemm.lanes() : 1;
    }

    /**
     * What runs, for logs and support questions: {@code "Vector API, 8 float lanes (256-bit vectors)"}, or
     * {@code "scalar: ..."} with the reason and, when it is the missing module, how to turn SIMD on.
     */
    public static String description() {
        if (vectorized()) {
            return "Vector API, " + lanes() + " float lanes (" + lanes() * 32 + "-bit vectors)"
                    + (alignedWeights() ? ", aligned off-heap weights for batch 1" : "");
        }
        return "scalar: " + why;
    }

    /** Whether the batch-1 kernels read aligned off-heap weights ({@link AlignedWeights}). */
    public static boolean alignedWeights() {
        return vectorized() && AlignedWeights.INSTANCE != null;
    }

    /** Recurrent (LSTM, GRU, SimpleRNN) layer calls whose steps ran split by gate columns across threads, since the JVM started. */
    public static long splitLayerCalls() {
        return StepTeams.splitCalls();
    }

    private static Gemm chooseGemm() {
        String property = System.getProperty("jkeras.kernels");
        boolean module = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        Gemm g = chooseGemm(property, module);
        if (g == ScalarGemm.INSTANCE) {
            why = "scalar".equals(property) ? "asked for with -Djkeras.kernels=scalar"
                    : !module ? "the jdk.incubator.vector module is not in this JVM; run java with"
                            + " --add-modules=jdk.incubator.vector for the SIMD kernels (about 9x faster)"
                    : "the Vector API failed to load";
            if (!"scalar".equals(property)) { // said once per JVM, where the user will see it
                warnOnce("jkeras runs its scalar kernels: " + why);
            }
        }
        return g;
    }

    /**
     * Logs through SLF4J (logger {@code org.jkeras}) when the application has bound a provider; without one SLF4J
     * would drop the line after its "no providers" notice, so it goes to {@link System.Logger} (stderr by
     * default) instead: a 9x slowdown is never silent.
     */
    private static void warnOnce(String message) {
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger("org.jkeras");
        if (log instanceof org.slf4j.helpers.NOPLogger) {
            System.getLogger("org.jkeras").log(System.Logger.Level.WARNING, message);
        } else {
            log.warn(message);
        }
    }

    /** The choice itself, separated from the JVM's state so tests can pin every branch. */
    static Gemm chooseGemm(String kernelsProperty, boolean vectorModulePresent) {
        if ("scalar".equals(kernelsProperty) || !vectorModulePresent) {
            return ScalarGemm.INSTANCE;
        }
        try {
            return VectorGemm.INSTANCE;
        } catch (LinkageError e) {
            return ScalarGemm.INSTANCE;
        }
    }
}
