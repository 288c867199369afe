package org.jkeras.runtime.training.metric;

import java.util.Arrays;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.tensor.Float32;
import org.jkeras.runtime.training.loss.KerasShapes;
import org.jkeras.runtime.training.loss.SampleWeights;

/**
 * Keras's {@code Mean}: a weighted running mean kept as float32 {@code total} and {@code count}
 * variables, {@code result = total / count} (0 when count is 0). Values are first reduced to one
 * per sample (mean over every axis after the first, and, with sample weights, over the axes the
 * weights do not have), as Keras's {@code reduce_to_samplewise_values}. Mutable, not
 * thread-safe.
 */
public final class Mean {
    private final String name;
    private float total;
    private float count;

    /** A mean with Keras's default name {@code mean}. */
    public Mean() {
        this("mean");
    }

    /**
     * A mean reported as {@code name} (Keras's loss tracker is {@code Mean(name="loss")}).
     *
     * @param name the name the mean is reported under
     */
    public Mean(String name) {
        this.name = name;
    }

    /**
     * The reported name.
     *
     * @return the reported name
     */
    public String name() {
        return name;
    }

    /**
     * Adds one scalar with a weight, as Keras's training loop feeds its loss tracker:
     * {@code update_state(loss, sample_weight=batch_size)} adds {@code loss * batch} to the total and
     * {@code batch} to the count.
     *
     * @param value the scalar, e.g. a batch's mean loss
     * @param weight its weight, e.g. the batch size
     */
    public void update(float value, float weight) {
        total += value * weight;
        count += weight;
    }

    /**
     * Adds values of any shape {@code [batch, ...]}, with optional weights ({@code update_state}).
     *
     * @param values the values, {@code [batch, ...]} or a scalar
     * @param sampleWeight null, or weights broadcastable to the values (after Keras's rank fix)
     * @throws IllegalArgumentException when the weights do not fit
     */
    public void update(Tensor values, Tensor sampleWeight) {
        int[] shape = values.shape();
        float[] v = values.data();
        if (sampleWeight == null) {
            if (shape.length == 0) {
                total += v[0];
                count += 1f;
                return;
            }
            int rows = shape[0];
            int per = rows == 0 ? 0 : v.length / rows;
            total += sumOfRowMeans(v, rows, per);
            count += (float) rows;
            return;
        }
        int[][] fixed = KerasShapes.squeezeOrExpand(shape, sampleWeight.shape());
        int[] vs = fixed[0];
        int[] ws = fixed[1];
        if (ws.length > vs.length) {
            throw new IllegalArgumentException("metric '" + name + "': sample_weight of shape "
                    + Shape.format(sampleWeight.shape()) + " has more dimensions than the values " + Shape.format(shape));
        }
        // Values are averaged down to the weights' rank, then weighted.
        int[] reducedShape = Arrays.copyOf(vs, ws.length);
        int outer = KerasShapes.size(reducedShape);
        int inner = outer == 0 ? 0 : v.length / outer;
        SampleWeights w = SampleWeights.resolve(sampleWeight, reducedShape, "metric '" + name + "' sample_weight");
        if (ws.length == 0) {
            // A scalar weight: Keras averages the values over every axis first.
            float weight = w.at(0);
            float value = shape.length == 0 ? v[0] : mean(v, 0, v.length);
            total += value * weight;
            count += weight;
            return;
        }
        // weighted: [outer] values * weights; then the mean over axes 1.. of both (Keras reduces both).
        int rows = reducedShape[0];
        int perRow = rows == 0 ? 0 : outer / rows;
        double t = 0;
        double c = 0;
        for (int r = 0; r < rows; r++) {
            double rowValues = 0;
            double rowWeights = 0;
            for (int k = 0; k < perRow; k++) {
                int i = r * perRow + k;
                float value = inner == 1 ? v[i] : mean(v, i * inner, inner);
                float weight = w.at(i);
                float weighted = value * weight;
                rowValues += weighted;
                rowWeights += weight;
            }
            t += perRow == 1 ? (float) rowValues : (float) rowValues / perRow;
            c += perRow == 1 ? (float) rowWeights : (float) rowWeights / perRow;
        }
        total += (float) t;
        count += (float) c;
    }

    /**
     * {@code total / count}, or 0 before any weight.
     *
     * @return the weighted mean so far, a float32 value widened to double
     */
    public double result() {
        return Float32.divNoNan(total, count);
    }

    /**
     * Keras's {@code total} variable.
     *
     * @return the float32 weighted sum of the values so far
     */
    public float total() {
        return total;
    }

    /**
     * Keras's {@code count} variable.
     *
     * @return the float32 sum of the weights so far
     */
    public float count() {
        return count;
    }

    /** Zeroes total and count. */
    public void reset() {
        total = 0f;
        count = 0f;
    }

    private static float sumOfRowMeans(float[] v, int rows, int per) {
        double s = 0;
        for (int r = 0; r < rows; r++) {
            s += per == 1 ? v[r] : mean(v, r * per, per);
        }
        return (float) s;
    }

    /** Float32 mean of {@code n} values: the sum rounded to float, divided in float (TF's reduce_mean). */
    static float mean(float[] v, int offset, int n) {
        return Float32.sum(v, offset, n) / n;
    }

    @Override
    public String toString() {
        return "Mean(name=" + name + ", total=" + total + ", count=" + count + ")";
    }
}
