package org.jkeras.cli;

import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.graph.Graph;
import org.jkeras.runtime.graph.Node;
import org.jkeras.runtime.layers.WeightSpec;

/**
 * The floating-point work of one prediction, counted from the weight shapes alone so it holds for
 * every layer kind: each matrix weight (named {@code kernel} or {@code recurrent_kernel}) is one
 * multiply-add per element per input row,
 * <pre>
 *   FLOPs = sum over graph nodes of 2 * rows * (prod(kernel shape) + prod(recurrent_kernel shape))
 * </pre>
 * where {@code rows} is the number of vectors the layer applies its kernels to: the product of its input
 * shape without the last axis, with batch = B and a free time axis = T. That gives
 * {@code 2*B*T*(in+units)*4*units} for an LSTM, {@code ...*3*units} for a GRU, {@code ...*units} for a
 * SimpleRNN, {@code 2*rows*in*units} for a Dense (rows = B, or B*T on sequences / in TimeDistributed).
 * Biases, activations and gate arithmetic are not counted: the matrix products dominate, and this is
 * the count GEMM benchmarks use, so the GFLOP/s figure is comparable to them.
 */
final class FlopCount {
    private FlopCount() {
    }

    /** FLOPs of one {@code predict} on a batch of {@code batch} sequences of {@code timesteps} steps. */
    static double perCall(Model model, int batch, int timesteps) {
        Graph graph = model.graph();
        double flops = 0;
        for (Node node : graph.nodes()) {
            if (node.isInput() || node.inputs().isEmpty()) {
                continue;
            }
            long weights = 0;
            for (WeightSpec w : node.layer().weightSpecs()) {
                if (w.name().endsWith("kernel")) {
                    weights += w.size();
                }
            }
            if (weights > 0) {
                flops += 2.0 * rows(graph.shapeOf(node.inputs().get(0)), batch, timesteps) * weights;
            }
        }
        return flops;
    }

    /** Product of all but the last dimension, batch (axis 0) = B and any other free axis = T. */
    private static double rows(Shape input, int batch, int timesteps) {
        int[] dims = input.dims();
        double rows = 1;
        for (int i = 0; i < dims.length - 1; i++) {
            int d = dims[i];
            rows *= d != Shape.UNKNOWN ? d : i == 0 ? batch : timesteps;
        }
        return rows;
    }
}
