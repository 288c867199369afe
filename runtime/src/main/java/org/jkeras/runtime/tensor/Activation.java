package org.jkeras.runtime.tensor;


/**
 * Activation functions: every built-in activation of Keras 3 ({@code keras.activations}) except
 * {@code threshold}, which needs arguments no config can give it. Elementwise ones are computed in
 * double and rounded once to float, so they are at least as accurate as TensorFlow's float32 kernels;
 * {@link #SOFTMAX}, {@link #LOG_SOFTMAX}, {@link #SPARSEMAX} work along each row (the last axis), and
 * {@link #GLU} halves each row ({@link #outputColumns}).
 *
 * <p>Two hard sigmoids exist because Keras changed the definition: {@link #HARD_SIGMOID_LEGACY}
 * is Keras 1/2's {@code clip(0.2x + 0.5, 0, 1)}, {@link #HARD_SIGMOID} is Keras 3's
 * {@code relu6(x + 3) / 6}.
 */
public enum Activation {
    /** Identity. */
    LINEAR {
        @Override
        public float apply(float x) {
            return x;
        }
    },
    /** max(x, 0); NaN stays NaN, as in Keras (TensorFlow's relu propagates it). */
    RELU {
        @Override
        public float apply(float x) {
            return x > 0f || x != x ? x : 0f;
        }
    },
    /** min(max(x, 0), 6). */
    RELU6 {
        @Override
        public float apply(float x) {
            return Math.min(Math.max(x, 0f), 6f);
        }
    },
    /** max(x, 0.2x) (Keras 3's default negative slope). */
    LEAKY_RELU {
        @Override
        public float apply(float x) {
            return x >= 0f ? x : 0.2f * x;
        }
    },
    /** Hyperbolic tangent. */
    TANH {
        @Override
        public float apply(float x) {
            return (float) Math.tanh(x);
        }
    },
    /** 1 / (1 + exp(-x)). */
    SIGMOID {
        @Override
        public float apply(float x) {
            return (float) sigmoid(x);
        }
    },
    /** Keras 3: relu6(x + 3) / 6, computed in float as TensorFlow does. */
    HARD_SIGMOID {
        @Override
        public float apply(float x) {
            return Math.min(Math.max(x + 3f, 0f), 6f) / 6f;
        }
    },
    /** Keras 1/2: clip(0.2x + 0.5, 0, 1), computed in float as their backends do. */
    HARD_SIGMOID_LEGACY {
        @Override
        public float apply(float x) {
            return Math.min(Math.max(x * 0.2f + 0.5f, 0f), 1f);
        }
    },
    /** x * hard_sigmoid(x) (Keras 3's hard_silu / hard_swish). */
    HARD_SILU {
        @Override
        public float apply(float x) {
            return x * HARD_SIGMOID.apply(x);
        }
    },
    /** clip(x, -1, 1). */
    HARD_TANH {
        @Override
        public float apply(float x) {
            return Math.min(Math.max(x, -1f), 1f);
        }
    },
    /** x for x > 0, exp(x) - 1 otherwise. */
    ELU {
        @Override
        public float apply(float x) {
            return x > 0f ? x : (float) Math.expm1(x);
        }
    },
    /** Scaled ELU with Keras's constants. */
    SELU {
        @Override
        public float apply(float x) {
            double alpha = 1.6732632423543772848170429916717;
            double scale = 1.0507009873554804934193349852946;
            return (float) (x > 0f ? scale * x : scale * alpha * Math.expm1(x));
        }
    },
    /** max(x, 0) + min(0, exp(x) - 1) with alpha 1. */
    CELU {
        @Override
        public float apply(float x) {
            return x > 0f ? x : (float) Math.expm1(x);
        }
    },
    /** log(1 + exp(x)), stable for large |x|. */
    SOFTPLUS {
        @Override
        public float apply(float x) {
            return (float) softplus(x);
        }
    },
    /** x / (1 + |x|). */
    SOFTSIGN {
        @Override
        public float apply(float x) {
            return (float) (x / (1.0 + Math.abs(x)));
        }
    },
    /** exp(x). */
    EXPONENTIAL {
        @Override
        public float apply(float x) {
            return (float) Math.exp(x);
        }
    },
    /** x * sigmoid(x) (swish). */
    SILU {
        @Override
        public float apply(float x) {
            return (float) (x * sigmoid(x));
        }
    },
    /** Exact GELU: x/2 * (1 + erf(x / sqrt 2)). */
    GELU {
        @Override
        public float apply(float x) {
            return (float) (0.5 * x * (1.0 + Erf.erf(x / Math.sqrt(2.0))));
        }
    },
    /** GELU's tanh approximation. */
    GELU_TANH {
        @Override
        public float apply(float x) {
            double c = Math.sqrt(2.0 / Math.PI);
            return (float) (0.5 * x * (1.0 + Math.tanh(c * (x + 0.044715 * x * x * x))));
        }
    },
    /** x * tanh(softplus(x)). */
    MISH {
        @Override
        public float apply(float x) {
            return (float) (x * Math.tanh(softplus(x)));
        }
    },
    /** log(sigmoid(x)) = -softplus(-x). */
    LOG_SIGMOID {
        @Override
        public float apply(float x) {
            return (float) -softplus(-x);
        }
    },
    /** x - tanh(x). */
    TANH_SHRINK {
        @Override
        public float apply(float x) {
            return (float) (x - Math.tanh(x));
        }
    },
    /** (x + sqrt(x^2 + 4)) / 2 (Keras 3's squareplus with b = 4). */
    SQUAREPLUS {
        @Override
        public float apply(float x) {
            return (float) ((x + Math.sqrt((double) x * x + 4.0)) / 2.0);
        }
    },
    /** 0 for x {@code <= -1}, x for x {@code >= 1}, (x + 1)^2 / 4 between. */
    SPARSE_PLUS {
        @Override
        public float apply(float x) {
            if (x <= -1f) {
                return 0f;
            }
            if (x >= 1f) {
                return x;
            }
            return (float) ((x + 1.0) * (x + 1.0) / 4.0);
        }
    },
    /** x for |x| {@code >} 0.5, else 0 (Keras 3's hard_shrink, threshold 0.5). */
    HARD_SHRINK {
        @Override
        public float apply(float x) {
            return Math.abs(x) > 0.5f ? x : 0f;
        }
    },
    /** x - 0.5 above 0.5, x + 0.5 below -0.5, else 0 (Keras 3's soft_shrink, threshold 0.5). */
    SOFT_SHRINK {
        @Override
        public float apply(float x) {
            return x > 0.5f ? x - 0.5f : x < -0.5f ? x + 0.5f : 0f;
        }
    },
    /** 0 for x {@code <= -1}, 1 for x {@code >= 1}, (x + 1) / 2 between (Keras 3's sparse_sigmoid). */
    SPARSE_SIGMOID {
        @Override
        public float apply(float x) {
            return x <= -1f ? 0f : x >= 1f ? 1f : 0.5f * (x + 1f);
        }
    },
    /** exp(x - max) / sum(exp(x - max)) along each row. */
    SOFTMAX {
        @Override
        public float apply(float x) {
            throw new UnsupportedOperationException("softmax works on rows, not single values");
        }

        @Override
        public void applyRows(float[] x, int offset, int rows, int cols) {
            softmaxRows(x, offset, rows, cols, false);
        }
    },
    /** x - max - log(sum(exp(x - max))) along each row. */
    LOG_SOFTMAX {
        @Override
        public float apply(float x) {
            throw new UnsupportedOperationException("log_softmax works on rows, not single values");
        }

        @Override
        public void applyRows(float[] x, int offset, int rows, int cols) {
            softmaxRows(x, offset, rows, cols, true);
        }
    },
    /**
     * Keras 3's sparsemax as its TensorFlow backend computes it: with z the row sorted descending, c its
     * cumulative sums and the support {@code j} where {@code z_j - (c_j - 1) / j > 0} ({@code k} entries),
     * {@code tau = (sum of c_j over the support - 1) / k} and the output {@code max(x - tau, 0)}. (Textbook
     * sparsemax takes {@code c_k} where the backend sums the support's {@code c_j}; the outputs then need not sum
     * to 1. jkeras follows what Keras computes.)
     */
    SPARSEMAX {
        @Override
        public float apply(float x) {
            throw new UnsupportedOperationException("sparsemax works on rows, not single values");
        }

        @Override
        public void applyRows(float[] x, int offset, int rows, int cols) {
            float[] sorted = new float[cols];
            for (int r = 0; r < rows; r++) {
                int base = offset + r * cols;
                float tau = sparsemaxTau(x, base, cols, sorted, null);
                for (int j = 0; j < cols; j++) {
                    x[base + j] = Math.max(x[base + j] - tau, 0f);
                }
            }
        }
    },
    /**
     * Gated linear unit along each row: the row's first half {@code a} times the sigmoid of its second half
     * {@code b}; the output row is half as wide ({@link #outputColumns}), so it cannot work in place.
     */
    GLU {
        @Override
        public float apply(float x) {
            throw new UnsupportedOperationException("glu works on rows, not single values");
        }

        @Override
        public void applyRows(float[] x, int offset, int rows, int cols) {
            throw new UnsupportedOperationException("glu halves its rows: use glu(in, out, rows, cols)");
        }
    };

    /**
     * The function at one value; not defined for the row-wise {@link #SOFTMAX} and {@link #LOG_SOFTMAX}.
     *
     * @param x the input
     * @return f(x)
     */
    public abstract float apply(float x);

    /**
     * True when each output depends only on the matching input.
     *
     * @return false for the row-wise softmax functions
     */
    public boolean isElementwise() {
        return this != SOFTMAX && this != LOG_SOFTMAX && this != SPARSEMAX && this != GLU;
    }

    /**
     * The width of an output row for input rows of {@code cols} values: half for {@link #GLU}, else the same.
     *
     * @param cols the width of an input row
     * @return the width of an output row
     * @throws IllegalArgumentException when GLU gets an odd width (Keras refuses it too)
     */
    public int outputColumns(int cols) {
        if (this != GLU) {
            return cols;
        }
        if (cols % 2 != 0) {
            throw new IllegalArgumentException("glu needs an even last dimension, got " + cols);
        }
        return cols / 2;
    }

    /**
     * {@link #GLU} of {@code rows} rows of {@code cols} values:
     * {@code out[r, j] = x[r, j] * sigmoid(x[r, j + cols/2])}, {@code out} being {@code rows × cols/2}.
     *
     * @param x    the input, {@code rows × cols} row-major
     * @param out  receives the output, {@code rows × cols/2}
     * @param rows the number of rows
     * @param cols the width of an input row (even)
     */
    public static void glu(float[] x, float[] out, int rows, int cols) {
        int half = GLU.outputColumns(cols);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < half; j++) {
                out[r * half + j] = (float) (x[r * cols + j] * sigmoid(x[r * cols + half + j]));
            }
        }
    }

    /**
     * The gradient of {@link #glu}: given {@code dy} ({@code rows × cols/2}), writes {@code dx} ({@code rows × cols}).
     *
     * @param x    the input {@link #glu} was given
     * @param dy   the gradient with respect to its output
     * @param dx   receives the gradient with respect to {@code x} (overwritten)
     * @param rows the number of rows
     * @param cols the width of an input row (even)
     */
    public static void gluBackward(float[] x, float[] dy, float[] dx, int rows, int cols) {
        int half = GLU.outputColumns(cols);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < half; j++) {
                double a = x[r * cols + j];
                double s = sigmoid(x[r * cols + half + j]);
                double g = dy[r * half + j];
                dx[r * cols + j] = (float) (g * s);
                dx[r * cols + half + j] = (float) (g * a * s * (1 - s));
            }
        }
    }

    /**
     * Applies the function in place to {@code rows} rows of {@code cols} values starting at
     * {@code offset}; row-wise functions normalise each row.
     *
     * @param x the values, changed in place
     * @param offset the first value
     * @param rows the number of rows
     * @param cols the values per row
     */
    public void applyRows(float[] x, int offset, int rows, int cols) {
        int end = offset + rows * cols;
        for (int i = offset; i < end; i++) {
            x[i] = apply(x[i]);
        }
    }

    /**
     * The derivative f'(x) of an elementwise function, given the input {@code x} and the output
     * {@code y = f(x)} (either may be the cheaper source). At kinks it takes TensorFlow's one-sided
     * choice (e.g. relu'(0) = 0), so gradients match Keras's exactly there too.
     *
     * @throws UnsupportedOperationException for the row-wise {@link #SOFTMAX} and {@link #LOG_SOFTMAX}:
     *                                       use {@link #backwardRows}
     * @param x the input
     * @param y the output f(x)
     * @return f'(x)
     */
    public float derivative(float x, float y) {
        return (float) switch (this) {
            case LINEAR -> 1.0;
            case RELU -> x > 0f ? 1.0 : 0.0;
            case RELU6 -> x > 0f && x < 6f ? 1.0 : 0.0;
            case LEAKY_RELU -> x > 0f ? 1.0 : 0.2;
            case TANH -> 1.0 - (double) y * y;
            case SIGMOID -> (double) y * (1.0 - y);
            case HARD_SIGMOID -> x + 3f > 0f && x + 3f < 6f ? 1.0 / 6.0 : 0.0;
            case HARD_SIGMOID_LEGACY -> x * 0.2f + 0.5f > 0f && x * 0.2f + 0.5f < 1f ? 0.2 : 0.0;
            case HARD_SILU -> HARD_SIGMOID.apply(x) + x * (double) HARD_SIGMOID.derivative(x, 0f);
            case HARD_TANH -> x > -1f && x < 1f ? 1.0 : 0.0;
            case ELU, CELU -> x > 0f ? 1.0 : Math.exp(x);
            case SELU -> x > 0f ? 1.0507009873554804934193349852946
                    : 1.0507009873554804934193349852946 * 1.6732632423543772848170429916717 * Math.exp(x);
            case SOFTPLUS -> sigmoid(x);
            case SOFTSIGN -> 1.0 / ((1.0 + Math.abs(x)) * (1.0 + Math.abs(x)));
            case EXPONENTIAL -> Math.exp(x);
            case SILU -> {
                double s = sigmoid(x);
                yield s * (1.0 + x * (1.0 - s));
            }
            case GELU -> 0.5 * (1.0 + Erf.erf(x / Math.sqrt(2.0))) + x * Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
            case GELU_TANH -> {
                double c = Math.sqrt(2.0 / Math.PI);
                double u = c * (x + 0.044715 * x * x * x);
                double t = Math.tanh(u);
                yield 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * c * (1.0 + 3 * 0.044715 * x * x);
            }
            case MISH -> {
                double t = Math.tanh(softplus(x));
                yield t + x * (1.0 - t * t) * sigmoid(x);
            }
            case LOG_SIGMOID -> sigmoid(-x);
            case TANH_SHRINK -> Math.tanh(x) * Math.tanh(x);
            case SQUAREPLUS -> (1.0 + x / Math.sqrt((double) x * x + 4.0)) / 2.0;
            case SPARSE_PLUS -> x <= -1f ? 0.0 : x >= 1f ? 1.0 : (x + 1.0) / 2.0;
            case HARD_SHRINK, SOFT_SHRINK -> Math.abs(x) > 0.5f ? 1.0 : 0.0;
            case SPARSE_SIGMOID -> x > -1f && x < 1f ? 0.5 : 0.0;
            case SOFTMAX, LOG_SOFTMAX, SPARSEMAX, GLU -> throw new UnsupportedOperationException(
                    name().toLowerCase(java.util.Locale.ROOT) + " works on rows: use backwardRows");
        };
    }

    /**
     * Backpropagates through the function applied to rows: given the outputs {@code y} and the
     * gradient {@code dy} with respect to them (both {@code rows × cols} from their offsets), writes the
     * gradient with respect to the inputs into {@code dx}. {@code pre} holds the inputs; it is read
     * only by elementwise functions and sparsemax, and may be {@code dx} itself (elementwise) or null
     * (softmax, log_softmax). Not for {@link #GLU}, whose rows change width: see {@link #gluBackward}.
     *
     * @param pre the inputs, or null for softmax and log_softmax
     * @param y the outputs
     * @param dy the gradient with respect to the outputs
     * @param dx where the gradient with respect to the inputs goes
     * @param offset the first value in each array
     * @param rows the number of rows
     * @param cols the values per row
     */
    public void backwardRows(float[] pre, float[] y, float[] dy, float[] dx, int offset, int rows, int cols) {
        int end = offset + rows * cols;
        if (isElementwise()) {
            for (int i = offset; i < end; i++) {
                dx[i] = dy[i] * derivative(pre[i], y[i]);
            }
            return;
        }
        if (this == GLU) {
            throw new UnsupportedOperationException("glu halves its rows: use gluBackward");
        }
        if (this == SPARSEMAX) {
            sparsemaxBackward(pre, y, dy, dx, offset, rows, cols);
            return;
        }
        for (int r = 0; r < rows; r++) {
            int base = offset + r * cols;
            double dot = 0;
            for (int j = 0; j < cols; j++) { // softmax: sum dy*y; log_softmax: sum dy
                dot += this == SOFTMAX ? (double) dy[base + j] * y[base + j] : dy[base + j];
            }
            for (int j = 0; j < cols; j++) {
                dx[base + j] = (float) (this == SOFTMAX
                        ? y[base + j] * (dy[base + j] - dot)
                        : dy[base + j] - Math.exp(y[base + j]) * dot);
            }
        }
    }

    /**
     * The threshold tau of one sparsemax row at {@code base}, in float32 operations in the backend's order;
     * {@code sorted} is scratch of {@code cols} floats. When {@code rank} is given, it receives each value's
     * 1-based position in the descending order, and the return value's support size goes to {@code rank[cols]}.
     */
    private static float sparsemaxTau(float[] x, int base, int cols, float[] sorted, int[] rank) {
        System.arraycopy(x, base, sorted, 0, cols);
        java.util.Arrays.sort(sorted);
        for (int i = 0, j = cols - 1; i < j; i++, j--) { // descending
            float t = sorted[i];
            sorted[i] = sorted[j];
            sorted[j] = t;
        }
        float cumsum = 0f;
        float supportSum = 0f;
        int k = 0;
        for (int j = 0; j < cols; j++) {
            cumsum += sorted[j];
            if (sorted[j] - (cumsum - 1f) / (j + 1) > 0f) {
                supportSum += cumsum;
                k++;
            }
        }
        if (rank != null) {
            boolean[] taken = new boolean[cols];
            for (int i = 0; i < cols; i++) { // ties share the first free position, as a stable sort would
                for (int j = 0; j < cols; j++) {
                    if (!taken[j] && sorted[j] == x[base + i]) {
                        taken[j] = true;
                        rank[i] = j + 1;
                        break;
                    }
                }
            }
            rank[cols] = k;
        }
        return (supportSum - 1f) / k;
    }

    /**
     * TensorFlow's gradient of {@link #SPARSEMAX}: {@code y_i = max(x_i - tau, 0)} and tau depends on each x
     * through the cumulative sums of the support, {@code dtau/dx_m = (k - rank_m + 1) / k} for a value ranked
     * within the support, else 0.
     */
    private static void sparsemaxBackward(float[] x, float[] y, float[] dy, float[] dx, int offset, int rows,
                                          int cols) {
        float[] sorted = new float[cols];
        int[] rank = new int[cols + 1];
        for (int r = 0; r < rows; r++) {
            int base = offset + r * cols;
            sparsemaxTau(x, base, cols, sorted, rank);
            int k = rank[cols];
            double active = 0;
            for (int j = 0; j < cols; j++) {
                if (y[base + j] > 0f) {
                    active += dy[base + j];
                }
            }
            for (int j = 0; j < cols; j++) {
                double dtau = rank[j] <= k ? (double) (k - rank[j] + 1) / k : 0.0;
                dx[base + j] = (float) ((y[base + j] > 0f ? dy[base + j] : 0.0) - dtau * active);
            }
        }
    }

    private static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    private static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }

    private static void softmaxRows(float[] x, int offset, int rows, int cols, boolean log) {
        for (int r = 0; r < rows; r++) {
            int base = offset + r * cols;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                max = Math.max(max, x[base + j]);
            }
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                sum += Math.exp((double) x[base + j] - max);
            }
            for (int j = 0; j < cols; j++) {
                double shifted = (double) x[base + j] - max;
                x[base + j] = (float) (log ? shifted - Math.log(sum) : Math.exp(shifted) / sum);
            }
        }
    }
}
