package org.jkeras.keras;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Models that are not files on the default file system (bytes, streams, class-path resources, a
 * {@code .keras} inside a jar's zip file system) are copied, still packed, to a private temporary file
 * and read from there: the hardened readers work on random-access file channels (the zip directory is
 * checked before any entry is read, weights are memory-mapped), and one reader for every source leaves no
 * second, weaker path. The copy is bounded, named like the source so messages name what the user gave,
 * readable by its owner only, and deleted as soon as the model is built.
 */
final class Spool {
    private Spool() {
    }

    /** Whether a path must be spooled: file channels and mapping work on the default file system only. */
    static boolean needed(Path path) {
        return path != null && path.getFileSystem() != FileSystems.getDefault();
    }

    /**
     * Copies {@code in} to a temporary file named {@code name}, applies {@code load} to it and deletes it.
     *
     * @param maxBytes the most bytes the source may hold
     */
    static <T> T through(InputStream in, String name, long maxBytes, Function<Path, T> load) {
        Path dir;
        try {
            dir = createPrivateDirectory();
        } catch (IOException e) {
            throw new KerasImportException(name + ": cannot create a temporary file to read it from: "
                    + e.getMessage(), e);
        }
        try {
            Path file = dir.resolve(safeName(name));
            long n = copy(in, file, maxBytes, name);
            if (n > maxBytes) {
                throw new LimitExceededException(name + ": the model source", Limit.MAX_WEIGHT_BYTES, n, maxBytes);
            }
            return load.apply(file);
        } catch (IOException e) {
            throw new KerasImportException(name + ": cannot read: " + e.getMessage(), e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private static Path createPrivateDirectory() throws IOException {
        try {
            return Files.createTempDirectory("jkeras-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) { // not a POSIX file system (Windows): the user's temp dir
            return Files.createTempDirectory("jkeras-");
        }
    }

    /** Copies at most {@code max + 1} bytes, so a source over the bound is told apart without reading it all. */
    private static long copy(InputStream in, Path file, long max, String name) throws IOException {
        byte[] buf = new byte[1 << 16];
        long n = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            int r;
            while (n <= max && (r = in.read(buf, 0, (int) Math.min(buf.length, max + 1 - n))) > 0) {
                out.write(buf, 0, r);
                n += r;
            }
        }
        return n;
    }

    /** The source's name, reduced to characters safe in a file name; messages then name the user's file. */
    static String safeName(String name) {
        String base = name == null ? "" : name.substring(name.lastIndexOf('/') + 1);
        base = base.replaceAll("[^A-Za-z0-9._-]", "_");
        if (base.isEmpty() || base.equals(".") || base.equals("..") || base.length() > 200) {
            return "model";
        }
        return base;
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // best effort: the directory is private and in the temp area
        }
    }
}
