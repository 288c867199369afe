package org.jkeras.cli;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.format.FileFormat;
import org.jkeras.keras.format.FormatDetector;
import org.jkeras.runtime.Model;

/** Loads the model named on the command line, turning every way it can fail into exit code 3. */
final class ModelFiles {
    private ModelFiles() {
    }

    /**
     * Loads {@code model} (and {@code weights} if not null).
     *
     * @throws CliException with {@link ExitCode#BAD_MODEL} naming the file and the reason
     */
    static Model load(ModelLoader loader, Path model, Path weights) {
        requireReadable(model, "model");
        if (weights != null) {
            requireReadable(weights, "weights");
        }
        if (weights == null && isJsonConfig(model)) {
            throw new CliException(ExitCode.USAGE, model + " is a JSON config (model.to_json()), which holds no weights:"
                    + " give its weights file with --weights W (the .weights.h5 or save_weights .h5 saved with it)");
        }
        try {
            return loader.load(model, weights);
        } catch (KerasImportException e) {
            throw new CliException(ExitCode.BAD_MODEL, naming(model, weights, e.getMessage()), e);
        } catch (UncheckedIOException e) {
            throw new CliException(ExitCode.BAD_MODEL, "cannot read model file " + model + ": "
                    + e.getCause().getMessage(), e);
        }
    }

    /**
     * {@code m} with its kernels rounded to bfloat16 when {@code bf16} ({@code --bf16-kernels}), else {@code m}.
     *
     * @throws CliException with {@link ExitCode#BAD_MODEL} naming the layer that cannot take rounded kernels
     */
    static Model kernels(Model m, boolean bf16, Path model) {
        if (!bf16) {
            return m;
        }
        try {
            return m.withBfloat16Kernels();
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.BAD_MODEL, model + ": " + e.getMessage(), e);
        }
    }

    private static void requireReadable(Path file, String role) {
        if (!Files.exists(file)) {
            throw new CliException(ExitCode.BAD_MODEL, role + " file not found: " + file);
        }
        if (Files.isDirectory(file)) {
            throw new CliException(ExitCode.BAD_MODEL, role + " file is a directory: " + file);
        }
        if (!Files.isReadable(file)) {
            throw new CliException(ExitCode.BAD_MODEL, role + " file is not readable: " + file);
        }
    }

    private static boolean isJsonConfig(Path model) {
        try {
            return FormatDetector.detect(model) == FileFormat.JSON;
        } catch (KerasImportException e) {
            return false; // the loader reports what is wrong with the file
        }
    }

    /**
     * The importer's message with the file's full path: the importer names files by their name alone
     * ({@code model.keras: ...}), which is ambiguous in a shell session spanning directories.
     */
    static String naming(Path model, Path weights, String message) {
        String m = message == null ? "cannot be imported" : message;
        for (Path file : weights == null ? new Path[] {model} : new Path[] {model, weights}) {
            String name = file.getFileName().toString();
            if (m.startsWith(name + ":")) {
                return file + m.substring(name.length());
            }
        }
        return m.contains(model.getFileName().toString()) ? m : model + ": " + m;
    }
}
