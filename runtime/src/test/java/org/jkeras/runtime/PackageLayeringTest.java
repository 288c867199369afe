package org.jkeras.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The runtime's packages form layers, no two importing each other (directly or round a loop): {@code tensor} at
 * the bottom, then {@code kernels}, {@code layers}, {@code graph}, the root's {@code Model}, and {@code session}
 * and {@code training} on top. Read from the sources, so a new import that closes a loop fails here.
 */
class PackageLayeringTest {
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern REFERENCE = Pattern.compile("org\\.jkeras\\.runtime(?:\\.[a-z]\\w*)*(?=\\.[A-Z])");
    private static final Pattern COMMENT = Pattern.compile("/\\*[\\s\\S]*?\\*/|//[^\\n]*");

    @Test
    void noPackageDependsOnItselfRoundALoop() throws IOException {
        Map<String, Set<String>> deps = dependencies(Path.of("src/main/java"));
        assertTrue(deps.containsKey("org.jkeras.runtime.graph") && deps.containsKey("org.jkeras.runtime"),
                "the sources were read: " + deps.keySet());
        List<String> loops = new ArrayList<>();
        for (var e : deps.entrySet()) {
            for (String to : e.getValue()) {
                if (reaches(deps, to, e.getKey(), new TreeSet<>())) {
                    loops.add(e.getKey() + " -> " + to);
                }
            }
        }
        assertEquals(List.of(), loops, "package dependencies that are part of a loop");
    }

    @Test
    void tensorIsTheBottomLayer() throws IOException {
        assertEquals(Set.of(), dependencies(Path.of("src/main/java")).getOrDefault("org.jkeras.runtime.tensor",
                Set.of()), "jkeras packages org.jkeras.runtime.tensor depends on");
    }

    private static Map<String, Set<String>> dependencies(Path root) throws IOException {
        Map<String, Set<String>> deps = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String source = Files.readString(f);
                Matcher pkg = PACKAGE.matcher(source);
                if (!pkg.find()) {
                    continue; // module-info
                }
                Set<String> to = deps.computeIfAbsent(pkg.group(1), k -> new TreeSet<>());
                Matcher ref = REFERENCE.matcher(COMMENT.matcher(source).replaceAll(""));
                while (ref.find()) {
                    if (!ref.group().equals(pkg.group(1))) {
                        to.add(ref.group());
                    }
                }
            }
        }
        return deps;
    }

    private static boolean reaches(Map<String, Set<String>> deps, String from, String target, Set<String> seen) {
        if (from.equals(target)) {
            return true;
        }
        if (!seen.add(from)) {
            return false;
        }
        for (String next : deps.getOrDefault(from, Set.of())) {
            if (reaches(deps, next, target, seen)) {
                return true;
            }
        }
        return false;
    }
}
