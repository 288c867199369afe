package org.jkeras.runtime.training.metric;

import org.jkeras.runtime.tensor.Tensor;

/**
 * A Keras metric on targets and predictions, accumulated over batches until {@link #reset}.
 * Mutable, not thread-safe.
 */
public interface Metric {
    /**
     * The name Keras reports it under (the compile string, e.g. {@code "acc"}, or the class default).
     *
     * @return the reported name, the key in the fit logs
     */
    String name();

    /**
     * The Keras class name, e.g. {@code "BinaryAccuracy"}.
     *
     * @return the class name as Keras registers it
     */
    String kind();

    /**
     * Adds one batch ({@code update_state}).
     *
     * @param yTrue the batch's targets, batch first
     * @param yPred the batch's predictions, batch first
     * @param sampleWeight null, or weights as Keras accepts them; note that in {@code fit} Keras
     *                     passes sample weights only to {@code weighted_metrics}, never to
     *                     {@code metrics}
     * @throws IllegalArgumentException when the shapes do not fit
     */
    void update(Tensor yTrue, Tensor yPred, Tensor sampleWeight);

    /**
     * The current value ({@code result()}), a float32 value widened to double.
     *
     * @return the metric over all batches since the last reset (0 before any)
     */
    double result();

    /** Back to no batches ({@code reset_state}). */
    void reset();
}
