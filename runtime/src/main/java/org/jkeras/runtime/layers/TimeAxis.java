package org.jkeras.runtime.layers;

import org.jkeras.runtime.tensor.Tensor;

/**
 * Reverses the time axis of {@code [batch, time, features]} tensors: how {@code go_backwards}
 * layers feed the existing forward-only kernels, and how Bidirectional aligns its backward output.
 */
final class TimeAxis {
    private TimeAxis() {
    }

    /** A copy of {@code x} [batch, time, features] with step t moved to step time-1-t. */
    static Tensor reversed(Tensor x) {
        int batch = x.dim(0);
        int steps = x.dim(1);
        int width = x.size() / Math.max(1, batch * steps);
        float[] src = x.data();
        float[] dst = new float[src.length];
        for (int b = 0; b < batch; b++) {
            int base = b * steps * width;
            for (int t = 0; t < steps; t++) {
                System.arraycopy(src, base + t * width, dst, base + (steps - 1 - t) * width, width);
            }
        }
        return Tensor.wrap(dst, x.shape());
    }
}
