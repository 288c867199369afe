package org.jkeras.keras;

import java.nio.file.Path;
import org.jkeras.runtime.Model;

/**
 * Loads Keras models into jkeras runtime models. The format is detected from the file's bytes:
 * a Keras 3 {@code .keras} zip, a legacy HDF5 {@code .h5} (Keras 1, 2, tf.keras or Keras 3),
 * or a JSON config from {@code model.to_json()} with a separate weights file.
 *
 * <p>The returned model's {@link Model#metadata()} holds {@code format} (one of
 * {@code keras_zip}, {@code legacy_h5}, {@code json}), {@code keras_version} and
 * {@code backend} when the file records them, and {@code source} (the file name).
 */
public final class KerasModels {
    private KerasModels() {
    }

    /**
     * Loads a model from a {@code .keras} or {@code .h5} file holding both config and weights.
     *
     * @throws KerasImportException when the file cannot be imported; the message says why
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
     */
    public static Model load(Path model, Path weights) {
        throw new KerasImportException("not implemented yet");
    }
}
