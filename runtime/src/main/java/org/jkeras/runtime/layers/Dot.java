package org.jkeras.runtime.layers;

import java.util.ArrayList;
import java.util.List;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;

/**
 * Keras {@code Dot(axes, normalize)}: per sample, the dot products of two inputs along one axis of each (Keras's
 * {@code batch_dot}). The output keeps the first input's other axes, then the second's: {@code [b, m, k]} and
 * {@code [b, n, k]} with axes (2, 2) give {@code [b, m, n]}; two {@code [b, k]} give {@code [b, 1]}. With
 * {@code normalize} each input is first L2-normalised along its axis, {@code x / sqrt(max(Σx², floor))}, where the
 * floor is what the Keras version uses ({@link #KERAS3_FLOOR}, {@link #TF_KERAS_FLOOR}).
 */
public final class Dot extends MergeBase {
    /** Keras 3's {@code normalize}: {@code x * min(rsqrt(Σx²), 1/1e-7)}, i.e. a floor of 1e-14 on Σx². */
    public static final double KERAS3_FLOOR = 1e-14;
    /** tf.keras 2's {@code tf.linalg.l2_normalize}: {@code x * rsqrt(max(Σx², 1e-12))}. */
    public static final double TF_KERAS_FLOOR = 1e-12;

    private final int axis0;
    private final int axis1;
    private final boolean normalize;
    private final double floor;

    /**
     * A dot product layer.
     *
     * @param axis0     the summed axis of the first input as Keras numbers it (negative from the end; not 0)
     * @param axis1     the summed axis of the second input
     * @param normalize L2-normalise both inputs along their axes first
     * @param floor     the lower bound of the squared norm under {@code normalize} (Keras version dependent)
     * @param name the layer's name, unique within its model
     */
    public Dot(String name, int axis0, int axis1, boolean normalize, double floor) {
        super(name);
        this.axis0 = axis0;
        this.axis1 = axis1;
        this.normalize = normalize;
        this.floor = floor;
    }

    @Override
    public String kind() {
        return "Dot";
    }

    /**
     * The summed axes as configured, first input then second.
     *
     * @return a new array {axis0, axis1}
     */
    public int[] axes() {
        return new int[] {axis0, axis1};
    }

    /**
     * True when the inputs are L2-normalised first.
     *
     * @return true when both inputs are L2-normalised first
     */
    public boolean normalize() {
        return normalize;
    }

    private int resolve(int axis, int rank, int which) {
        int a = axis < 0 ? axis + rank : axis;
        if (a <= 0 || a >= rank) {
            throw new IllegalArgumentException(describe() + ": axis " + axis + " does not fit input " + which
                    + " of rank " + rank + " (the batch axis 0 cannot be summed)");
        }
        return a;
    }

    @Override
    public List<Shape> outputShapes(List<Shape> in) {
        requireInputs(in, 2, 2);
        Shape x = in.get(0);
        Shape y = in.get(1);
        if (x.rank() < 2 || y.rank() < 2) {
            throw new IllegalArgumentException(describe() + " needs inputs of rank >= 2, got " + in);
        }
        int a0 = resolve(axis0, x.rank(), 0);
        int a1 = resolve(axis1, y.rank(), 1);
        if (x.dim(a0) != Shape.UNKNOWN && y.dim(a1) != Shape.UNKNOWN && x.dim(a0) != y.dim(a1)) {
            throw new IllegalArgumentException(describe() + ": axis " + a0 + " of " + x + " and axis " + a1 + " of "
                    + y + " differ in size");
        }
        List<Integer> out = new ArrayList<>();
        for (int d = 0; d < x.rank(); d++) {
            if (d != a0) {
                out.add(d == 0 && x.dim(0) == Shape.UNKNOWN ? y.dim(0) : x.dim(d));
            }
        }
        for (int d = 1; d < y.rank(); d++) {
            if (d != a1) {
                out.add(y.dim(d));
            }
        }
        if (out.size() == 1) {
            out.add(1);
        }
        return List.of(Shape.of(out.stream().mapToInt(Integer::intValue).toArray()));
    }

    /** One input viewed per sample as [m, k] (x) or [k, n] (y): the strides of the summed axis. */
    private record Fibers(int batch, int perSample, int axisLen, int inner, int others) {
        static Fibers of(int[] shape, int axis) {
            int inner = 1;
            for (int d = axis + 1; d < shape.length; d++) {
                inner *= shape[d];
            }
            int per = 1;
            for (int d = 1; d < shape.length; d++) {
                per *= shape[d];
            }
            return new Fibers(shape[0], per, shape[axis], inner, per / Math.max(1, shape[axis]));
        }

        /** Flat index within a sample of "other" position {@code m} and summed position {@code k}. */
        int at(int m, int k) {
            int o = m / inner;
            int i = m - o * inner;
            return (o * axisLen + k) * inner + i;
        }
    }

    @Override
    Tensor merge(List<Tensor> inputs) {
        Tensor x = inputs.get(0);
        Tensor y = inputs.get(1);
        int a0 = resolve(axis0, x.rank(), 0);
        int a1 = resolve(axis1, y.rank(), 1);
        Fibers fx = Fibers.of(x.shape(), a0);
        Fibers fy = Fibers.of(y.shape(), a1);
        if (fx.axisLen() != fy.axisLen() || x.dim(0) != y.dim(0)) {
            throw new IllegalArgumentException(describe() + " got inputs " + Shape.format(x.shape()) + " and "
                    + Shape.format(y.shape()) + ", which do not fit axes (" + axis0 + ", " + axis1 + ")");
        }
        float[] xd = normalize ? normalized(x.data(), fx) : x.data();
        float[] yd = normalize ? normalized(y.data(), fy) : y.data();
        int m = fx.others();
        int n = fy.others();
        int k = fx.axisLen();
        int batch = x.dim(0);
        float[] out = new float[Math.multiplyExact(Math.multiplyExact(batch, m), n)];
        for (int b = 0; b < batch; b++) {
            int xo = b * fx.perSample();
            int yo = b * fy.perSample();
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int q = 0; q < k; q++) {
                        s += (double) xd[xo + fx.at(i, q)] * yd[yo + fy.at(j, q)];
                    }
                    out[(b * m + i) * n + j] = (float) s;
                }
            }
        }
        return Tensor.wrap(out, concreteShape(x.shape(), y.shape(), a0, a1));
    }

    private static int[] concreteShape(int[] x, int[] y, int a0, int a1) {
        List<Integer> out = new ArrayList<>();
        for (int d = 0; d < x.length; d++) {
            if (d != a0) {
                out.add(x[d]);
            }
        }
        for (int d = 1; d < y.length; d++) {
            if (d != a1) {
                out.add(y[d]);
            }
        }
        if (out.size() == 1) {
            out.add(1);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Each fiber along the summed axis divided by its L2 norm (floored). */
    private float[] normalized(float[] v, Fibers f) {
        float[] out = new float[v.length];
        float[] inv = inverseNorms(v, f);
        for (int b = 0; b < f.batch(); b++) {
            for (int i = 0; i < f.others(); i++) {
                for (int q = 0; q < f.axisLen(); q++) {
                    int at = b * f.perSample() + f.at(i, q);
                    out[at] = v[at] * inv[b * f.others() + i];
                }
            }
        }
        return out;
    }

    /** Per fiber [batch, others]: {@code 1 / sqrt(max(Σx², floor))}. */
    private float[] inverseNorms(float[] v, Fibers f) {
        float[] inv = new float[f.batch() * f.others()];
        for (int b = 0; b < f.batch(); b++) {
            for (int i = 0; i < f.others(); i++) {
                double s = 0;
                for (int q = 0; q < f.axisLen(); q++) {
                    float e = v[b * f.perSample() + f.at(i, q)];
                    s += (double) e * e;
                }
                inv[b * f.others() + i] = (float) (1.0 / Math.sqrt(Math.max((float) s, floor)));
            }
        }
        return inv;
    }

    @Override
    List<Tensor> inputGrads(Tensor dy, List<Tensor> inputs, Tensor output, boolean[] need) {
        Tensor x = inputs.get(0);
        Tensor y = inputs.get(1);
        Fibers fx = Fibers.of(x.shape(), resolve(axis0, x.rank(), 0));
        Fibers fy = Fibers.of(y.shape(), resolve(axis1, y.rank(), 1));
        float[] xd = normalize ? normalized(x.data(), fx) : x.data();
        float[] yd = normalize ? normalized(y.data(), fy) : y.data();
        int m = fx.others();
        int n = fy.others();
        int k = fx.axisLen();
        float[] g = dy.data();
        float[] dx = new float[xd.length];
        float[] dyIn = new float[yd.length];
        for (int b = 0; b < x.dim(0); b++) {
            int xo = b * fx.perSample();
            int yo = b * fy.perSample();
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float gij = g[(b * m + i) * n + j];
                    for (int q = 0; q < k; q++) {
                        dx[xo + fx.at(i, q)] += gij * yd[yo + fy.at(j, q)];
                        dyIn[yo + fy.at(j, q)] += gij * xd[xo + fx.at(i, q)];
                    }
                }
            }
        }
        if (normalize) {
            dx = throughNormalize(x.data(), xd, dx, fx);
            dyIn = throughNormalize(y.data(), yd, dyIn, fy);
        }
        List<Tensor> out = new ArrayList<>(2);
        out.add(need[0] ? Tensor.wrap(dx, x.shape()) : null);
        out.add(need[1] ? Tensor.wrap(dyIn, y.shape()) : null);
        return out;
    }

    /**
     * The gradient through {@code v̂ = v / max(|v|, sqrt(floor))} per fiber: {@code (g - v̂ (v̂·g)) / |v|} where the
     * norm is above the floor, {@code g / sqrt(floor)} where the floor holds it constant.
     */
    private float[] throughNormalize(float[] v, float[] vhat, float[] gHat, Fibers f) {
        float[] inv = inverseNorms(v, f);
        float[] out = new float[v.length];
        for (int b = 0; b < f.batch(); b++) {
            for (int i = 0; i < f.others(); i++) {
                double s = 0;
                double dotG = 0;
                for (int q = 0; q < f.axisLen(); q++) {
                    int at = b * f.perSample() + f.at(i, q);
                    s += (double) v[at] * v[at];
                    dotG += (double) vhat[at] * gHat[at];
                }
                boolean floored = s <= floor;
                float r = inv[b * f.others() + i];
                for (int q = 0; q < f.axisLen(); q++) {
                    int at = b * f.perSample() + f.at(i, q);
                    out[at] = floored ? gHat[at] * r : (float) ((gHat[at] - vhat[at] * dotG) * r);
                }
            }
        }
        return out;
    }
}
