package org.jkeras.keras.format;

import io.jhdf.HdfFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jkeras.keras.Echo;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.Limit;
import org.jkeras.keras.Limits;
import org.jkeras.keras.config.Json;
import org.jkeras.keras.KerasVersion;
import tools.jackson.databind.JsonNode;

/**
 * Reads a Keras 3 {@code .keras} file: a zip holding {@code config.json}, {@code metadata.json}
 * and {@code model.weights.h5}. Nothing is unpacked to disk. The zip's directory is checked first
 * ({@link ZipDirectory#parse}: entry count, unique names, no links or escaping names); JSON entries are
 * inflated with bounded sizes and CRC checks; the weights entry, which Keras stores uncompressed, is mapped
 * straight from the file, so opening a large model holds no copy of its weights file on the heap (a deflated
 * one is inflated, ratio-checked, to a private temporary file mapped the same way, see {@link SpooledEntry}).
 */
public final class KerasZipReader {
    /** The weights entry Keras writes. */
    static final String WEIGHTS = "model.weights.h5";

    private KerasZipReader() {
    }

    /**
     * Opens a {@code .keras} file.
     *
     * @param path            the {@code .keras} zip, on any file system
     * @param weightsOverride a separate weights file to use instead of the embedded one, or null
     * @param limits          the bounds on entry sizes and counts and on the weights
     * @return the config and weights, open until the source is closed
     * @throws KerasImportException when the file is missing, malformed or over a limit
     */
    public static ModelSource read(Path path, Path weightsOverride, Limits limits) {
        String name = String.valueOf(path.getFileName());
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FileFormat.KERAS_ZIP.id());
        JsonNode config;
        String recordedVersion = null;
        HdfFile embedded = null;
        String what = name + ": " + WEIGHTS;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ZipDirectory dir = ZipDirectory.parse(ch, name, limits);
            config = Json.parse(entryText(ch, dir, name, "config.json", true, limits), name + ": config.json", limits);
            String metadataText = entryText(ch, dir, name, "metadata.json", false, limits);
            if (metadataText != null) {
                JsonNode metadata = Json.parse(metadataText, name + ": metadata.json", limits);
                JsonNode v = metadata.get("keras_version");
                if (v != null && v.isString()) {
                    recordedVersion = v.stringValue();
                }
            }
            if (weightsOverride == null) {
                embedded = openWeights(ch, dir, name, limits);
            }
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
            WeightFiles.Opened w = WeightFiles.open(weightsOverride, limits);
            resources.add(w.file());
            weights = w.source();
        } else {
            resources.add(embedded);
            try {
                weights = WeightFiles.of(new Hdf5Tree(embedded, what, limits), what).source();
            } catch (RuntimeException e) {
                embedded.close();
                throw e;
            }
        }
        JsonNode compile = config.get("compile_config");
        return new ModelSource(name, config, weights, version, meta, resources,
                compile == null || compile.isNull() ? null : compile, limits);
    }

    /**
     * Opens the embedded weights file: mapped when stored (as Keras writes it), inflated to a mapped temporary file
     * when deflated. When the
     * whole file is also an HDF5 file whose image is this entry (see {@link FormatDetector}), the entry must not
     * claim to be a model itself.
     */
    static HdfFile openWeights(FileChannel ch, ZipDirectory dir, String name, Limits limits) throws IOException {
        String what = name + ": " + WEIGHTS;
        ZipDirectory.Entry we = dir.entry(WEIGHTS);
        if (we == null) {
            throw new KerasImportException(name + ": the .keras zip has no " + WEIGHTS + " (entries: "
                    + entryNames(dir) + ")");
        }
        if (we.method() != 0) { // inflated to a temporary file, not the heap: the weights are then held once
            return Hdf5.open(SpooledEntry.map(ch, dir, we, name, limits), what);
        }
        ByteBuffer mapped = dir.map(ch, we, name, limits);
        HdfFile h5 = Hdf5.open(mapped, what);
        if (dir.dataOffset(ch, we, name) == FormatDetector.hdf5Offset(ch) && h5.getAttribute("model_config") != null) {
            h5.close();
            throw new KerasImportException(name + ": the file is at the same time a .keras zip and a legacy HDF5"
                    + " model (its " + WEIGHTS + " starts where an HDF5 reader looks and has a model_config): a"
                    + " polyglot that Keras would read one way or the other depending on its name; refused");
        }
        return h5;
    }

    private static String entryText(FileChannel ch, ZipDirectory dir, String name, String entry, boolean required,
                                    Limits limits) throws IOException {
        ZipDirectory.Entry e = dir.entry(entry);
        if (e == null) {
            if (required) {
                throw new KerasImportException(name + ": the .keras zip has no " + entry + " (entries: "
                        + entryNames(dir) + ")");
            }
            return null;
        }
        return new String(dir.read(ch, e, Limit.MAX_JSON_BYTES, name, limits), StandardCharsets.UTF_8);
    }

    /** The entry's text (a JSON entry of a .keras file), bounded by {@link Limit#MAX_JSON_BYTES}. */
    static String jsonEntry(FileChannel ch, ZipDirectory dir, String name, String entry, Limits limits)
            throws IOException {
        return entryText(ch, dir, name, entry, true, limits);
    }

    private static String entryNames(ZipDirectory dir) {
        List<String> names = new ArrayList<>();
        dir.entries().stream().limit(20).forEach(z -> names.add(Echo.of(z.name())));
        return String.join(", ", names) + (dir.entries().size() > 20 ? ", ..." : "");
    }
}
