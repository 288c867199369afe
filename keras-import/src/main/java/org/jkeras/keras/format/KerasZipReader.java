package org.jkeras.keras.format;

import io.jhdf.HdfFile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipException;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.config.Json;
import org.jkeras.keras.config.KerasVersion;
import tools.jackson.databind.JsonNode;

/**
 * Reads a Keras 3 {@code .keras} file: a zip holding {@code config.json}, {@code metadata.json}
 * and {@code model.weights.h5}, from a file on any file system or from bytes in memory. Entries are read
 * into memory (never unpacked to disk) with bounded sizes ({@link KerasZipEntries}), so a zip bomb or a
 * lying size field is refused rather than exhausting memory.
 */
public final class KerasZipReader {
    /** Largest config.json / metadata.json accepted. */
    static final long MAX_JSON_BYTES = KerasZipEntries.MAX_JSON_BYTES;
    /** Largest model.weights.h5 accepted (a Java array holds at most ~2 GiB). */
    static final long MAX_WEIGHTS_BYTES = KerasZipEntries.MAX_WEIGHTS_BYTES;

    private KerasZipReader() {
    }

    /**
     * Opens a {@code .keras} file on any file system (a zip file system inside a jar included).
     *
     * @param weightsOverride a separate weights file to use instead of the embedded one, or null
     */
    public static ModelSource read(Path path, Path weightsOverride) {
        String name = String.valueOf(path.getFileName());
        KerasZipEntries entries;
        try {
            entries = KerasZipEntries.read(path, weightsOverride == null, name);
        } catch (ZipException e) {
            throw notAZip(name, e);
        } catch (IOException e) {
            throw new KerasImportException(name + ": cannot read: " + e.getMessage(), e);
        }
        return open(entries, name, weightsOverride);
    }

    /**
     * Opens a {@code .keras} zip held in memory (a classpath resource, an upload).
     *
     * @param name how messages name the source
     */
    public static ModelSource read(byte[] zip, String name) {
        KerasZipEntries entries;
        try {
            entries = KerasZipEntries.read(new ByteArrayInputStream(zip), true, name);
        } catch (ZipException e) {
            throw notAZip(name, e);
        } catch (IOException e) {
            throw new KerasImportException(name + ": cannot read: " + e.getMessage(), e);
        }
        return open(entries, name, null);
    }

    private static KerasImportException notAZip(String name, ZipException e) {
        return new KerasImportException(name + ": not a readable .keras zip (truncated or corrupt?): "
                + e.getMessage(), e);
    }

    private static ModelSource open(KerasZipEntries entries, String name, Path weightsOverride) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FileFormat.KERAS_ZIP.id());
        if (entries.config == null) {
            throw missing(name, KerasZipEntries.CONFIG, entries);
        }
        JsonNode config = Json.parse(new String(entries.config, StandardCharsets.UTF_8), name + ": config.json");
        String recordedVersion = null;
        if (entries.metadata != null) {
            JsonNode metadata = Json.parse(new String(entries.metadata, StandardCharsets.UTF_8), name + ": metadata.json");
            JsonNode v = metadata.get("keras_version");
            if (v != null && v.isString()) {
                recordedVersion = v.stringValue();
            }
        }
        if (weightsOverride == null && entries.weights == null) {
            throw missing(name, KerasZipEntries.WEIGHTS, entries);
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
            HdfFile h5 = Hdf5.open(entries.weights, what);
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

    private static KerasImportException missing(String name, String entry, KerasZipEntries entries) {
        return new KerasImportException(name + ": the .keras zip has no " + entry + " (entries: " + entries.names + ")");
    }
}
