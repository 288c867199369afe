package org.jkeras.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A JVM started without {@code --add-modules=jdk.incubator.vector} runs the scalar kernels, says so once on
 * stderr with the flag that turns SIMD on, and reports it through {@link Kernels#description()}.
 */
class KernelsWithoutVectorModuleTest {
    @Test
    void withoutTheModuleTheScalarKernelsRunAndTheFlagIsNamedOnce() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                KernelsProbe.class.getName())).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe JVM finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        String why = "the jdk.incubator.vector module is not in this JVM; run java with"
                + " --add-modules=jdk.incubator.vector for the SIMD kernels (about 9x faster)";
        assertEquals("scalar: " + why, out);
        assertEquals(1, err.split("jkeras runs its scalar kernels: " + Pattern.quote(why), -1).length - 1,
                "said once on stderr: " + err);
    }
}
