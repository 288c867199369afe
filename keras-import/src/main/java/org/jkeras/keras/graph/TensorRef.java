package org.jkeras.keras.graph;

/**
 * A reference to a Keras tensor in a functional config: output {@code tensor} of the
 * {@code node}-th call of layer {@code layer}.
 */
record TensorRef(String layer, int node, int tensor) {
    @Override
    public String toString() {
        return "[" + layer + ", " + node + ", " + tensor + "]";
    }
}
