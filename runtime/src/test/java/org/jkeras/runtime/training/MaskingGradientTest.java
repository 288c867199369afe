package org.jkeras.runtime.training;

import java.util.SplittableRandom;
import org.jkeras.runtime.layers.Masking;
import org.junit.jupiter.api.Test;

/** Masking's backward pass: the gradient passes at kept steps and is zero at masked ones. */
class MaskingGradientTest {
    @Test
    void maskingBackwardMatchesFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(3);
        int batch = 2;
        int steps = 4;
        int f = 3;
        float[] x = GradientCheck.random(r, batch * steps * f, 1.0);
        for (int k = 0; k < f; k++) { // two masked steps: (0, 1) and (1, 3)
            x[(0 * steps + 1) * f + k] = 0.5f;
            x[(1 * steps + 3) * f + k] = 0.5f;
        }
        GradientCheck.check("masking", new Masking("masking", 0.5f, false), x, new int[] {batch, steps, f},
                (w, xd) -> {
                    double[] out = xd.clone();
                    for (int p = 0; p < batch * steps; p++) {
                        boolean keep = false;
                        for (int k = 0; k < f; k++) {
                            keep |= x[p * f + k] != 0.5f; // the mask of the point, fixed under small perturbations
                        }
                        if (!keep) {
                            java.util.Arrays.fill(out, p * f, (p + 1) * f, 0.0);
                        }
                    }
                    return out;
                }, true);
    }
}
