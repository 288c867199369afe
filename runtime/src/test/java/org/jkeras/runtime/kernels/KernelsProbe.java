package org.jkeras.runtime.kernels;

/** Prints {@link Kernels#description()}: run in a JVM of a chosen configuration by {@link KernelsWithoutVectorModuleTest}. */
public final class KernelsProbe {
    private KernelsProbe() {
    }

    /** Entry point. */
    public static void main(String[] args) {
        System.out.println(Kernels.description());
    }
}
