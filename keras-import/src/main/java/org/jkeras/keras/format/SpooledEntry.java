package org.jkeras.keras.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.jkeras.keras.Limits;

/**
 * A deflated zip entry inflated to a private temporary file and mapped from there, instead of into one array on the
 * heap: a {@code .keras} whose weights entry was deflated (by a tool that re-zipped it; Keras stores it) then needs
 * no more heap than a stored one, where the inflated bytes and the weights read from them would be held at once.
 * The file is readable by its owner only and deleted as soon as it is mapped (the mapping outlives it on POSIX
 * systems; elsewhere it is deleted when the JVM exits).
 */
final class SpooledEntry {
    private SpooledEntry() {
    }

    /** The entry's inflated bytes, mapped read-only; sizes and CRC-32 checked as {@link ZipDirectory#read} does. */
    static ByteBuffer map(FileChannel ch, ZipDirectory dir, ZipDirectory.Entry e, String file, Limits limits)
            throws IOException {
        Path tmpDir = privateDirectory();
        Path tmp = tmpDir.resolve("weights.h5");
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    StandardOpenOption.READ)) {
                dir.inflateTo(ch, e, out, file, limits);
                return out.map(FileChannel.MapMode.READ_ONLY, 0, out.size());
            }
        } finally {
            delete(tmp);
            delete(tmpDir);
        }
    }

    private static Path privateDirectory() throws IOException {
        try {
            return Files.createTempDirectory("jkeras-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) { // not a POSIX file system (Windows): the user's temp dir
            return Files.createTempDirectory("jkeras-");
        }
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException | RuntimeException e) {
            p.toFile().deleteOnExit(); // still mapped where the OS forbids deleting it (Windows)
        }
    }
}
