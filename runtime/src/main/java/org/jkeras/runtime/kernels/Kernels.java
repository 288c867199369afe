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

    private static Gemm chooseGemm() {
        if ("scalar".equals(System.getProperty("jkeras.kernels"))) {
            return ScalarGemm.INSTANCE;
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return ScalarGemm.INSTANCE;
        }
        try {
            return VectorGemm.INSTANCE;
        } catch (LinkageError e) {
            return ScalarGemm.INSTANCE;
        }
    }
}
