package org.jkeras.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** Text helpers for terminal output. */
final class Text {
    private Text() {
    }

    /**
     * Replaces line breaks and tabs with spaces and other control characters (escape sequences)
     * with {@code ?}:
     * layer names and error messages can echo an untrusted model file, which must not be able to
     * drive the user's terminal or forge extra output lines.
     */
    static String safe(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            if (c == '\n' || c == '\r' || c == '\t') {
                b.append(' ');
            } else if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
                b.append('?');
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }

    /**
     * Why an I/O operation failed, in words rather than a Java class name ({@code AccessDeniedException},
     * {@code FileSystemException} say nothing to a shell user).
     */
    static String ioReason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof FileSystemException f) {
            return f.getReason() != null ? f.getReason() : "file system error";
        }
        return e.getMessage() != null ? e.getMessage() : "I/O error";
    }

    /** {@code s} padded with spaces to {@code width}. */
    static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    /** {@code s} padded on the left to {@code width}. */
    static String padLeft(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }
}
