package org.jkeras.keras.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.jkeras.keras.KerasImportException;

/**
 * Tells the format of a file from its bytes, never its name: a zip starts with
 * {@code PK\3\4}; an HDF5 file has its signature at offset 0, 512, 1024, 2048, ... (the
 * HDF5 spec allows a user block before it); a JSON config starts with '{' after optional
 * whitespace (and UTF-8 byte order mark).
 */
public final class FormatDetector {
    private static final byte[] ZIP = {'P', 'K', 3, 4};
    private static final byte[] HDF5 = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    /** The HDF5 signature is searched up to this offset (user blocks are rarely larger). */
    private static final long MAX_SUPERBLOCK_OFFSET = 1L << 20;

    private FormatDetector() {
    }

    /**
     * The file's format.
     *
     * @throws KerasImportException when the file is missing, unreadable or none of the formats
     */
    public static FileFormat detect(Path file) {
        String name = String.valueOf(file.getFileName());
        try (SeekableByteChannel ch = Files.newByteChannel(file)) {
            long size = ch.size();
            byte[] head = read(ch, 0, 64);
            if (startsWith(head, ZIP)) {
                return FileFormat.KERAS_ZIP;
            }
            for (long offset = 0; offset < Math.min(size, MAX_SUPERBLOCK_OFFSET); offset = next(offset)) {
                if (startsWith(read(ch, offset, HDF5.length), HDF5)) {
                    return FileFormat.LEGACY_H5;
                }
            }
            return jsonOrRefuse(head, name);
        } catch (NoSuchFileException e) {
            throw new KerasImportException(name + ": no such file (" + file + ")", e);
        } catch (IOException e) {
            throw new KerasImportException(name + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * The format of a file held in memory.
     *
     * @param name how messages name the source
     * @throws KerasImportException when the bytes are none of the formats
     */
    public static FileFormat detect(byte[] bytes, String name) {
        if (startsWith(bytes, ZIP)) {
            return FileFormat.KERAS_ZIP;
        }
        for (long offset = 0; offset < Math.min(bytes.length, MAX_SUPERBLOCK_OFFSET); offset = next(offset)) {
            if (bytes.length - offset >= HDF5.length
                    && Arrays.equals(bytes, (int) offset, (int) offset + HDF5.length, HDF5, 0, HDF5.length)) {
                return FileFormat.LEGACY_H5;
            }
        }
        return jsonOrRefuse(Arrays.copyOf(bytes, Math.min(bytes.length, 64)), name);
    }

    /** Superblock offsets the HDF5 spec allows: 0, 512, 1024, 2048, ... */
    private static long next(long offset) {
        return offset == 0 ? 512 : offset * 2;
    }

    private static FileFormat jsonOrRefuse(byte[] head, String name) {
        int i = 0;
        if (head.length >= 3 && (head[0] & 0xff) == 0xef && (head[1] & 0xff) == 0xbb && (head[2] & 0xff) == 0xbf) {
            i = 3;
        }
        while (i < head.length && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) {
            i++;
        }
        if (i < head.length && head[i] == '{') {
            return FileFormat.JSON;
        }
        throw new KerasImportException(name + ": not a Keras model file: it is neither a .keras zip, an HDF5 file"
                + " nor a JSON config (first bytes: " + hex(head) + ")");
    }

    private static byte[] read(SeekableByteChannel ch, long offset, int n) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(n);
        ch.position(offset);
        while (buf.hasRemaining() && ch.read(buf) > 0) {
            // keep reading: a channel may return fewer bytes than asked
        }
        return Arrays.copyOf(buf.array(), buf.position());
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        return data.length >= prefix.length && Arrays.equals(data, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static String hex(byte[] head) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(8, head.length); i++) {
            sb.append(String.format("%02x", head[i] & 0xff));
        }
        return head.length == 0 ? "empty file" : sb.toString();
    }
}
