/**
 * The jkeras runtime: immutable models and how to call them (their tensors are in {@code tensor}). Knows nothing about
 * Keras files; {@code org.jkeras.keras} builds models from those.
 */
package org.jkeras.runtime;
