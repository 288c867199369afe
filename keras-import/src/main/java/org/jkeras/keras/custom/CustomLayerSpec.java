package org.jkeras.keras.custom;

import org.jkeras.keras.KerasImportException;
import tools.jackson.databind.JsonNode;

/** One custom layer's name, class and config as the file holds them; every error names file, layer and field. */
public interface CustomLayerSpec {
    /**
     * The layer's name.
     *
     * @return the name Keras gave the layer
     */
    String name();

    /**
     * The layer's class.
     *
     * @return the Keras class name ({@code "MyLayer"})
     */
    String className();

    /**
     * The layer's whole config, for fields the typed readers below do not cover.
     *
     * @return the {@code config} object of the layer, read-only by convention
     */
    JsonNode config();

    /**
     * An integer field, bounded.
     *
     * @param field the config field
     * @param min   the smallest value accepted
     * @param max   the largest value accepted
     * @return the value
     * @throws KerasImportException if the field is missing, not an integer or out of bounds
     */
    int integer(String field, int min, int max);

    /**
     * A number field.
     *
     * @param field    the config field
     * @param fallback the value when the field is missing or null
     * @return the value
     * @throws KerasImportException if the field is not a number
     */
    double number(String field, double fallback);

    /**
     * A string field.
     *
     * @param field    the config field
     * @param fallback the value when the field is missing or null
     * @return the value
     * @throws KerasImportException if the field is not a string
     */
    String string(String field, String fallback);

    /**
     * A boolean field.
     *
     * @param field    the config field
     * @param fallback the value when the field is missing or null
     * @return the value
     * @throws KerasImportException if the field is not a boolean
     */
    boolean bool(String field, boolean fallback);

    /**
     * An error about this layer, to throw from a translator.
     *
     * @param problem what is wrong, and what was expected
     * @return the exception, its message naming the file and the layer
     */
    KerasImportException error(String problem);
}
