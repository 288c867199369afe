/**
 * The jkeras runtime: tensors, immutable models and how to call them. Knows nothing about
 * Keras files; {@code org.jkeras.keras} builds models from those.
 */
package org.jkeras.runtime;
