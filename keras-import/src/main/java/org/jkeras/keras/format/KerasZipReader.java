package org.jkeras.keras.format;

import io.jhdf.HdfFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.config.Json;
import org.jkeras.keras.config.KerasVersion;
import tools.jackson.databind.JsonNode;

/**
 * Reads a Keras 3 {@code .keras} file: a zip holding {@code config.json}, {@code metadata.json}
 * and {@code model.weights.h5}. Entries are read into memory (never unpacked to disk) with
 * bounded sizes, so a zip bomb or a lying size field is refused rather than exhausting memory.
 */
public final class KerasZipReader {
    /** Largest config.json / metadata.json accepted. */
    static final long MAX_JSON_BYTES = 64L << 20;
    /** Largest model.weights.h5 accepted (a Java array holds at most ~2 GiB). */
    static final long MAX_WEIGHTS_BYTES = Integer.MAX_VALUE - 64;

    private KerasZipReader() {
    }

    /**
     * Opens a {@code .keras} file.
     *
     * @param weightsOverride a separate weights file to use instead of the embedded one, or null
     */
    public static ModelSource read(Path path, Path weightsOverride) {
        String name = String.valueOf(path.getFileName());
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FileFormat.KERAS_ZIP.id());
        JsonNode config;
        String recordedVersion = null;
        byte[] weightsBytes = null;
        try (ZipFile zip = new ZipFile(path.toFile())) {
            config = Json.parse(entryText(zip, name, "config.json", true), name + ": config.json");
            String metadataText = entryText(zip, name, "metadata.json", false);
            if (metadataText != null) {
                JsonNode metadata = Json.parse(metadataText, name + ": metadata.json");
                JsonNode v = metadata.get("keras_version");
                if (v != null && v.isString()) {
                    recordedVersion = v.stringValue();
                }
            }
            if (weightsOverride == null) {
                ZipEntry we = zip.getEntry("model.weights.h5");
                if (we == null) {
                    throw new KerasImportException(name + ": the .keras zip has no model.weights.h5 (entries: "
                            + entryNames(zip) + ")");
                }
                weightsBytes = readBounded(zip, we, MAX_WEIGHTS_BYTES, name);
            }
        } catch (ZipException e) {
            throw new KerasImportException(name + ": not a readable .keras zip (truncated or corrupt?): "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new KerasImportException(name + ": cannot read: " + e.getMessage(), e);
        }
        if (recordedVersion != null) {
            meta.put("keras_version", recordedVersion);
        }
        KerasVersion version = KerasVersion.parse(recordedVersion);
        if (version == null) {
            version = KerasVersion.inferred(3);
        }
        List<AutoCloseable> resources = new ArrayList<>();
        WeightSource weights;
        if (weightsOverride != null) {
            WeightFiles.Opened w = WeightFiles.open(weightsOverride);
            resources.add(w.file());
            weights = w.source();
        } else {
            String what = name + ": model.weights.h5";
            HdfFile h5 = Hdf5.open(weightsBytes, what);
            resources.add(h5);
            try {
                weights = WeightFiles.of(h5, what).source();
            } catch (RuntimeException e) {
                h5.close();
                throw e;
            }
        }
        JsonNode compile = config.get("compile_config");
        return new ModelSource(name, config, weights, version, meta, resources,
                compile == null || compile.isNull() ? null : compile);
    }

    private static String entryText(ZipFile zip, String name, String entry, boolean required) throws IOException {
        ZipEntry e = zip.getEntry(entry);
        if (e == null) {
            if (required) {
                throw new KerasImportException(name + ": the .keras zip has no " + entry + " (entries: "
                        + entryNames(zip) + ")");
            }
            return null;
        }
        return new String(readBounded(zip, e, MAX_JSON_BYTES, name), StandardCharsets.UTF_8);
    }

    /**
     * Reads an entry, refusing one whose declared size is over {@code limit} or that inflates to
     * more bytes than declared; memory grows with the bytes actually read, not with the claim.
     */
    static byte[] readBounded(ZipFile zip, ZipEntry e, long limit, String name) throws IOException {
        long declared = e.getSize();
        long cap = declared >= 0 ? Math.min(declared, limit) : limit;
        if (declared > limit) {
            throw new KerasImportException(name + ": zip entry " + e.getName() + " declares " + declared
                    + " bytes, more than the " + limit + " accepted");
        }
        byte[] buf = new byte[(int) Math.min(Math.max(cap, 1), 1 << 20)];
        int n = 0;
        try (InputStream in = zip.getInputStream(e)) {
            while (true) {
                if (n == buf.length) {
                    if (n >= cap) {
                        if (in.read() < 0) {
                            break;
                        }
                        throw new KerasImportException(name + ": zip entry " + e.getName()
                                + " inflates to more than its declared " + cap + " bytes (corrupt zip or zip bomb)");
                    }
                    buf = Arrays.copyOf(buf, (int) Math.min(cap, 2L * buf.length));
                }
                int r = in.read(buf, n, buf.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        }
        if (declared >= 0 && n != declared) {
            throw new KerasImportException(name + ": zip entry " + e.getName() + " holds " + n
                    + " bytes but declares " + declared + " (truncated or corrupt zip)");
        }
        return n == buf.length ? buf : Arrays.copyOf(buf, n);
    }

    private static List<String> entryNames(ZipFile zip) {
        List<String> names = new ArrayList<>();
        zip.stream().limit(20).forEach(z -> names.add(z.getName()));
        return names;
    }
}
