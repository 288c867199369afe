package org.jkeras.keras.graph;

import java.util.List;
import org.jkeras.keras.config.ConfigNode;
import org.jkeras.keras.Limit;
import org.jkeras.keras.Limits;
import org.jkeras.runtime.tensor.Shape;
import tools.jackson.databind.JsonNode;

/**
 * Input shapes as configs declare them: {@code batch_input_shape} (Keras 1/2), {@code batch_shape}
 * (Keras 3), {@code input_shape} (no batch), or Keras 1's {@code input_dim} + {@code input_length}.
 * The batch dimension is always left free: computations are per sample, so a batch fixed at
 * training time (e.g. for a stateful model) does not constrain inference.
 */
final class InputShapes {
    private InputShapes() {
    }

    /** True when the config declares an input shape in any of the known forms. */
    static boolean declares(ConfigNode c) {
        return c.has("batch_input_shape") || c.has("batch_shape") || c.has("input_shape") || c.has("input_dim");
    }

    /** The declared shape, batch first; fails naming the field when absent or malformed. */
    static Shape of(ConfigNode c, Limits limits) {
        if (c.has("batch_input_shape")) {
            return parse(c, "batch_input_shape", c.array("batch_input_shape"), true, limits);
        }
        if (c.has("batch_shape")) {
            return parse(c, "batch_shape", c.array("batch_shape"), true, limits);
        }
        if (c.has("input_shape")) {
            return parse(c, "input_shape", c.array("input_shape"), false, limits);
        }
        if (c.has("input_dim")) {
            int dim = c.integer("input_dim", 1, Limit.MAX_DIM, limits);
            if (c.has("input_length")) {
                return Shape.of(Shape.UNKNOWN, c.integer("input_length", 1, Limit.MAX_DIM, limits), dim);
            }
            return Shape.of(Shape.UNKNOWN, dim);
        }
        throw c.error("no input shape: expected batch_input_shape, batch_shape, input_shape or input_dim");
    }

    /** Parses a shape list (None -> unknown) from a JSON array node. */
    static Shape parse(ConfigNode c, String field, List<JsonNode> dims, boolean withBatch, Limits limits) {
        int rank = dims.size() + (withBatch ? 0 : 1);
        if (rank < 2 || rank > 8) {
            throw c.error(field, "has rank " + rank + " (with batch), expected 2 to 8: "
                    + org.jkeras.keras.Echo.of(dims));
        }
        int[] out = new int[rank];
        out[0] = Shape.UNKNOWN;
        for (int i = withBatch ? 1 : 0; i < dims.size(); i++) {
            JsonNode d = dims.get(i);
            int at = withBatch ? i : i + 1;
            if (d == null || d.isNull()) {
                out[at] = Shape.UNKNOWN;
            } else if (d.isIntegralNumber() && d.canConvertToLong() && d.longValue() > limits.get(Limit.MAX_DIM)) {
                throw limits.exceeded(Limit.MAX_DIM, d.longValue(), c.where() + ": field '" + field + "'");
            } else if (d.isIntegralNumber() && d.canConvertToLong() && d.longValue() >= 0) {
                out[at] = d.intValue();
            } else {
                throw c.error(field, "has dimension " + ConfigNode.abbreviate(d) + ", expected None or an integer in"
                        + " [0, " + limits.get(Limit.MAX_DIM) + "]");
            }
        }
        return Shape.of(out);
    }
}
