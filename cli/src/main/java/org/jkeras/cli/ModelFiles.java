package org.jkeras.cli;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jkeras.keras.KerasImportException;
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
        try {
            return loader.load(model, weights);
        } catch (KerasImportException e) {
            throw new CliException(ExitCode.BAD_MODEL, naming(model, e.getMessage()), e);
        } catch (UncheckedIOException e) {
            throw new CliException(ExitCode.BAD_MODEL, "cannot read model file " + model + ": "
                    + e.getCause().getMessage(), e);
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

    /** The importer's message, prefixed with the file unless it already names it. */
    private static String naming(Path model, String message) {
        String m = message == null ? "cannot be imported" : message;
        String name = model.getFileName().toString();
        return m.contains(name) ? m : model + ": " + m;
    }
}
