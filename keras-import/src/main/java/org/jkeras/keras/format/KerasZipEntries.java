package org.jkeras.keras.format;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.jkeras.keras.KerasImportException;

/**
 * The entries of a {@code .keras} zip that jkeras reads ({@code config.json}, {@code metadata.json},
 * {@code model.weights.h5}). A file on the default file system is read with random access
 * ({@link ZipFile}); anything else (a {@code .keras} inside an application jar, a classpath resource,
 * an upload held in memory) in one pass ({@link ZipInputStream}), because {@code ZipFile} needs a
 * {@link java.io.File}. Either way every entry is read with a bounded size and nothing is unpacked to disk.
 */
final class KerasZipEntries {
    static final String CONFIG = "config.json";
    static final String METADATA = "metadata.json";
    static final String WEIGHTS = "model.weights.h5";
    /** Largest config.json / metadata.json accepted. */
    static final long MAX_JSON_BYTES = 64L << 20;
    /** Largest model.weights.h5 accepted (a Java array holds at most ~2 GiB). */
    static final long MAX_WEIGHTS_BYTES = Integer.MAX_VALUE - 64;
    /** Most entries a streamed zip may hold (Keras writes three, plus assets). */
    static final int MAX_ENTRIES = 10_000;
    private static final int NAMES_SHOWN = 20;

    /** The entry's bytes, or null when the zip has no such entry (or it was not asked for). */
    final byte[] config;
    final byte[] metadata;
    final byte[] weights;
    /** The first entry names, for error messages. */
    final List<String> names;

    private KerasZipEntries(byte[] config, byte[] metadata, byte[] weights, List<String> names) {
        this.config = config;
        this.metadata = metadata;
        this.weights = weights;
        this.names = names;
    }

    /**
     * Reads the entries of a {@code .keras} file on any file system.
     *
     * @param wantWeights false when a separate weights file replaces {@code model.weights.h5}
     */
    static KerasZipEntries read(Path path, boolean wantWeights, String name) throws IOException {
        if (path.getFileSystem() != FileSystems.getDefault()) {
            try (InputStream in = Files.newInputStream(path)) {
                return read(in, wantWeights, name);
            }
        }
        try (ZipFile zip = new ZipFile(path.toFile())) {
            List<String> names = new ArrayList<>();
            zip.stream().limit(NAMES_SHOWN).forEach(z -> names.add(z.getName()));
            return new KerasZipEntries(entry(zip, CONFIG, MAX_JSON_BYTES, name), entry(zip, METADATA, MAX_JSON_BYTES, name),
                    wantWeights ? entry(zip, WEIGHTS, MAX_WEIGHTS_BYTES, name) : null, names);
        }
    }

    /** Reads the entries of a {@code .keras} zip from a stream, in one pass. */
    static KerasZipEntries read(InputStream stream, boolean wantWeights, String name) throws IOException {
        byte[] config = null;
        byte[] metadata = null;
        byte[] weights = null;
        List<String> names = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(stream)) {
            int count = 0;
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (++count > MAX_ENTRIES) {
                    throw new KerasImportException(name + ": the .keras zip has more than " + MAX_ENTRIES + " entries");
                }
                if (names.size() < NAMES_SHOWN) {
                    names.add(e.getName());
                }
                String n = e.getName();
                boolean known = n.equals(CONFIG) || n.equals(METADATA) || n.equals(WEIGHTS);
                if (known && seen.contains(n)) {
                    // the central directory and a one-pass reader could pick different copies: refuse
                    throw new KerasImportException(name + ": the .keras zip holds " + n + " twice");
                }
                if (known) {
                    seen.add(n);
                }
                if (n.equals(CONFIG)) {
                    config = readBounded(zip, e.getSize(), MAX_JSON_BYTES, name, n);
                } else if (n.equals(METADATA)) {
                    metadata = readBounded(zip, e.getSize(), MAX_JSON_BYTES, name, n);
                } else if (n.equals(WEIGHTS) && wantWeights) {
                    weights = readBounded(zip, e.getSize(), MAX_WEIGHTS_BYTES, name, n);
                }
            }
        }
        return new KerasZipEntries(config, metadata, weights, names);
    }

    private static byte[] entry(ZipFile zip, String entry, long limit, String name) throws IOException {
        ZipEntry e = zip.getEntry(entry);
        if (e == null) {
            return null;
        }
        try (InputStream in = zip.getInputStream(e)) {
            return readBounded(in, e.getSize(), limit, name, e.getName());
        }
    }

    /**
     * Reads an entry, refusing one whose declared size is over {@code limit} or that inflates to
     * more bytes than declared; memory grows with the bytes actually read, not with the claim.
     *
     * @param declared the size the zip declares, or -1 when it declares none
     */
    static byte[] readBounded(InputStream in, long declared, long limit, String name, String entry) throws IOException {
        if (declared > limit) {
            throw new KerasImportException(name + ": zip entry " + entry + " declares " + declared
                    + " bytes, more than the " + limit + " accepted");
        }
        long cap = declared >= 0 ? declared : limit;
        byte[] buf = new byte[(int) Math.min(Math.max(cap, 1), 1 << 20)];
        int n = 0;
        while (true) {
            if (n == buf.length) {
                if (n >= cap) {
                    if (in.read() < 0) {
                        break;
                    }
                    throw new KerasImportException(name + ": zip entry " + entry + (declared >= 0
                            ? " inflates to more than its declared " + cap + " bytes (corrupt zip or zip bomb)"
                            : " inflates to more than the " + limit + " bytes accepted (zip bomb?)"));
                }
                buf = Arrays.copyOf(buf, (int) Math.min(cap, 2L * buf.length));
            }
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        if (declared >= 0 && n != declared) {
            throw new KerasImportException(name + ": zip entry " + entry + " holds " + n
                    + " bytes but declares " + declared + " (truncated or corrupt zip)");
        }
        return n == buf.length ? buf : Arrays.copyOf(buf, n);
    }
}
