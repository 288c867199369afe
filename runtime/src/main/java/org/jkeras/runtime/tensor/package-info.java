/**
 * The values that flow through a model: {@link org.jkeras.runtime.tensor.Tensor} (float32 data, row-major),
 * its {@link org.jkeras.runtime.tensor.Shape} and {@link org.jkeras.runtime.tensor.Mask}, the element-wise
 * {@link org.jkeras.runtime.tensor.Activation}s, and the bounds an input must keep
 * ({@link org.jkeras.runtime.tensor.InputLimits}, {@link org.jkeras.runtime.tensor.InputMismatchException}).
 * The bottom of the runtime: it depends on no other jkeras package, and every other package builds on it.
 */
package org.jkeras.runtime.tensor;
