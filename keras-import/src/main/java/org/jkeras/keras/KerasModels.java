package org.jkeras.keras;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jkeras.keras.format.FileFormat;
import org.jkeras.keras.format.FormatDetector;
import org.jkeras.keras.format.JsonConfigReader;
import org.jkeras.keras.format.KerasZipReader;
import org.jkeras.keras.format.LegacyH5Reader;
import org.jkeras.keras.format.ModelSource;
import org.jkeras.keras.format.TrainingStateReader;
import org.jkeras.keras.format.VerificationCases;
import org.jkeras.keras.verify.Verifier;
import org.jkeras.keras.graph.ModelBuilder;
import org.jkeras.keras.save.FitStates;
import org.jkeras.keras.save.KerasWriter;
import org.jkeras.keras.save.TrainingState;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.training.FitResult;

/**
 * Loads Keras models into jkeras runtime models. The format is detected from the file's bytes:
 * a Keras 3 {@code .keras} zip, a legacy HDF5 {@code .h5} (Keras 1, 2, tf.keras or Keras 3),
 * or a JSON config from {@code model.to_json()} with a separate weights file.
 *
 * <p>The returned model's {@link Model#metadata()} holds {@code format} (one of
 * {@code keras_zip}, {@code legacy_h5}, {@code json}), {@code keras_version} and
 * {@code backend} when the file records them, and {@code source} (the file name).
 * When the file records no Keras version, {@code keras_version_inferred} says which major
 * version its config looks like. Further keys note behaviour worth knowing, e.g.
 * {@code stateful} when a layer was stateful in Keras (each predict starts from zero state).
 *
 * <p>Files are untrusted: nothing in them is executed ({@code Lambda} layers and custom objects are refused),
 * nothing outside them is read (HDF5 external links are refused), and every size read from them is bounded by a
 * named {@link Limit} before memory is allocated for it ({@link LoadOptions} raises or lowers them).
 */
public final class KerasModels {
    private KerasModels() {
    }

    /**
     * Loads a model from a {@code .keras} or {@code .h5} file holding both config and weights.
     *
     * @throws KerasImportException when the file cannot be imported; the message says why
     * @param model a {@code .keras} or {@code .h5} file
     * @return the model
     */
    public static Model load(Path model) {
        return load(model, null);
    }

    /**
     * Loads a model whose weights may live in a separate file (required for a JSON config,
     * ignored otherwise if null).
     *
     * @param weights a {@code .weights.h5} (Keras 3) or {@code save_weights} {@code .h5} file, or null
     * @throws KerasImportException when the files cannot be imported; the message says why
     * @param model a {@code .keras}, {@code .h5} or JSON config file
     * @return the model
     */
    public static Model load(Path model, Path weights) {
        return load(model, weights, LoadOptions.defaults());
    }

    /**
     * Loads a model with the given options (limits raised or lowered, see {@link Limit}).
     *
     * @param weights a separate weights file (required for a JSON config), or null
     * @throws KerasImportException when the files cannot be imported; a {@link LimitExceededException} when one
     *                              asks for more than a limit allows
     * @param model a {@code .keras}, {@code .h5} or JSON config file
     * @param options the limits to apply
     * @return the model
     */
    public static Model load(Path model, Path weights, LoadOptions options) {
        if (model == null) {
            throw new KerasImportException("no model file given");
        }
        if (Spool.needed(model) || Spool.needed(weights)) { // e.g. a .keras inside the application jar
            return spooled(model, weights, options);
        }
        Limits limits = options.limits();
        String source = String.valueOf(model.getFileName());
        try {
            FileFormat format = FormatDetector.detect(model, limits);
            Model built;
            try (ModelSource opened = switch (format) {
                case KERAS_ZIP -> KerasZipReader.read(model, weights, limits);
                case LEGACY_H5 -> LegacyH5Reader.read(model, weights, limits);
                case JSON -> JsonConfigReader.read(model, weights, limits);
            }) {
                built = ModelBuilder.build(opened, source, options.customLayers());
            }
            return options.verify() ? verified(built, model, limits, source) : built;
        } catch (KerasImportException e) {
            throw e;
        } catch (RuntimeException e) {
            // a corrupt file can make the HDF5 or JSON reader fail anywhere: still name the file
            // the reader's own words, not its Java class name (which says nothing to a user)
            throw new KerasImportException(source + ": cannot import, the file may be truncated or corrupt"
                    + (e.getMessage() == null || e.getMessage().isBlank() ? "" : " (" + e.getMessage() + ")"), e);
        } catch (StackOverflowError e) {
            // jHDF parses some structures (B-trees, heaps) recursively: a hostile file can nest them endlessly
            throw new KerasImportException(source + ": cannot import: its structure nests too deeply (corrupt or"
                    + " hostile file)", e);
        }
    }

    private static Model spooled(Path model, Path weights, LoadOptions options) {
        long max = maxSourceBytes(options);
        String name = String.valueOf(model.getFileName());
        try (InputStream in = Files.newInputStream(model)) {
            if (weights == null) {
                return Spool.through(in, name, max, file -> load(file, null, options));
            }
            try (InputStream w = Files.newInputStream(weights)) {
                return Spool.through(in, name, max, file -> Spool.through(w, String.valueOf(weights.getFileName()), max,
                        wfile -> load(file, wfile, options)));
            }
        } catch (IOException e) {
            throw new KerasImportException(name + ": cannot read " + model + ": " + e.getMessage(), e);
        }
    }

    /** Most bytes a model source not on disk may hold: its weights and two JSON documents. */
    private static long maxSourceBytes(LoadOptions options) {
        Limits limits = options.limits();
        return limits.get(Limit.MAX_WEIGHT_BYTES) + 2 * limits.get(Limit.MAX_JSON_BYTES);
    }

    /**
     * Loads a {@code .keras} or {@code .h5} model held in memory, e.g. received over the network.
     *
     * @param bytes the file's bytes
     * @param name  how error messages and {@link Model#metadata()} name the source (e.g. its file name)
     * @return the model
     * @throws KerasImportException when the bytes cannot be imported; the message says why
     */
    public static Model load(byte[] bytes, String name) {
        if (bytes == null) {
            throw new KerasImportException("no model bytes given");
        }
        return load(new ByteArrayInputStream(bytes), name);
    }

    /**
     * Loads a {@code .keras} or {@code .h5} model held in a buffer (heap, direct, read-only or a mapped file): the
     * bytes from its position to its limit. The buffer itself is not changed (its position stays where it was);
     * the same bounds on untrusted sizes apply as for {@link #load(InputStream, String)}.
     *
     * @param bytes the file's bytes, from position to limit
     * @param name  how error messages and {@link Model#metadata()} name the source (e.g. its file name)
     * @return the model
     * @throws KerasImportException when the bytes cannot be imported; the message says why
     */
    public static Model load(ByteBuffer bytes, String name) {
        if (bytes == null) {
            throw new KerasImportException("no model buffer given" + (name == null ? "" : " for " + name));
        }
        ByteBuffer b = bytes.duplicate(); // its own position: the caller's buffer is left as it was
        return load(new InputStream() {
            @Override
            public int read() {
                return b.hasRemaining() ? b.get() & 0xFF : -1;
            }

            @Override
            public int read(byte[] dst, int off, int len) {
                java.util.Objects.checkFromIndexSize(off, len, dst.length);
                if (len == 0) {
                    return 0;
                }
                if (!b.hasRemaining()) {
                    return -1;
                }
                int n = Math.min(len, b.remaining());
                b.get(dst, off, n);
                return n;
            }
        }, name);
    }

    /**
     * Loads a {@code .keras} or {@code .h5} model from a stream, read to its end but not closed.
     *
     * @param in   the file's bytes
     * @param name how error messages and {@link Model#metadata()} name the source (e.g. its file name)
     * @return the model
     * @throws KerasImportException when the stream cannot be read or imported; the message says why
     */
    public static Model load(InputStream in, String name) {
        return load(in, name, LoadOptions.defaults());
    }

    /**
     * Loads a {@code .keras} or {@code .h5} model from a stream with the given options.
     *
     * @param in      the file's bytes, read to the end but not closed
     * @param name    how error messages and {@link Model#metadata()} name the source
     * @param options limits (see {@link Limit})
     * @return the model
     * @throws KerasImportException when the stream cannot be read or imported; the message says why
     */
    public static Model load(InputStream in, String name, LoadOptions options) {
        String source = name == null ? "model" : name;
        if (in == null) {
            throw new KerasImportException("no model stream given for " + source);
        }
        return Spool.through(in, source, maxSourceBytes(options), file -> {
            if (FormatDetector.detect(file, options.limits()) == FileFormat.JSON) {
                throw new KerasImportException(source + ": a JSON config holds no weights; load it from"
                        + " files with KerasModels.load(configPath, weightsPath)");
            }
            return load(file, null, options);
        });
    }

    /**
     * Loads a {@code .keras} or {@code .h5} model packaged as a resource beside a class, e.g.
     * {@code loadResource(MyService.class, "/models/forecaster.keras")} for a file inside the application jar.
     *
     * @param anchor   the class whose {@link Class#getResourceAsStream} finds the resource (a name without a
     *                 leading {@code /} is relative to its package)
     * @param resource the resource name
     * @return the model
     * @throws KerasImportException when there is no such resource or it cannot be imported
     */
    public static Model loadResource(Class<?> anchor, String resource) {
        if (anchor == null || resource == null) {
            throw new KerasImportException("loadResource needs a class and a resource name (got "
                    + (anchor == null ? "no class" : anchor.getName()) + ", " + resource + ")");
        }
        return loadResource(anchor.getResourceAsStream(resource), resource, " beside " + anchor.getName()
                + " (a name without a leading '/' is relative to the package " + anchor.getPackageName() + ")");
    }

    /**
     * Loads a {@code .keras} or {@code .h5} model that a class loader finds, e.g.
     * {@code loadResource(Thread.currentThread().getContextClassLoader(), "models/forecaster.keras")}.
     *
     * @param loader   the class loader to ask
     * @param resource the resource name, without a leading {@code /}
     * @return the model
     * @throws KerasImportException when there is no such resource or it cannot be imported
     */
    public static Model loadResource(ClassLoader loader, String resource) {
        if (loader == null || resource == null) {
            throw new KerasImportException("loadResource needs a class loader and a resource name (got "
                    + (loader == null ? "no class loader" : loader) + ", " + resource + ")");
        }
        return loadResource(loader.getResourceAsStream(resource), resource, " on the class path"
                + (resource.startsWith("/") ? " (class loader resource names have no leading '/')" : ""));
    }

    private static Model loadResource(InputStream stream, String resource, String where) {
        try (InputStream in = stream) {
            if (in == null) {
                throw new KerasImportException(resource + ": no such resource" + where);
            }
            return load(in, resource.substring(resource.lastIndexOf('/') + 1));
        } catch (IOException e) {
            throw new KerasImportException(resource + ": cannot read the resource: " + e.getMessage(), e);
        }
    }

    private static Model verified(Model built, Path model, Limits limits, String source) {
        VerificationCases cases = VerificationCases.read(model, limits);
        if (cases == null) {
            throw new KerasImportException(source + ": verification was asked for but the file carries no test"
                    + " cases (" + VerificationCases.JSON + "); add them with test-fixtures/add_verify_cases.py");
        }
        String summary = Verifier.verify(built, cases, source);
        java.util.Map<String, String> meta = new java.util.LinkedHashMap<>(built.metadata());
        meta.put("verified", summary);
        return built.withMetadata(meta);
    }

    /**
     * Saves a model as a Keras 3 {@code .keras} file that {@code keras.saving.load_model} loads: the config
     * it was loaded with (a Keras 3 source's unchanged; a Keras 2 source's converted to Keras 3) and the
     * model's current weights. The file is written to a temporary file and moved into place, so it is never
     * left half-written. A model derived from a loaded one (same layer names and weight shapes, new values,
     * built by {@code new Model(graph, loaded.metadata(), origin)}) saves the same way.
     *
     * @param target a path ending in {@code .keras}
     * @throws KerasImportException when the model cannot be saved faithfully or the file cannot be written;
     *                              the message says why, naming the layer and field
     * @param model a model loaded by jkeras, or derived from one
     */
    public static void save(Model model, Path target) {
        KerasWriter.save(model, target, TrainingState.none());
    }

    /**
     * Saves a model with its training state: the compile config (replacing the one loaded, if given) and
     * the optimizer's variables in Keras's {@code optimizer.variables} order, so that
     * {@code load_model(compile=True)} followed by {@code fit} continues where Java stopped.
     *
     * @see TrainingState
     * @param model a model loaded by jkeras, or derived from one
     * @param target a path ending in {@code .keras}
     * @param state the compile config and optimizer variables to store
     */
    public static void save(Model model, Path target, TrainingState state) {
        KerasWriter.save(model, target, state);
    }

    /**
     * Saves a fine-tuned model as a Keras 3 {@code .keras} file with what Keras needs to continue its training:
     * the compile config of the fit (its optimizer with every hyper-parameter, losses, metrics) and the
     * optimizer's variables, so {@code keras.saving.load_model(path)} followed by {@code model.fit(...)} in
     * Python continues exactly where jkeras stopped.
     *
     * @param target a path ending in {@code .keras}
     * @throws KerasImportException when the model cannot be saved faithfully or the file cannot be written
     * @param result what {@code Fit.run()} returned
     */
    public static void save(FitResult result, Path target) {
        KerasWriter.save(result.model(), target, FitStates.of(result));
    }

    /**
     * Saves a model's weights as a Keras 3 {@code .weights.h5} file, the layout {@code model.save_weights()}
     * writes and {@code model.load_weights()} reads.
     *
     * @param target a path ending in {@code .weights.h5}
     * @throws KerasImportException when the model cannot be saved or the file cannot be written
     * @param model a model loaded by jkeras, or derived from one
     */
    public static void saveWeights(Model model, Path target) {
        KerasWriter.saveWeights(model, target, TrainingState.none());
    }

    /**
     * Saves a model's weights and, when the state has them, the optimizer's variables ({@code optimizer/vars}).
     *
     * @param model a model loaded by jkeras, or derived from one
     * @param target a path ending in {@code .weights.h5}
     * @param state the optimizer variables to store beside the weights
     */
    public static void saveWeights(Model model, Path target, TrainingState state) {
        KerasWriter.saveWeights(model, target, state);
    }

    /**
     * Reads the training state a {@code .keras} (compile config and optimizer variables) or
     * {@code .weights.h5} file (optimizer variables) holds, e.g. one Keras saved after {@code fit}.
     *
     * @throws KerasImportException when the file cannot be read
     * @param file a {@code .keras} or {@code .weights.h5} file
     * @return its compile config and optimizer variables
     */
    public static TrainingState loadTrainingState(Path file) {
        return loadTrainingState(file, LoadOptions.defaults());
    }

    /**
     * Reads the training state with the given options (see {@link #loadTrainingState(Path)}).
     *
     * @param file a {@code .keras} or {@code .weights.h5} file
     * @param options the limits to apply
     * @return its compile config and optimizer variables
     */
    public static TrainingState loadTrainingState(Path file, LoadOptions options) {
        if (file == null) {
            throw new KerasImportException("no file given");
        }
        try {
            return TrainingStateReader.read(file, options.limits());
        } catch (KerasImportException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new KerasImportException(file.getFileName() + ": cannot read the training state, the file may be"
                    + " truncated or corrupt" + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), e);
        } catch (StackOverflowError e) {
            throw new KerasImportException(file.getFileName() + ": cannot read the training state: its structure"
                    + " nests too deeply (corrupt or hostile file)", e);
        }
    }
}
