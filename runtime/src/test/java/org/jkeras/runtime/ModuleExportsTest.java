package org.jkeras.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The module descriptor exports the public API and keeps the kernels internal. */
class ModuleExportsTest {
    @Test
    void kernelsAreNotExported() throws IOException, URISyntaxException {
        Path classes = Path.of(Simd.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<String> all = new TreeSet<>();
        try (Stream<Path> files = Files.walk(classes)) {
            files.filter(f -> f.toString().endsWith(".class") && !f.getFileName().toString().equals("module-info.class"))
                    .forEach(f -> all.add(classes.relativize(f.getParent()).toString().replace('/', '.')));
        }
        ModuleDescriptor d;
        Path descriptor = classes.resolve("module-info.class");
        assertTrue(Files.isRegularFile(descriptor), "module-info.class is compiled into " + classes);
        try (InputStream in = Files.newInputStream(descriptor)) {
            d = ModuleDescriptor.read(in, () -> all);
        }
        assertEquals("org.jkeras.runtime", d.name());
        Set<String> exported = new TreeSet<>();
        for (ModuleDescriptor.Exports e : d.exports()) {
            assertEquals(Set.of(), e.targets(), e.source() + " is exported to everyone, not to chosen modules");
            exported.add(e.source());
        }
        Set<String> packages = new TreeSet<>(d.packages());
        packages.removeAll(exported);
        assertEquals(Set.of("org.jkeras.runtime.kernels"), packages, "packages kept internal");
    }
}
