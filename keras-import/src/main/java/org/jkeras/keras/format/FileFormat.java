package org.jkeras.keras.format;

/** The container formats a Keras model comes in; {@link #id()} is the {@code format} metadata value. */
public enum FileFormat {
    /** Keras 3 native {@code .keras}: a zip of config.json, metadata.json and model.weights.h5. */
    KERAS_ZIP("keras_zip"),
    /** Legacy single-file HDF5 (Keras 1/2, tf.keras, Keras 3 {@code model.save("x.h5")}), or a weights file. */
    LEGACY_H5("legacy_h5"),
    /** A JSON config from {@code model.to_json()}; weights come from a separate file. */
    JSON("json");

    private final String id;

    FileFormat(String id) {
        this.id = id;
    }

    /**
     * The metadata value, e.g. {@code keras_zip}.
     *
     * @return the id recorded as a loaded model's {@code format} metadata
     */
    public String id() {
        return id;
    }
}
