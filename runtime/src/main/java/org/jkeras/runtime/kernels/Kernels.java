package org.jkeras.runtime.kernels;

/**
 * Chooses the kernel implementations once per JVM: the Vector API ones when the
 * {@code jdk.incubator.vector} module is present, the scalar ones otherwise. The system
 * property {@code jkeras.kernels=scalar} forces the scalar path (for tests and comparisons).
 */
public final class Kernels {
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

    private static Gemm chooseGemm() {
        return chooseGemm(System.getProperty("jkeras.kernels"),
                ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
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
