package org.jkeras.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/** Error lines say why a file operation failed in words, never by the Java exception's class name. */
class IoReasonTest {
    @Test
    void fileSystemFailuresAreNamedInWords() {
        assertEquals("permission denied", Text.ioReason(new AccessDeniedException("/m/model.keras")));
        assertEquals("no such file or directory", Text.ioReason(new NoSuchFileException("/m/model.keras")));
        assertEquals("Is a directory", Text.ioReason(new FileSystemException("/m", null, "Is a directory")));
        assertEquals("file system error", Text.ioReason(new FileSystemException("/m")));
    }

    @Test
    void otherIoFailuresGiveTheirMessage() {
        assertEquals("disk full", Text.ioReason(new IOException("disk full")));
        assertEquals("I/O error", Text.ioReason(new IOException()));
    }
}
