package org.jkeras.keras;

import java.util.Locale;

/**
 * A named bound on a size read from a model file (or an input given to a loaded model), checked before anything
 * is allocated from it. A model file is untrusted: these bounds make a hostile or corrupt file fail with an error
 * naming the limit, the value found and how to raise it, instead of exhausting memory or time. Each has a default
 * that every real Keras model seen so far stays far below; raise one with
 * {@code LoadOptions.builder().limit(Limit.MAX_LAYERS, 50_000)} or, on the command line,
 * {@code --limit max_layers=50000}.
 */
public enum Limit {
    /** Bytes of a JSON document: {@code config.json}, {@code metadata.json}, a {@code model_config} attribute, a JSON file. */
    MAX_JSON_BYTES(64L << 20, "bytes of a JSON config"),
    /** Nesting depth of a JSON document (Jackson's {@code StreamReadConstraints.maxNestingDepth}). */
    MAX_JSON_DEPTH(100, "nesting depth of a JSON config"),
    /** Characters of one JSON string (a layer name, a class name...). */
    MAX_JSON_STRING_CHARS(1 << 20, "characters of one JSON string"),
    /** Characters of one JSON number. */
    MAX_JSON_NUMBER_CHARS(1000, "characters of one JSON number"),
    /** Entries of a {@code .keras} zip (Keras writes 3, plus any assets). */
    MAX_ZIP_ENTRIES(1000, "entries of a .keras zip"),
    /** Uncompressed bytes of one zip entry (the weights file included; held in one Java array at most). */
    MAX_ZIP_ENTRY_BYTES(Integer.MAX_VALUE - 64, "uncompressed bytes of one zip entry"),
    /**
     * How many times larger than its compressed form a zip entry or an HDF5 chunked dataset may be, once it is over
     * 64 MiB (Keras's own guard uses the same ratio: real weights compress less than 2:1, zeros about 1000:1).
     */
    MAX_COMPRESSION_RATIO(100, "ratio of uncompressed to compressed bytes"),
    /** Bytes of all weights of a model, as float32. */
    MAX_WEIGHT_BYTES(4L << 30, "bytes of all weights of the model (float32)"),
    /** Elements of one weight array or one tensor a prediction computes. */
    MAX_TENSOR_ELEMENTS(1L << 28, "elements of one weight array or tensor"),
    /** One dimension declared in a config (features, time steps, vocabulary, output size). */
    MAX_DIM(1L << 24, "size of one dimension declared in a config"),
    /** Units of one layer (LSTM, GRU, SimpleRNN, Dense). */
    MAX_UNITS(1L << 20, "units of one layer"),
    /** Layers of one model. */
    MAX_LAYERS(10_000, "layers of a model"),
    /** Calls of layers (inbound nodes) and tensor references of a Functional model. */
    MAX_GRAPH_NODES(100_000, "layer calls and tensor references of a Functional model"),
    /** Nesting depth of wrappers (TimeDistributed, Bidirectional) and of weight groups. */
    MAX_NESTING_DEPTH(16, "nesting depth of wrapper layers and weight groups"),
    /** HDF5 objects (groups, datasets, links, chunks) looked at in one file. */
    MAX_HDF5_OBJECTS(100_000, "HDF5 groups, datasets, links and chunks looked at"),
    /** Bytes of one HDF5 attribute (a {@code model_config} is one). */
    MAX_HDF5_ATTRIBUTE_BYTES(64L << 20, "bytes of one HDF5 attribute"),
    /** Batch size of an input given to a loaded model. */
    MAX_INPUT_BATCH(1L << 24, "batch size of an input"),
    /** Time steps of an input given to a loaded model. */
    MAX_INPUT_TIMESTEPS(1L << 24, "time steps of an input");

    private final long defaultValue;
    private final String description;

    Limit(long defaultValue, String description) {
        this.defaultValue = defaultValue;
        this.description = description;
    }

    /**
     * The name used in messages, {@code LoadOptions.Builder.limit(String, long)} and {@code --limit}, e.g.
     * {@code max_layers}.
     *
     * @return the lower-case key, e.g. {@code max_layers}
     */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The value used unless raised.
     *
     * @return the default value, in the limit's unit
     */
    public long defaultValue() {
        return defaultValue;
    }

    /**
     * What the limit bounds, e.g. {@code layers of a model}.
     *
     * @return a short phrase for messages, e.g. {@code layers of a model}
     */
    public String description() {
        return description;
    }

    /**
     * The limit of the given {@link #key()} (case-insensitive; dashes count as underscores).
     *
     * @param key the key, e.g. {@code "max_layers"} or {@code "MAX-LAYERS"}; null matches nothing
     * @throws IllegalArgumentException naming the known limits when there is none of that name
     * @return the limit with that key
     */
    public static Limit byKey(String key) {
        String k = key == null ? "" : key.strip().toLowerCase(Locale.ROOT).replace('-', '_');
        for (Limit l : values()) {
            if (l.key().equals(k)) {
                return l;
            }
        }
        StringBuilder known = new StringBuilder();
        for (Limit l : values()) {
            known.append(known.isEmpty() ? "" : ", ").append(l.key());
        }
        throw new IllegalArgumentException("unknown limit '" + Echo.of(key) + "' (known: " + known + ")");
    }
}
