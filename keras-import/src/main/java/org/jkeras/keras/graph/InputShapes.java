package org.jkeras.keras.graph;

import java.util.List;
import org.jkeras.keras.config.ConfigNode;
import org.jkeras.keras.translate.Limits;
import org.jkeras.runtime.Shape;
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
    static Shape of(ConfigNode c) {
        if (c.has("batch_input_shape")) {
            return parse(c, "batch_input_shape", c.array("batch_input_shape"), true);
        }
        if (c.has("batch_shape")) {
            return parse(c, "batch_shape", c.array("batch_shape"), true);
        }
        if (c.has("input_shape")) {
            return parse(c, "input_shape", c.array("input_shape"), false);
        }
        if (c.has("input_dim")) {
            int dim = c.integer("input_dim", 1, Limits.MAX_DIM);
            if (c.has("input_length")) {
                return Shape.of(Shape.UNKNOWN, c.integer("input_length", 1, Limits.MAX_DIM), dim);
            }
            return Shape.of(Shape.UNKNOWN, dim);
        }
        throw c.error("no input shape: expected batch_input_shape, batch_shape, input_shape or input_dim");
    }

    /** Parses a shape list (None -> unknown) from a JSON array node. */
    static Shape parse(ConfigNode c, String field, List<JsonNode> dims, boolean withBatch) {
        int rank = dims.size() + (withBatch ? 0 : 1);
        if (rank < 2 || rank > 8) {
            throw c.error(field, "has rank " + rank + " (with batch), expected 2 to 8: " + dims);
        }
        int[] out = new int[rank];
        out[0] = Shape.UNKNOWN;
        for (int i = withBatch ? 1 : 0; i < dims.size(); i++) {
            JsonNode d = dims.get(i);
            int at = withBatch ? i : i + 1;
            if (d == null || d.isNull()) {
                out[at] = Shape.UNKNOWN;
            } else if (d.isIntegralNumber() && d.longValue() >= 0 && d.longValue() <= Limits.MAX_DIM) {
                out[at] = d.intValue();
            } else {
                throw c.error(field, "has dimension " + d + ", expected None or an integer in [0, " + Limits.MAX_DIM
                        + "]");
            }
        }
        return Shape.of(out);
    }
}
