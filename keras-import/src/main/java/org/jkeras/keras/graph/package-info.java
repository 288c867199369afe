/**
 * Building runtime graphs from Keras model configs: Sequential (list form and
 * {@code {name, layers}} form) and Functional ({@code Functional}/{@code Model}, Keras 1/2/3
 * inbound-node forms), with input shapes and Keras 3 weight paths.
 */
package org.jkeras.keras.graph;
