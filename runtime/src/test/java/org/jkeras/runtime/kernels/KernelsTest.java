package org.jkeras.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KernelsTest {
    @Test
    void surefireRunsWithTheVectorModuleSoVectorKernelsAreChosenUnlessScalarIsAskedFor() {
        // The parent pom passes --add-modules=jdk.incubator.vector to Surefire; -Djkeras.test.kernels=scalar
        // (a second pass over the tests) sets jkeras.kernels=scalar.
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "Surefire must run with --add-modules=jdk.incubator.vector");
        boolean scalar = "scalar".equals(System.getProperty("jkeras.kernels"));
        assertEquals(!scalar, Kernels.vectorized());
        assertSame(scalar ? ScalarGemm.INSTANCE : VectorGemm.INSTANCE, Kernels.gemm());
    }

    @Test
    void scalarPropertyForcesScalarKernels() {
        assertSame(ScalarGemm.INSTANCE, Kernels.chooseGemm("scalar", true));
    }

    @Test
    void missingVectorModuleFallsBackToScalar() {
        assertSame(ScalarGemm.INSTANCE, Kernels.chooseGemm(null, false));
        assertSame(ScalarGemm.INSTANCE, Kernels.chooseGemm("vector", false));
    }

    @Test
    void vectorModuleWithoutOverrideChoosesVector() {
        assertSame(VectorGemm.INSTANCE, Kernels.chooseGemm(null, true));
        assertSame(VectorGemm.INSTANCE, Kernels.chooseGemm("anything-else", true));
    }
}
