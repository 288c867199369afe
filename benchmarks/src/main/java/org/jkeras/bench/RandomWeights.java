package org.jkeras.bench;

import java.util.SplittableRandom;
import org.jkeras.runtime.tensor.Tensor;

/** Deterministic random tensors, scaled like Glorot-uniform so activations stay in their working range. */
final class RandomWeights {
    private final SplittableRandom random;

    RandomWeights(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** Uniform in [-scale, scale]. */
    Tensor uniform(double scale, int... shape) {
        int n = 1;
        for (int d : shape) {
            n = Math.multiplyExact(n, d);
        }
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
        }
        return Tensor.wrap(x, shape);
    }

    /** A weight matrix [fanIn, fanOut] with Glorot-uniform scale. */
    Tensor glorot(int fanIn, int fanOut) {
        return uniform(Math.sqrt(6.0 / (fanIn + fanOut)), fanIn, fanOut);
    }
}
