/**
 * Metrics with Keras 3's running-mean semantics: a float32 {@code total} and {@code count} that
 * accumulate batch after batch ({@link org.jkeras.runtime.training.metric.Mean}), per-sample
 * values from the metric function reduced as Keras's {@code reduce_to_samplewise_values}, and
 * {@link org.jkeras.runtime.training.metric.Metrics} to resolve compile strings such as
 * {@code "accuracy"}. Metrics are mutable and not thread-safe: one per training loop.
 */
package org.jkeras.runtime.training.metric;
