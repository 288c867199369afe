package org.jkeras.keras.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.Limits;

/**
 * Tells the format of a file from its bytes, never its name: a zip starts with {@code PK\3\4} or, as Python's
 * {@code zipfile} also accepts, ends with a zip directory; an HDF5 file has its signature at offset 0, 512, 1024,
 * 2048, ... (the HDF5 library's search: a user block may come first); a JSON config starts with '{' after
 * optional whitespace (and UTF-8 byte order mark).
 *
 * <p>A file that more than one reader accepts (a polyglot) is refused: Keras picks the reader by the file's name,
 * so such a file could present one model to Keras and another to jkeras. The one exception is what Keras itself
 * writes: a {@code .keras} zip whose {@code model.weights.h5} entry, stored uncompressed, happens to start where
 * the HDF5 library would look for a signature. That HDF5 image is the weights file itself, and the zip reader
 * refuses it if it also claims to be a whole model (a {@code model_config} attribute).
 */
public final class FormatDetector {
    private static final byte[] ZIP = {'P', 'K', 3, 4};
    private static final byte[] HDF5 = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    private FormatDetector() {
    }

    /**
     * The file's format, with the default limits.
     *
     * @param file the model file
     * @return its format, from its first bytes and its content
     * @throws KerasImportException when the file is missing, unreadable, none of the formats or several
     */
    public static FileFormat detect(Path file) {
        return detect(file, Limits.defaults());
    }

    /**
     * The file's format.
     *
     * @param file   the model file
     * @param limits the bounds on what is read to tell the formats apart
     * @return its format, from its first bytes and its content
     * @throws KerasImportException when the file is missing, unreadable, none of the formats or several
     */
    public static FileFormat detect(Path file, Limits limits) {
        String name = String.valueOf(file.getFileName());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            byte[] head = read(ch, 0, 64);
            boolean zip = startsWith(head, ZIP) || ZipDirectory.find(ch) != null;
            long h5 = hdf5Offset(ch);
            boolean json = looksLikeJson(head);
            int kinds = (zip ? 1 : 0) + (h5 >= 0 ? 1 : 0) + (json ? 1 : 0);
            if (kinds == 0) {
                throw new KerasImportException(name + ": not a Keras model file: it is neither a .keras zip, an HDF5"
                        + " file nor a JSON config (first bytes: " + hex(head) + ")");
            }
            if (kinds == 1) {
                return zip ? FileFormat.KERAS_ZIP : h5 >= 0 ? FileFormat.LEGACY_H5 : FileFormat.JSON;
            }
            if (zip && h5 >= 0 && !json && isEmbeddedWeights(ch, h5, name, limits)) {
                return FileFormat.KERAS_ZIP;
            }
            throw new KerasImportException(name + ": the file is at the same time " + (zip ? "a zip" : "")
                    + (zip && h5 >= 0 ? " and " : "") + (h5 >= 0 ? "an HDF5 file (signature at offset " + h5 + ")" : "")
                    + (json ? (zip || h5 >= 0 ? " and " : "") + "a JSON text" : "") + " (a polyglot): Keras would read"
                    + " it one way or the other depending on its name, so it is refused as ambiguous");
        } catch (NoSuchFileException e) {
            throw new KerasImportException(name + ": no such file (" + file + ")", e);
        } catch (IOException e) {
            throw new KerasImportException(name + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** True when the HDF5 signature at {@code offset} is the start of the zip's stored model.weights.h5. */
    private static boolean isEmbeddedWeights(FileChannel ch, long offset, String name, Limits limits)
            throws IOException {
        ZipDirectory dir = ZipDirectory.parse(ch, name, limits);
        ZipDirectory.Entry w = dir.entry(KerasZipReader.WEIGHTS);
        return w != null && w.method() == 0 && dir.dataOffset(ch, w, name) == offset;
    }

    /** Where the HDF5 library would find a signature (0, 512, 1024, 2048, ...), or -1. */
    static long hdf5Offset(FileChannel ch) throws IOException {
        long size = ch.size();
        for (long offset = 0; offset < size; offset = offset == 0 ? 512 : offset * 2) {
            if (startsWith(read(ch, offset, HDF5.length), HDF5)) {
                return offset;
            }
        }
        return -1;
    }

    private static boolean looksLikeJson(byte[] head) {
        int i = 0;
        if (head.length >= 3 && (head[0] & 0xff) == 0xef && (head[1] & 0xff) == 0xbb && (head[2] & 0xff) == 0xbf) {
            i = 3;
        }
        while (i < head.length && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) {
            i++;
        }
        return i < head.length && head[i] == '{';
    }

    private static byte[] read(FileChannel ch, long offset, int n) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(n);
        long pos = offset;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos);
            if (r <= 0) {
                break;
            }
            pos += r;
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
