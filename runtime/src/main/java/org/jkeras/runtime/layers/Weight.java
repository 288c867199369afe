package org.jkeras.runtime.layers;

import org.jkeras.runtime.tensor.Tensor;

/**
 * A named weight array of a layer, e.g. {@code kernel} with shape {@code [in, 4*units]}.
 *
 * @param name  the weight's role within its layer ({@code kernel}, {@code recurrent_kernel}, {@code bias})
 * @param value its values
 */
public record Weight(String name, Tensor value) {
}
