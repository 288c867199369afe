package org.jkeras.runtime.training.optimizer;

import java.util.Arrays;
import org.jkeras.runtime.tensor.Shape;

/**
 * A trainable variable as an optimizer sees it: its Keras path and its shape.
 *
 * <p>The name is Keras's {@code variable.path}, e.g. {@code sequential/lstm/lstm_cell/kernel}:
 * optimizer slots are named after it as Keras names them ({@code path} with {@code /} replaced
 * by {@code _}, then {@code _momentum} etc.), and weight-decay exclusion matches its last
 * segment, which is Keras's {@code variable.name}.
 *
 * @param name  the variable's Keras path, not empty
 * @param shape its dimensions (copied; every one >= 0)
 */
public record VariableSpec(String name, int[] shape) {
    /** Validates and copies the shape. */
    public VariableSpec {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("variable name must not be empty");
        }
        shape = shape.clone();
        long size = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("variable '" + name + "': negative dimension in shape "
                        + Arrays.toString(shape));
            }
            size *= d;
            if (size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("variable '" + name + "': shape " + Shape.format(shape)
                        + " has more than 2^31-1 elements");
            }
        }
    }

    /**
     * The dimensions (a copy).
     *
     * @return a fresh array of the dimensions
     */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /**
     * Number of elements.
     *
     * @return the product of the dimensions (1 for a scalar)
     */
    public int size() {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /**
     * Keras's {@code variable.name}: the last segment of the path.
     *
     * @return the part of the name after the last {@code /}, e.g. {@code kernel}
     */
    public String shortName() {
        return name.substring(name.lastIndexOf('/') + 1);
    }

    /**
     * The Keras name of this variable's optimizer slot {@code slot}, e.g. {@code dense_kernel_momentum}.
     *
     * @param slot the slot kind, e.g. {@code momentum}
     * @return the path with {@code /} replaced by {@code _}, then {@code _} and the slot kind
     */
    public String slotName(String slot) {
        return name.replace('/', '_') + "_" + slot;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VariableSpec v && name.equals(v.name) && Arrays.equals(shape, v.shape);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + Shape.format(shape);
    }
}
