package org.jkeras.keras.save;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.config.Json;
import org.jkeras.runtime.Model;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Saves an imported (or derived) model as Keras 3 files, the way {@code keras.saving.save_model} and
 * {@code model.save_weights} write them. Used through {@link org.jkeras.keras.KerasModels#save} and
 * {@link org.jkeras.keras.KerasModels#saveWeights}.
 */
public final class KerasWriter {
    /** The Keras version whose file layout the writer follows (and against which it is checked). */
    public static final String KERAS_VERSION = "3.15.1";
    private static final DateTimeFormatter SAVED = DateTimeFormatter.ofPattern("yyyy-MM-dd@HH:mm:ss");

    private KerasWriter() {
    }

    /**
     * Writes a {@code .keras} zip: {@code metadata.json}, {@code config.json} (the origin's Keras 3 config,
     * its {@code compile_config} replaced when the state gives one) and {@code model.weights.h5}, stored
     * uncompressed in that order as Keras writes them.
     *
     * @param model  a model loaded (or fine-tuned from one loaded) by {@code KerasModels}
     * @param target the file to write, ending in {@code .keras}
     * @param state  the compile config and optimizer variables to write, or {@link TrainingState#none()}
     * @throws KerasImportException when the model has no Keras origin, its config cannot be written as
     *                              Keras 3, it no longer matches its origin, or the file cannot be written
     */
    public static void save(Model model, Path target, TrainingState state) {
        String name = name(target, ".keras");
        KerasOrigin origin = origin(model, name);
        if (origin.keras3Config() == null) {
            throw new KerasImportException(name + ": cannot save as .keras: " + origin.refusal());
        }
        ObjectNode config = (ObjectNode) origin.keras3Config();
        JsonNode compile = state.compileConfig() != null ? state.compileConfig() : origin.compileConfig();
        if (!state.optimizerVariables().isEmpty() && (compile == null || !compile.has("optimizer"))) {
            throw new KerasImportException(name + ": optimizer variables need a compile config with an optimizer"
                    + " (Keras drops the optimizer state of a model it does not compile)");
        }
        if (state.compileConfig() != null) {
            config.set("compile_config", compile);
        }
        ObjectNode metadata = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        metadata.put("keras_version", origin.kerasMajor() == 3 && origin.kerasVersion() != null
                ? origin.kerasVersion() : KERAS_VERSION);
        metadata.put("date_saved", LocalDateTime.now().format(SAVED));
        metadata.put("saved_by", "jkeras");
        String optimizerName = optimizerName(compile);
        AtomicFile.write(target, tmp -> {
            Path h5 = Files.createTempFile(tmp.getParent(), "." + name + ".", ".h5.tmp");
            try {
                WeightsH5Writer.write(h5, name + ": model.weights.h5", model, origin, state.optimizerVariables(),
                        optimizerName);
                try (OutputStream out = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(out)) {
                    stored(zip, "metadata.json", Json.write(metadata).getBytes(StandardCharsets.UTF_8));
                    stored(zip, "config.json", Json.write(config).getBytes(StandardCharsets.UTF_8));
                    stored(zip, "model.weights.h5", Files.readAllBytes(h5));
                }
            } finally {
                Files.deleteIfExists(h5);
            }
        });
    }

    /**
     * Writes a {@code .weights.h5} file: the layout {@code model.save_weights()} writes and
     * {@code model.load_weights()} reads, with {@code optimizer/vars} when the state has optimizer variables.
     * A model whose config cannot be written as Keras 3 can still have its weights written: the layout
     * depends only on the layers.
     *
     * @param model  a model loaded (or fine-tuned from one loaded) by {@code KerasModels}
     * @param target the file to write, ending in {@code .weights.h5}
     * @param state  the optimizer variables to write, or {@link TrainingState#none()}
     * @throws KerasImportException when the model has no Keras origin, no longer matches it, or the file cannot
     *                              be written
     */
    public static void saveWeights(Model model, Path target, TrainingState state) {
        String name = name(target, ".weights.h5");
        KerasOrigin origin = origin(model, name);
        JsonNode compile = state.compileConfig() != null ? state.compileConfig() : origin.compileConfig();
        String optimizerName = optimizerName(compile);
        AtomicFile.write(target, tmp -> WeightsH5Writer.write(tmp, name, model, origin, state.optimizerVariables(),
                optimizerName));
    }

    private static String name(Path target, String suffix) {
        if (target == null || target.getFileName() == null) {
            throw new KerasImportException("no file to save to given");
        }
        String name = target.getFileName().toString();
        if (!name.endsWith(suffix)) {
            throw new KerasImportException(name + ": the file name must end in " + suffix + " (Keras loads only such"
                    + " files)");
        }
        return name;
    }

    private static KerasOrigin origin(Model model, String name) {
        if (model == null) {
            throw new KerasImportException(name + ": no model given");
        }
        return model.origin(KerasOrigin.class).orElseThrow(() -> new KerasImportException(name + ": the model was"
                + " not loaded from a Keras file (it has no Keras origin), so jkeras has no Keras config to save"));
    }

    private static String optimizerName(JsonNode compile) {
        JsonNode n = compile == null ? null : compile.path("optimizer").path("config").path("name");
        return n != null && n.isString() ? n.asString() : "optimizer";
    }

    private static void stored(ZipOutputStream zip, String entry, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(entry);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }
}
