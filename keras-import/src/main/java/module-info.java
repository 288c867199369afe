/**
 * Reads every Keras model format (Keras 3 {@code .keras}, legacy {@code .h5} from Keras 1, 2, tf.keras and 3,
 * {@code to_json()} + weights) into jkeras runtime models, and writes fine-tuned models back as Keras files.
 * {@link org.jkeras.keras.KerasModels} is the entry point; the config, graph and translator packages are internal.
 */
module org.jkeras.keras {
    requires transitive org.jkeras.runtime;
    requires io.jhdf;
    // transitive: the exported compile and save APIs take and return Jackson's JsonNode
    requires transitive tools.jackson.databind;

    exports org.jkeras.keras;
    exports org.jkeras.keras.compile;
    exports org.jkeras.keras.custom;
    exports org.jkeras.keras.format;
    exports org.jkeras.keras.save;
}
