package org.jkeras.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A JVM started without {@code --add-modules=jdk.incubator.vector} runs the scalar kernels, says so exactly once
 * with the flag that turns SIMD on (through SLF4J when a provider is bound, else through {@link System.Logger}),
 * and reports it through {@link Kernels#description()}.
 */
class KernelsWithoutVectorModuleTest {
    private static final String WHY = "the jdk.incubator.vector module is not in this JVM; run java with"
            + " --add-modules=jdk.incubator.vector for the SIMD kernels (about 9x faster)";
    private static final String LINE = "jkeras runs its scalar kernels: " + WHY;

    @Test
    void withAnSlf4jProviderTheWarningGoesThroughSlf4jOnce() throws IOException, InterruptedException {
        String cp = System.getProperty("java.class.path");
        assertTrue(cp.contains("slf4j-simple"), "the test class path binds slf4j-simple: " + cp);
        String err = probe(cp);
        // slf4j-simple's layout: "[thread] LEVEL logger - message"
        assertEquals(1, count(err, "WARN org.jkeras - " + LINE), "said once through SLF4J: " + err);
        assertEquals(1, count(err, LINE), "and nowhere else: " + err);
    }

    @Test
    void withoutAProviderTheWarningFallsBackToSystemLoggerOnce() throws IOException, InterruptedException {
        String cp = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.contains("slf4j-simple")).collect(Collectors.joining(File.pathSeparator));
        String err = probe(cp);
        assertTrue(err.contains("No SLF4J providers were found"), "SLF4J's own notice: " + err);
        assertEquals(1, count(err, LINE), "said once on stderr, not swallowed by SLF4J's no-op logger: " + err);
        assertFalse(err.contains("WARN org.jkeras - "), err);
    }

    /** Runs {@link KernelsProbe} without the vector module; returns its stderr after checking its stdout. */
    private static String probe(String classPath) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(List.of(java, "-cp", classPath, KernelsProbe.class.getName())).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe JVM finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals("scalar: " + WHY, out, err);
        return err;
    }

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }
}
