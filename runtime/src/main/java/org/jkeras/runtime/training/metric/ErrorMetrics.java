package org.jkeras.runtime.training.metric;

import java.util.Arrays;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.training.loss.KerasShapes;

/** The per-sample error functions shared by the regression metrics. */
final class ErrorMetrics {
    private ErrorMetrics() {
    }

    /**
     * Keras's {@code mean_squared_error} / {@code mean_absolute_error}: after the rank fix, the mean
     * of {@code (y_true - y_pred)^2} or {@code |y_true - y_pred|} over the last axis.
     */
    static Tensor meanError(String metric, Tensor yTrue, Tensor yPred, boolean squared) {
        int[][] fixed = KerasShapes.squeezeOrExpand(yTrue.shape(), yPred.shape());
        int[] p = fixed[1];
        if (!Arrays.equals(fixed[0], p) || p.length == 0) {
            throw new IllegalArgumentException(metric + ": y_true of shape " + Shape.format(yTrue.shape())
                    + " does not match y_pred of shape " + Shape.format(yPred.shape()));
        }
        int d = p[p.length - 1];
        int n = d == 0 ? 0 : yPred.size() / d;
        float[] yt = yTrue.data();
        float[] yp = yPred.data();
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = i * d; j < (i + 1) * d; j++) {
                float diff = yt[j] - yp[j];
                s += squared ? diff * diff : Math.abs(diff);
            }
            out[i] = (float) s / d;
        }
        return Tensor.wrap(out, Arrays.copyOf(p, p.length - 1));
    }
}
