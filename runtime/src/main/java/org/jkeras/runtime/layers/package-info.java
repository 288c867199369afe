/**
 * Layers: immutable graph steps holding their weights and calling into {@code kernels} for
 * the arithmetic. One class per layer kind.
 */
package org.jkeras.runtime.layers;
