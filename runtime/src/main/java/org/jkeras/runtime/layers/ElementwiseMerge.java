package org.jkeras.runtime.layers;

import java.util.ArrayList;
import java.util.List;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;

/**
 * Keras's element-wise merge layers over inputs of one shape: {@code Add}, {@code Subtract} (two inputs),
 * {@code Multiply}, {@code Average}, {@code Maximum}, {@code Minimum}. Like Keras they fold the inputs left to
 * right in float32 ({@code ((x0 + x1) + x2) ...}; {@code Average} divides the sum by the count). The gradients of
 * Maximum and Minimum go where TensorFlow sends them: to the running result on ties. Inputs of different shapes
 * (Keras's broadcasting of size-1 axes) are refused.
 */
public final class ElementwiseMerge extends MergeBase {
    /** The operation (the Keras class). */
    public enum Op {
        /** {@code Add}: the sum. */
        ADD("Add"),
        /** {@code Subtract}: {@code x0 - x1}. */
        SUBTRACT("Subtract"),
        /** {@code Multiply}: the product. */
        MULTIPLY("Multiply"),
        /** {@code Average}: the sum divided by the number of inputs. */
        AVERAGE("Average"),
        /** {@code Maximum}: the element-wise maximum. */
        MAXIMUM("Maximum"),
        /** {@code Minimum}: the element-wise minimum. */
        MINIMUM("Minimum");

        private final String kerasClass;

        Op(String kerasClass) {
            this.kerasClass = kerasClass;
        }

        /**
         * The Keras class name.
         *
         * @return e.g. {@code Add}
         */
        public String kerasClass() {
            return kerasClass;
        }
    }

    private final Op op;

    /**
     * A merge layer applying {@code op}.
     *
     * @param name the layer's name, unique within its model
     * @param op the elementwise operation across the inputs
     */
    public ElementwiseMerge(String name, Op op) {
        super(name);
        this.op = op;
    }

    /**
     * The operation.
     *
     * @return the operation applied across the inputs
     */
    public Op op() {
        return op;
    }

    @Override
    public String kind() {
        return op.kerasClass();
    }

    @Override
    public List<Shape> outputShapes(List<Shape> in) {
        if (op == Op.SUBTRACT) {
            requireInputs(in, 2, 2);
        } else {
            requireInputs(in, 1, Integer.MAX_VALUE);
        }
        Shape first = in.get(0);
        int[] out = first.dims();
        for (Shape s : in) {
            if (s.rank() != first.rank()) {
                throw new IllegalArgumentException(describe() + " needs inputs of one shape, got " + in);
            }
            for (int d = 1; d < out.length; d++) {
                int a = out[d];
                int b = s.dim(d);
                if (a != Shape.UNKNOWN && b != Shape.UNKNOWN && a != b) {
                    throw new IllegalArgumentException(describe() + " needs inputs of one shape (broadcasting is"
                            + " not supported), got " + in);
                }
                if (a == Shape.UNKNOWN) {
                    out[d] = b;
                }
            }
            if (out[0] == Shape.UNKNOWN) {
                out[0] = s.dim(0);
            }
        }
        return List.of(Shape.of(out));
    }

    @Override
    Tensor merge(List<Tensor> inputs) {
        Tensor first = inputs.get(0);
        for (Tensor t : inputs) {
            if (!java.util.Arrays.equals(t.shape(), first.shape())) {
                throw new IllegalArgumentException(describe() + " needs inputs of one shape, got "
                        + Shape.format(first.shape()) + " and " + Shape.format(t.shape()));
            }
        }
        float[] out = first.data().clone();
        for (int i = 1; i < inputs.size(); i++) {
            float[] x = inputs.get(i).data();
            for (int k = 0; k < out.length; k++) {
                out[k] = switch (op) {
                    case ADD, AVERAGE -> out[k] + x[k];
                    case SUBTRACT -> out[k] - x[k];
                    case MULTIPLY -> out[k] * x[k];
                    case MAXIMUM -> Math.max(out[k], x[k]);
                    case MINIMUM -> Math.min(out[k], x[k]);
                };
            }
        }
        if (op == Op.AVERAGE) {
            float n = inputs.size();
            for (int k = 0; k < out.length; k++) {
                out[k] /= n;
            }
        }
        return Tensor.wrap(out, first.shape());
    }

    @Override
    List<Tensor> inputGrads(Tensor dy, List<Tensor> inputs, Tensor output, boolean[] need) {
        int n = inputs.size();
        float[] g = dy.data();
        List<Tensor> out = new ArrayList<>(n);
        int[] winner = op == Op.MAXIMUM || op == Op.MINIMUM ? winners(inputs) : null;
        for (int i = 0; i < n; i++) {
            if (!need[i]) {
                out.add(null);
                continue;
            }
            float[] d = new float[g.length];
            for (int k = 0; k < d.length; k++) {
                d[k] = switch (op) {
                    case ADD -> g[k];
                    case SUBTRACT -> i == 0 ? g[k] : -g[k];
                    case AVERAGE -> g[k] / n;
                    case MULTIPLY -> g[k] * productOfOthers(inputs, i, k);
                    case MAXIMUM, MINIMUM -> winner[k] == i ? g[k] : 0f;
                };
            }
            out.add(Tensor.wrap(d, inputs.get(i).shape()));
        }
        return out;
    }

    private static float productOfOthers(List<Tensor> inputs, int skip, int k) {
        float p = 1f;
        for (int j = 0; j < inputs.size(); j++) {
            if (j != skip) {
                p *= inputs.get(j).data()[k];
            }
        }
        return p;
    }

    /**
     * Per element, the input the fold's result came from. TensorFlow's gradient of {@code maximum(a, b)} goes to
     * {@code a} where {@code a >= b} ({@code minimum}: {@code a <= b}), so on ties the running result keeps it.
     */
    private int[] winners(List<Tensor> inputs) {
        float[] best = inputs.get(0).data().clone();
        int[] w = new int[best.length];
        for (int i = 1; i < inputs.size(); i++) {
            float[] x = inputs.get(i).data();
            for (int k = 0; k < best.length; k++) {
                boolean keep = op == Op.MAXIMUM ? best[k] >= x[k] : best[k] <= x[k];
                if (!keep) {
                    best[k] = x[k];
                    w[k] = i;
                }
            }
        }
        return w;
    }
}
