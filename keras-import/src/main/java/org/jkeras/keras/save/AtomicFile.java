package org.jkeras.keras.save;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.jkeras.keras.KerasImportException;

/**
 * Writes a file so that it is either the complete new file or untouched: the content goes to a
 * temporary file beside the target, which is then moved over it (atomically where the file system can).
 */
final class AtomicFile {
    /** Writes the content into the given (temporary) path. */
    @FunctionalInterface
    interface Content {
        void writeTo(Path tmp) throws IOException;
    }

    private AtomicFile() {
    }

    static void write(Path target, Content content) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        String name = String.valueOf(abs.getFileName());
        if (dir == null || !Files.isDirectory(dir)) {
            throw new KerasImportException(name + ": cannot write: directory " + dir + " does not exist");
        }
        if (Files.isDirectory(abs)) {
            throw new KerasImportException(name + ": cannot write: " + abs + " is a directory");
        }
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + name + ".", ".tmp");
            content.writeTo(tmp);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            String why = e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : e instanceof java.nio.file.NoSuchFileException ? "no such directory"
                    : e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
                    : String.valueOf(e.getMessage());
            throw new KerasImportException(name + ": cannot write " + abs + ": " + why, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the target itself was not touched
                }
            }
        }
    }
}
