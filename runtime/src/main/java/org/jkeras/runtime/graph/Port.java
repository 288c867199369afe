package org.jkeras.runtime.graph;

/**
 * One output of one graph node: what a later node or the model output refers to.
 *
 * @param node   index of the node in {@link Graph#nodes()}
 * @param output index among that node's outputs (0 for single-output layers)
 */
public record Port(int node, int output) {
}
