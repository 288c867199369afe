package org.jkeras.keras.translate;

/** Bounds on sizes read from configs, checked before anything is allocated from them. */
public final class Limits {
    /** Largest number of units (LSTM, Dense) accepted. */
    public static final int MAX_UNITS = 1 << 20;
    /** Largest feature (or other non-batch) dimension accepted. */
    public static final int MAX_DIM = 1 << 24;
    /** Largest tensor rank (batch included) an axis number may refer to. */
    public static final int MAX_RANK = 8;
    /** Largest weight array, in elements. */
    public static final long MAX_WEIGHT_ELEMENTS = Integer.MAX_VALUE - 64;

    private Limits() {
    }
}
