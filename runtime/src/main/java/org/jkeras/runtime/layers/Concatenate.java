package org.jkeras.runtime.layers;

import java.util.ArrayList;
import java.util.List;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;

/**
 * Keras {@code Concatenate(axis)}: the inputs joined along one axis (negative axes count from the end, as in
 * Keras; the batch axis 0 is refused). The other axes must agree.
 */
public final class Concatenate extends MergeBase {
    private final int axis;

    /**
     * A concatenation along {@code axis} as Keras numbers it (batch is axis 0; {@code -1} is the last axis).
     *
     * @param name the layer's name, unique within its model
     * @param axis the axis joined along, as Keras numbers it (negative from the end; not 0)
     * @throws IllegalArgumentException naming the layer when the axis is 0
     */
    public Concatenate(String name, int axis) {
        super(name);
        if (axis == 0) {
            throw new IllegalArgumentException("layer '" + name + "' (Concatenate): concatenating along the batch"
                    + " axis 0 is not supported");
        }
        this.axis = axis;
    }

    /**
     * The axis as configured (may be negative).
     *
     * @return the configured axis, possibly negative
     */
    public int axis() {
        return axis;
    }

    @Override
    public String kind() {
        return "Concatenate";
    }

    private int resolve(int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a <= 0 || a >= rank) {
            throw new IllegalArgumentException(describe() + ": axis " + axis + " does not fit inputs of rank " + rank
                    + " (the batch axis 0 cannot be concatenated)");
        }
        return a;
    }

    @Override
    public List<Shape> outputShapes(List<Shape> in) {
        requireInputs(in, 1, Integer.MAX_VALUE);
        int rank = in.get(0).rank();
        int a = resolve(rank);
        int[] out = in.get(0).dims();
        for (int i = 1; i < in.size(); i++) {
            Shape s = in.get(i);
            if (s.rank() != rank) {
                throw new IllegalArgumentException(describe() + " needs inputs of one rank, got " + in);
            }
            for (int d = 0; d < rank; d++) {
                if (d == a) {
                    out[d] = out[d] == Shape.UNKNOWN || s.dim(d) == Shape.UNKNOWN ? Shape.UNKNOWN
                            : Math.addExact(out[d], s.dim(d));
                } else if (out[d] == Shape.UNKNOWN) {
                    out[d] = s.dim(d);
                } else if (s.dim(d) != Shape.UNKNOWN && s.dim(d) != out[d]) {
                    throw new IllegalArgumentException(describe() + " needs inputs that agree on every axis but "
                            + axis + ", got " + in);
                }
            }
        }
        return List.of(Shape.of(out));
    }

    @Override
    Tensor merge(List<Tensor> inputs) {
        int[] shape = inputs.get(0).shape();
        int a = resolve(shape.length);
        int outer = 1;
        for (int d = 0; d < a; d++) {
            outer *= shape[d];
        }
        int[] widths = new int[inputs.size()]; // per input: its axis size times the inner block
        int total = 0;
        for (int i = 0; i < inputs.size(); i++) {
            int[] s = inputs.get(i).shape();
            for (int d = 0; d < s.length; d++) {
                if (d != a && s[d] != shape[d]) {
                    throw new IllegalArgumentException(describe() + " got inputs " + Shape.format(shape) + " and "
                            + Shape.format(s) + ", which differ off the concatenation axis");
                }
            }
            widths[i] = inputs.get(i).size() / Math.max(1, outer);
            total = Math.addExact(total, widths[i]);
        }
        float[] out = new float[Math.multiplyExact(outer, total)];
        int at = 0;
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inputs.size(); i++) {
                System.arraycopy(inputs.get(i).data(), o * widths[i], out, at, widths[i]);
                at += widths[i];
            }
        }
        int[] outShape = shape.clone();
        outShape[a] = 0;
        for (Tensor t : inputs) {
            outShape[a] += t.dim(a);
        }
        return Tensor.wrap(out, outShape);
    }

    @Override
    List<Tensor> inputGrads(Tensor dy, List<Tensor> inputs, Tensor output, boolean[] need) {
        int a = resolve(dy.rank());
        int outer = 1;
        for (int d = 0; d < a; d++) {
            outer *= dy.dim(d);
        }
        int total = dy.size() / Math.max(1, outer);
        List<Tensor> out = new ArrayList<>(inputs.size());
        int offset = 0;
        for (int i = 0; i < inputs.size(); i++) {
            int width = inputs.get(i).size() / Math.max(1, outer);
            if (need[i]) {
                float[] d = new float[inputs.get(i).size()];
                for (int o = 0; o < outer; o++) {
                    System.arraycopy(dy.data(), o * total + offset, d, o * width, width);
                }
                out.add(Tensor.wrap(d, inputs.get(i).shape()));
            } else {
                out.add(null);
            }
            offset += width;
        }
        return out;
    }
}
