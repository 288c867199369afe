package org.jkeras.runtime.layers;

import java.util.ArrayList;
import java.util.List;
import org.jkeras.runtime.tensor.Mask;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;

/**
 * Keras's {@code MultiHeadAttention} over the time axis (the default {@code attention_axes}), called on
 * {@code (query, value)} or {@code (query, value, key)}: {@code [batch, T, dq]}, {@code [batch, S, dv]},
 * {@code [batch, S, dk]}. Each input is projected per head (Keras's {@code EinsumDense} sublayers: query and key
 * kernels {@code [d, heads, key_dim]}, value kernel {@code [dv, heads, value_dim]}, biases {@code [heads, dim]}); per
 * head the scores {@code (Q · K) / sqrt(key_dim)} over the S steps, masked where the query's, value's or key's mask
 * is false (or, causal, for steps after the query step), go through the softmax, weight V, and the heads are
 * projected together by the output kernel {@code [heads, value_dim, out]} (+ bias {@code [out]}). The output carries
 * the query's mask. How a masked score is removed follows the Keras version ({@link MaskedScores}): it only matters
 * for a query step whose every score is masked.
 */
public final class MultiHeadAttention implements Layer {
    /** How the Keras version that wrote the file removes masked scores. */
    public enum MaskedScores {
        /** Keras 3 without dropout ({@code ops.dot_product_attention}): scores replaced, a fully masked row uniform. */
        KERAS3,
        /** Keras 3 with dropout (its {@code Softmax} layer): masked probabilities zero, a fully masked row all zero. */
        KERAS3_SOFTMAX_LAYER,
        /** tf.keras 2 ({@code scores - 1e9}): a fully masked row uniform. */
        TF_KERAS,
        /** tf.keras 2 with {@code softmax_robust_masking} (masked scores replaced by -1e9): a fully masked row uniform. */
        TF_KERAS_ROBUST
    }

    private final String name;
    private final int heads;
    private final int keyDim;
    private final int valueDim;
    private final Tensor wq;
    private final Tensor bq;
    private final Tensor wk;
    private final Tensor bk;
    private final Tensor wv;
    private final Tensor bv;
    private final Tensor wo;
    private final Tensor bo;
    private final boolean causal;
    private final MaskedScores masked;
    private final AttentionSoftmax softmax;

    /**
     * A multi-head attention layer; the biases are all given ({@code use_bias=True}) or all null.
     *
     * @param wq query kernel {@code [dq, heads, keyDim]}; {@code wk} {@code [dk, heads, keyDim]}; {@code wv}
     *           {@code [dv, heads, valueDim]}; {@code wo} {@code [heads, valueDim, out]}
     * @param name the layer's name, unique within its model
     * @param bq query bias {@code [heads, keyDim]}, or null
     * @param wk key kernel {@code [dk, heads, keyDim]}
     * @param bk key bias {@code [heads, keyDim]}, or null
     * @param wv value kernel {@code [dv, heads, valueDim]}
     * @param bv value bias {@code [heads, valueDim]}, or null
     * @param wo output kernel {@code [heads, valueDim, out]}
     * @param bo output bias {@code [out]}, or null
     * @param causal mask key steps after each query step ({@code use_causal_mask=True})
     * @param masked how the Keras version that wrote the file removes masked scores
     */
    public MultiHeadAttention(String name, Tensor wq, Tensor bq, Tensor wk, Tensor bk, Tensor wv, Tensor bv,
                              Tensor wo, Tensor bo, boolean causal, MaskedScores masked) {
        this.name = name;
        if (wq.rank() != 3 || wk.rank() != 3 || wv.rank() != 3 || wo.rank() != 3) {
            throw new IllegalArgumentException(describe() + ": kernels must have rank 3");
        }
        this.heads = wq.dim(1);
        this.keyDim = wq.dim(2);
        this.valueDim = wv.dim(2);
        if (wk.dim(1) != heads || wk.dim(2) != keyDim || wv.dim(1) != heads || wo.dim(0) != heads
                || wo.dim(1) != valueDim) {
            throw new IllegalArgumentException(describe() + ": kernels of shapes " + Shape.format(wq.shape()) + ", "
                    + Shape.format(wk.shape()) + ", " + Shape.format(wv.shape()) + ", " + Shape.format(wo.shape())
                    + " do not fit together");
        }
        boolean bias = bq != null;
        if ((bk != null) != bias || (bv != null) != bias || (bo != null) != bias) {
            throw new IllegalArgumentException(describe() + ": the biases are given all or none");
        }
        if (bias && (!Shape.of(bq.shape()).equals(Shape.of(heads, keyDim))
                || !Shape.of(bk.shape()).equals(Shape.of(heads, keyDim))
                || !Shape.of(bv.shape()).equals(Shape.of(heads, valueDim))
                || !Shape.of(bo.shape()).equals(Shape.of(wo.dim(2))))) {
            throw new IllegalArgumentException(describe() + ": bias shapes do not fit the kernels");
        }
        this.wq = wq;
        this.bq = bq;
        this.wk = wk;
        this.bk = bk;
        this.wv = wv;
        this.bv = bv;
        this.wo = wo;
        this.bo = bo;
        this.causal = causal;
        this.masked = masked;
        this.softmax = switch (masked) {
            case KERAS3 -> new AttentionSoftmax(AttentionSoftmax.Masked.REPLACE, AttentionSoftmax.KERAS3_DPA_FILL,
                    false);
            case KERAS3_SOFTMAX_LAYER -> new AttentionSoftmax(AttentionSoftmax.Masked.REPLACE, -1e9f, true);
            case TF_KERAS -> new AttentionSoftmax(AttentionSoftmax.Masked.SUBTRACT, 1e9f, false);
            case TF_KERAS_ROBUST -> new AttentionSoftmax(AttentionSoftmax.Masked.REPLACE, -1e9f, false);
        };
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String kind() {
        return "MultiHeadAttention";
    }

    /**
     * The number of heads.
     *
     * @return Keras's {@code num_heads}
     */
    public int heads() {
        return heads;
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
        require(q.dim(2), wq.dim(0), "the query's features and the query kernel", in);
        require(v.dim(2), wv.dim(0), "the value's features and the value kernel", in);
        require(k.dim(2), wk.dim(0), "the key's features and the key kernel", in);
        if (v.dim(1) != Shape.UNKNOWN && k.dim(1) != Shape.UNKNOWN && v.dim(1) != k.dim(1)) {
            throw new IllegalArgumentException(describe() + ": the value's and key's steps differ in " + in);
        }
        return List.of(Shape.of(q.dim(0), q.dim(1), wo.dim(2)));
    }

    private void require(int a, int b, String what, List<Shape> in) {
        if (a != b) {
            throw new IllegalArgumentException(describe() + ": " + what + " differ (" + a + " vs " + b + ") in " + in);
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
        int t = q.dim(1);
        int s = v.dim(1);
        if (k.dim(1) != s || v.dim(0) != batch || k.dim(0) != batch || q.dim(2) != wq.dim(0)
                || v.dim(2) != wv.dim(0) || k.dim(2) != wk.dim(0)) {
            throw new IllegalArgumentException(describe() + " got inputs " + Shape.format(q.shape()) + ", "
                    + Shape.format(v.shape()) + ", " + Shape.format(k.shape()) + " that do not fit it");
        }
        Mask qMask = ctx.mask(0);
        Mask vMask = ctx.mask(1);
        Mask kMask = inputs.size() > 2 ? ctx.mask(2) : null;
        float[] qp = project(q, wq, bq);   // [batch, t, heads, keyDim]
        float[] kp = project(k, wk, bk);   // [batch, s, heads, keyDim]
        float[] vp = project(v, wv, bv);   // [batch, s, heads, valueDim]
        int out = wo.dim(2);
        float scale = (float) (1.0 / Math.sqrt(keyDim));
        boolean preScale = masked != MaskedScores.KERAS3; // the einsum paths scale the query first
        float[] ctxv = new float[heads * valueDim];
        float[] row = new float[s];
        boolean[] keep = new boolean[s];
        float[] y = new float[Math.multiplyExact(Math.multiplyExact(batch, t), out)];
        float[] wod = wo.data();
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < t; i++) {
                boolean qKeep = qMask == null || qMask.get(b, i);
                boolean anyMasked = false;
                for (int j = 0; j < s; j++) {
                    keep[j] = qKeep && (vMask == null || vMask.get(b, j)) && (kMask == null || kMask.get(b, j))
                            && (!causal || j <= i);
                    anyMasked |= !keep[j];
                }
                for (int h = 0; h < heads; h++) {
                    int qo = ((b * t + i) * heads + h) * keyDim;
                    for (int j = 0; j < s; j++) {
                        int ko = ((b * s + j) * heads + h) * keyDim;
                        double dot = 0;
                        for (int c = 0; c < keyDim; c++) {
                            float qc = preScale ? qp[qo + c] * scale : qp[qo + c];
                            dot += (double) qc * kp[ko + c];
                        }
                        row[j] = preScale ? (float) dot : (float) dot * scale;
                    }
                    softmax.apply(row, 0, s, anyMasked ? keep : null);
                    for (int e = 0; e < valueDim; e++) {
                        double sum = 0;
                        for (int j = 0; j < s; j++) {
                            sum += (double) row[j] * vp[((b * s + j) * heads + h) * valueDim + e];
                        }
                        ctxv[h * valueDim + e] = (float) sum;
                    }
                }
                int yo = (b * t + i) * out;
                for (int o = 0; o < out; o++) {
                    double sum = 0;
                    for (int he = 0; he < heads * valueDim; he++) {
                        sum += (double) ctxv[he] * wod[he * out + o];
                    }
                    y[yo + o] = bo == null ? (float) sum : (float) sum + bo.data()[o];
                }
            }
        }
        return List.of(Tensor.wrap(y, batch, t, out));
    }

    /** {@code x [batch, steps, d]} times {@code w [d, heads, dim]} (+ {@code bias [heads, dim]}). */
    private static float[] project(Tensor x, Tensor w, Tensor bias) {
        int rows = x.dim(0) * x.dim(1);
        int d = x.dim(2);
        int cols = w.dim(1) * w.dim(2);
        float[] xd = x.data();
        float[] wd = w.data();
        float[] out = new float[Math.multiplyExact(rows, cols)];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double sum = 0;
                for (int i = 0; i < d; i++) {
                    sum += (double) xd[r * d + i] * wd[i * cols + c];
                }
                out[r * cols + c] = bias == null ? (float) sum : (float) sum + bias.data()[c];
            }
        }
        return out;
    }

    /**
     * The weights in Keras's order: query kernel (and bias), key kernel (and bias), value kernel (and bias), output
     * kernel (and bias); named {@code query/kernel}, {@code query/bias}, ... after the EinsumDense sublayers.
     */
    @Override
    public List<Weight> weights() {
        List<Weight> w = new ArrayList<>(8);
        add(w, "query", wq, bq);
        add(w, "key", wk, bk);
        add(w, "value", wv, bv);
        add(w, "attention_output", wo, bo);
        return w;
    }

    private static void add(List<Weight> w, String sub, Tensor kernel, Tensor bias) {
        w.add(new Weight(sub + "/kernel", kernel));
        if (bias != null) {
            w.add(new Weight(sub + "/bias", bias));
        }
    }

    /** {@code layer 'name' (MultiHeadAttention)}, for messages. */
    String describe() {
        return "layer '" + name + "' (MultiHeadAttention)";
    }

    @Override
    public String toString() {
        return describe() + " heads " + heads + " key_dim " + keyDim + " value_dim " + valueDim
                + (causal ? " causal" : "");
    }
}
