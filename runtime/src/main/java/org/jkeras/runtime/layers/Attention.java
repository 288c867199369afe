package org.jkeras.runtime.layers;

import java.util.ArrayList;
import java.util.List;
import org.jkeras.runtime.tensor.Mask;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;

/**
 * Keras's {@code Attention} (Luong, {@code score_mode} dot or concat) and {@code AdditiveAttention} (Bahdanau),
 * called on {@code [query, value]} or {@code [query, value, key]} ({@code [batch, Tq, d]}, {@code [batch, Tv, dv]},
 * {@code [batch, Tv, d]}; the key defaults to the value). Per query step the scores over the key steps are
 * <ul>
 *   <li>dot: {@code (q · k) * scale};</li>
 *   <li>concat: {@code concat_score_weight * Σ tanh(scale * (q + k))};</li>
 *   <li>additive: {@code Σ scale[d] * tanh(q + k)} ({@code scale} a vector, or 1);</li>
 * </ul>
 * then, where the value's mask is false (or, causal, for key steps after the query step), {@code score - 1e9};
 * the softmax over the key steps weights the value steps; where the query's mask is false the output is 0. The
 * output carries the query's mask (Keras's {@code compute_mask}); the key's mask is ignored, as in Keras. Dropout
 * on the weights is training-only and not applied.
 */
public final class Attention implements Layer {
    /** How the scores are computed. */
    public enum Score {
        /** Luong: dot product. */
        DOT,
        /** Luong {@code score_mode="concat"}: tanh of the sum. */
        CONCAT,
        /** Bahdanau ({@code AdditiveAttention}). */
        ADDITIVE
    }

    private static final AttentionSoftmax SOFTMAX = new AttentionSoftmax(AttentionSoftmax.Masked.SUBTRACT, 1e9f,
            false);

    private final String name;
    private final Score score;
    private final Tensor scale;              // null, a scalar [] (dot, concat) or [d] (additive)
    private final Tensor concatScoreWeight;  // concat only: a scalar []
    private final boolean causal;

    /**
     * An attention layer.
     *
     * @param scale             Attention's {@code use_scale} scalar (shape {@code []}) or AdditiveAttention's
     *                          {@code [d]} vector; null without {@code use_scale}
     * @param concatScoreWeight the scalar {@code concat_score_weight} for {@link Score#CONCAT}, else null
     * @param causal            mask key steps after each query step ({@code use_causal_mask=True})
     * @param name the layer's name, unique within its model
     * @param score how query and key steps are scored (dot product, additive, concat)
     */
    public Attention(String name, Score score, Tensor scale, Tensor concatScoreWeight, boolean causal) {
        this.name = name;
        this.score = score;
        this.scale = scale;
        this.concatScoreWeight = concatScoreWeight;
        this.causal = causal;
        if ((score == Score.CONCAT) != (concatScoreWeight != null)) {
            throw new IllegalArgumentException(describe() + ": concat_score_weight is given exactly for score mode"
                    + " concat");
        }
        if (scale != null && (score == Score.ADDITIVE ? scale.rank() != 1 : scale.rank() != 0)) {
            throw new IllegalArgumentException(describe() + ": scale must be " + (score == Score.ADDITIVE
                    ? "a vector" : "a scalar") + ", got shape " + Shape.format(scale.shape()));
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String kind() {
        return score == Score.ADDITIVE ? "AdditiveAttention" : "Attention";
    }

    /**
     * How scores are computed.
     *
     * @return the score function
     */
    public Score score() {
        return score;
    }

    /**
     * True with a causal mask.
     *
     * @return true when key steps after each query step are masked
     */
    public boolean causal() {
        return causal;
    }

    @Override
    public List<Shape> outputShapes(List<Shape> in) {
        AttentionInputs.requireQueryValueKey(describe(), in);
        Shape q = in.get(0);
        Shape v = in.get(1);
        Shape k = in.size() > 2 ? in.get(2) : v;
        requireSame(q.dim(2), k.dim(2), "the query's and key's features", in);
        requireSame(v.dim(1), k.dim(1), "the value's and key's steps", in);
        if (scale != null && score == Score.ADDITIVE) {
            requireSame(scale.dim(0), q.dim(2), "the scale's size and the query's features", in);
        }
        return List.of(Shape.of(q.dim(0), q.dim(1), v.dim(2)));
    }

    private void requireSame(int a, int b, String what, List<Shape> in) {
        if (a != Shape.UNKNOWN && b != Shape.UNKNOWN && a != b) {
            throw new IllegalArgumentException(describe() + ": " + what + " differ (" + a + " vs " + b + ") in "
                    + in);
        }
    }

    @Override
    public List<Boolean> outputsMasked(List<Boolean> inputsMasked, int outputCount) {
        return List.of(inputsMasked.get(0));
    }

    @Override
    public List<Mask> outputMasks(List<Tensor> inputs, List<Mask> masks) {
        List<Mask> out = new ArrayList<>(1);
        out.add(masks.isEmpty() ? null : masks.get(0));
        return out;
    }

    @Override
    public List<Tensor> forward(List<Tensor> inputs) {
        return forward(inputs, CallContext.NONE);
    }

    @Override
    public List<Tensor> forward(List<Tensor> inputs, CallContext ctx) {
        Tensor q = inputs.get(0);
        Tensor v = inputs.get(1);
        Tensor k = inputs.size() > 2 ? inputs.get(2) : v;
        int batch = q.dim(0);
        int tq = q.dim(1);
        int d = q.dim(2);
        int tv = v.dim(1);
        int dv = v.dim(2);
        if (k.dim(2) != d || k.dim(1) != tv || v.dim(0) != batch || k.dim(0) != batch) {
            throw new IllegalArgumentException(describe() + " got inputs " + Shape.format(q.shape()) + ", "
                    + Shape.format(v.shape()) + ", " + Shape.format(k.shape()) + " that do not fit together");
        }
        Mask qMask = ctx.mask(0);
        Mask vMask = ctx.mask(1);
        float[] qd = q.data();
        float[] vd = v.data();
        float[] kd = k.data();
        float[] out = new float[Math.multiplyExact(Math.multiplyExact(batch, tq), dv)];
        float[] row = new float[tv];
        boolean[] keep = new boolean[tv];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < tq; i++) {
                boolean anyMasked = false;
                for (int j = 0; j < tv; j++) {
                    row[j] = score(qd, (b * tq + i) * d, kd, (b * tv + j) * d, d);
                    keep[j] = (vMask == null || vMask.get(b, j)) && (!causal || j <= i);
                    anyMasked |= !keep[j];
                }
                SOFTMAX.apply(row, 0, tv, anyMasked ? keep : null);
                int o = (b * tq + i) * dv;
                if (qMask != null && !qMask.get(b, i)) {
                    continue; // Keras: where(q_mask, output, 0)
                }
                for (int c = 0; c < dv; c++) {
                    double s = 0;
                    for (int j = 0; j < tv; j++) {
                        s += (double) row[j] * vd[(b * tv + j) * dv + c];
                    }
                    out[o + c] = (float) s;
                }
            }
        }
        return List.of(Tensor.wrap(out, batch, tq, dv));
    }

    /** The score of query row {@code qo} against key row {@code ko} (float32 as Keras rounds each step). */
    private float score(float[] q, int qo, float[] k, int ko, int d) {
        switch (score) {
            case DOT -> {
                double s = 0;
                for (int c = 0; c < d; c++) {
                    s += (double) q[qo + c] * k[ko + c];
                }
                return scale == null ? (float) s : (float) s * scale.data()[0];
            }
            case CONCAT -> {
                float sc = scale == null ? 1f : scale.data()[0];
                double s = 0;
                for (int c = 0; c < d; c++) {
                    float sum = q[qo + c] + k[ko + c];
                    s += Math.tanh(scale == null ? sum : sc * sum);
                }
                return concatScoreWeight.data()[0] * (float) s;
            }
            default -> {
                float[] sc = scale == null ? null : scale.data();
                double s = 0;
                for (int c = 0; c < d; c++) {
                    float t = (float) Math.tanh(q[qo + c] + k[ko + c]);
                    s += sc == null ? t : sc[c] * t;
                }
                return (float) s;
            }
        }
    }

    @Override
    public List<Weight> weights() {
        List<Weight> w = new ArrayList<>(2);
        if (scale != null) {
            w.add(new Weight("scale", scale));
        }
        if (concatScoreWeight != null) {
            w.add(new Weight("concat_score_weight", concatScoreWeight));
        }
        return w;
    }

    /** {@code layer 'name' (Kind)}, for messages. */
    String describe() {
        return "layer '" + name + "' (" + kind() + ")";
    }

    @Override
    public String toString() {
        return describe() + " score " + score + (causal ? " causal" : "");
    }
}
