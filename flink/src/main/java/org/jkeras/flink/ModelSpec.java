package org.jkeras.flink;

import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import org.jkeras.keras.KerasModels;
import org.jkeras.runtime.Model;

/**
 * Where a job's task managers find the Keras model: a path every task manager can read (a shared
 * or container file system), or the file's bytes carried in the job itself. Serializable, so it
 * travels in the job graph; {@link #version()} names the model for the {@link ModelSwap} rule and in
 * every {@link Prediction}.
 */
public final class ModelSpec implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    /** Model files carried in the job graph are kept small: larger ones belong on a file system. */
    static final int MAX_BYTES = 256 << 20;

    private final String path;  // null when bytes are given
    private final byte[] bytes; // null when a path is given
    private final String version;
    private final boolean bfloat16Kernels; // absent from specs serialized before it existed: false

    private ModelSpec(String path, byte[] bytes, String version, boolean bfloat16Kernels) {
        this.path = path;
        this.bytes = bytes;
        this.version = Objects.requireNonNull(version, "version");
        this.bfloat16Kernels = bfloat16Kernels;
        if (version.isEmpty()) {
            throw new IllegalArgumentException("the model version must not be empty");
        }
    }

    /**
     * A model file ({@code .keras}, {@code .h5}) read on each task manager from {@code path}.
     *
     * @param version the name of this model version (e.g. {@code "2026-12-01"}); a job restored
     *                with another version applies its {@link ModelSwap} rule
     */
    public static ModelSpec ofPath(String path, String version) {
        return new ModelSpec(Objects.requireNonNull(path, "path"), null, version, false);
    }

    /**
     * A model file's bytes ({@code .keras} or {@code .h5}), shipped inside the job.
     *
     * @throws IllegalArgumentException when the file is larger than 256 MiB
     */
    public static ModelSpec ofBytes(byte[] modelFile, String version) {
        if (modelFile.length > MAX_BYTES) {
            throw new IllegalArgumentException("a model of " + modelFile.length + " bytes is too large to ship in the"
                    + " job (at most " + MAX_BYTES + "): put it on a file system and use ModelSpec.ofPath");
        }
        return new ModelSpec(null, modelFile.clone(), version, false);
    }

    /** The bytes of a local model file, shipped inside the job. */
    public static ModelSpec ofFile(Path modelFile, String version) {
        try {
            return ofBytes(Files.readAllBytes(modelFile), version);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model file " + modelFile, e);
        }
    }

    /**
     * The same model with every kernel rounded to bfloat16 on each task manager ({@code Model.withBfloat16Kernels()},
     * the README's "bfloat16 kernels"): the batch-1 steps stream half the weight bytes, the outputs move within that
     * section's documented tolerance of float32's. The version name stays; a job restored with it keeps its states.
     */
    public ModelSpec withBfloat16Kernels() {
        return new ModelSpec(path, bytes, version, true);
    }

    /** The model version's name. */
    public String version() {
        return version;
    }

    /** What identifies the model's content in a JVM's cache: the version and the path or bytes' hash. */
    String cacheKey() {
        return version + (path != null ? "|path:" + path : "|sha256:" + sha256(bytes)) + (bfloat16Kernels ? "|bf16" : "");
    }

    /**
     * Loads the model (once per JVM through {@link SharedModels}).
     *
     * @throws IllegalArgumentException naming the layer when bfloat16 kernels were asked for and a layer holds a
     *                                  kernel jkeras cannot rebuild rounded
     */
    Model load() {
        Model model = loadFile();
        return bfloat16Kernels ? model.withBfloat16Kernels() : model;
    }

    private Model loadFile() {
        if (path != null) {
            return KerasModels.load(Path.of(path));
        }
        Path tmp = null;
        try {
            // KerasModels reads files; the bytes' format is sniffed from their content, not the name
            tmp = Files.createTempFile("jkeras-model-", ".bin");
            Files.write(tmp, bytes);
            return KerasModels.load(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage the model bytes of version " + version, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            }
        }
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "model " + version + (path != null ? " at " + path : " (" + bytes.length + " bytes in the job)")
                + (bfloat16Kernels ? ", bfloat16 kernels" : "");
    }
}
