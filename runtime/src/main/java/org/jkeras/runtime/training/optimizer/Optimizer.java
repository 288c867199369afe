package org.jkeras.runtime.training.optimizer;

import java.util.List;
import java.util.regex.Pattern;
import org.jkeras.runtime.training.schedule.LearningRateSchedule;

/**
 * A Keras 3 optimizer's immutable hyper-parameters and its update rule. {@link #apply} is one
 * Keras {@code optimizer.apply_gradients} call with the TensorFlow backend:
 *
 * <ol>
 *   <li>variables whose gradient is {@code null} are skipped entirely (Keras filters them);</li>
 *   <li>gradients are clipped ({@code clipnorm} per variable with {@code tf.clip_by_norm},
 *       {@code global_clipnorm} over all of them, or {@code clipvalue} elementwise);</li>
 *   <li>weight decay, when set, shrinks each variable: {@code v -= v * wd * lr} (decoupled, before
 *       the update, for every optimizer, not just AdamW);</li>
 *   <li>the optimizer's update rule runs for each variable with the learning rate at the current
 *       iteration;</li>
 *   <li>{@code iterations} increases by one.</li>
 * </ol>
 *
 * <p>Arithmetic is float32 in Keras's operation order, so results match Keras to the last bit
 * except where TensorFlow's reductions round differently (clipping norms) or its {@code pow}
 * differs by an ulp. Immutable and thread-safe; the mutable part is {@link OptimizerState}.
 */
public abstract class Optimizer {
    /** Weight-decay exclusion names must be plain words: Keras joins them into a regular expression. */
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9_]+");

    private final String name;
    private final double learningRate;            // NaN when schedule != null
    private final LearningRateSchedule schedule;  // or null
    private final Double weightDecay;
    private final Double clipnorm;
    private final Double clipvalue;
    private final Double globalClipnorm;
    private final List<String> excludeFromWeightDecay;

    /** Takes the common hyper-parameters from a builder, validating them like Keras. */
    protected Optimizer(Builder<?> b) {
        int clips = (b.clipnorm != null ? 1 : 0) + (b.clipvalue != null ? 1 : 0) + (b.globalClipnorm != null ? 1 : 0);
        if (clips > 1) {
            throw new IllegalArgumentException("Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set."
                    + " Received: clipnorm=" + b.clipnorm + ", clipvalue=" + b.clipvalue + ", global_clipnorm="
                    + b.globalClipnorm);
        }
        if (b.schedule == null && !Double.isFinite(b.learningRate)) {
            throw new IllegalArgumentException("learning_rate must be a finite number, got " + b.learningRate);
        }
        for (String s : b.excludeFromWeightDecay) {
            if (!PLAIN_NAME.matcher(s).matches()) {
                throw new IllegalArgumentException("exclude_from_weight_decay name '" + s + "' is not supported: only"
                        + " names of letters, digits and '_' are matched (Keras treats them as regular expressions)");
            }
        }
        this.name = b.name;
        this.learningRate = b.schedule == null ? b.learningRate : Double.NaN;
        this.schedule = b.schedule;
        this.weightDecay = b.weightDecay;
        this.clipnorm = b.clipnorm;
        this.clipvalue = b.clipvalue;
        this.globalClipnorm = b.globalClipnorm;
        this.excludeFromWeightDecay = List.copyOf(b.excludeFromWeightDecay);
    }

    /** The Keras class name, e.g. {@code "Adam"}. */
    public abstract String kind();

    /** The optimizer's {@code name} field (Keras's default is the snake-cased class name, e.g. {@code adam}). */
    public final String name() {
        return name;
    }

    /** The constant learning rate as configured, or null when the rate is a {@link #schedule()}. */
    public final Double constantLearningRate() {
        return schedule == null ? learningRate : null;
    }

    /** The learning-rate schedule, or null when the rate is constant. */
    public final LearningRateSchedule schedule() {
        return schedule;
    }

    /** The decoupled weight decay, or null for none. */
    public final Double weightDecay() {
        return weightDecay;
    }

    /** Per-variable gradient norm clip, or null. */
    public final Double clipnorm() {
        return clipnorm;
    }

    /** Elementwise gradient clip, or null. */
    public final Double clipvalue() {
        return clipvalue;
    }

    /** Clip on the norm of all gradients together, or null. */
    public final Double globalClipnorm() {
        return globalClipnorm;
    }

    /** Names whose variables get no weight decay (Keras's {@code exclude_from_weight_decay(var_names=...)}). */
    public final List<String> excludeFromWeightDecay() {
        return excludeFromWeightDecay;
    }

    /**
     * The learning rate Keras uses for the update at {@code iteration} (the count before the
     * update): the schedule's rate, or the constant rate as a float32 variable holds it.
     */
    public final float learningRate(long iteration) {
        return schedule != null ? schedule.rate(iteration) : (float) learningRate;
    }

    /**
     * Fresh state for {@code variables} (slots zero or Keras's initial value, iteration 0).
     *
     * @throws IllegalArgumentException when two variables share a name
     */
    public final OptimizerState newState(List<VariableSpec> variables) {
        boolean[] decays = new boolean[variables.size()];
        for (int i = 0; i < decays.length; i++) {
            VariableSpec v = variables.get(i);
            for (int j = 0; j < i; j++) {
                if (variables.get(j).name().equals(v.name())) {
                    throw new IllegalArgumentException("variable '" + v.name() + "' is listed twice (positions " + j
                            + " and " + i + ")");
                }
            }
            decays[i] = weightDecay != null && !excluded(v);
        }
        OptimizerState s = new OptimizerState(this, variables, decays, schedule == null, (float) learningRate);
        addSlots(s);
        return s;
    }

    /**
     * State for {@code variables} continued from Keras's saved optimizer variables (see {@link
     * OptimizerState#importVariables}).
     */
    public final OptimizerState restoreState(List<VariableSpec> variables, List<NamedArray> saved) {
        OptimizerState s = newState(variables);
        s.importVariables(saved);
        return s;
    }

    /**
     * One Keras {@code apply_gradients}: clipping, weight decay, the update rule and
     * {@code iterations + 1}, with the learning rate at the current iteration. {@code values} are
     * updated in place; {@code grads} may be overwritten (clipping works in place). A null
     * gradient leaves its variable untouched, as in Keras. Allocates nothing.
     *
     * @param values the variables, in the state's order, each of its spec's size
     * @param grads  their gradients, same sizes, or null entries
     * @throws IllegalArgumentException when the state belongs to another optimizer, a size differs,
     *                                  or every gradient is null
     */
    public final void apply(OptimizerState s, List<float[]> values, List<float[]> grads) {
        apply(s, values, grads, null);
    }

    /**
     * {@link #apply(OptimizerState, List, List)} where some gradients are row-sparse, as an Embedding table's
     * is in Keras ({@link SparseRows}): clipping acts on their rows, and the update rules see their dense sum as
     * the gradient and the sum of the rows' squares wherever Keras squares the gradient.
     *
     * @param sparse per variable, null for a dense gradient or the rows whose sum its gradient is (the dense
     *               array in {@code grads} is then overwritten with the clipped sum); or null for all dense
     */
    public final void apply(OptimizerState s, List<float[]> values, List<float[]> grads, List<SparseRows> sparse) {
        check(s, values, grads);
        float lr = s.hasLearningRateVariable() ? s.learningRateVariable() : schedule.rate(s.iterations());
        float[][] squares = null;
        if (sparse != null) {
            if (sparse.size() != grads.size()) {
                throw new IllegalArgumentException(kind() + ": " + sparse.size() + " sparse entries for " + grads.size()
                        + " gradients");
            }
            clipSparse(grads, sparse);
            squares = new float[grads.size()][];
            for (int i = 0; i < grads.size(); i++) {
                if (sparse.get(i) != null && grads.get(i) != null) {
                    squares[i] = new float[grads.get(i).length];
                    sparse.get(i).densify(grads.get(i), squares[i]);
                }
            }
        } else {
            clip(grads);
        }
        if (weightDecay != null) {
            float wd = (float) (double) weightDecay;
            for (int i = 0; i < values.size(); i++) {
                if (grads.get(i) != null && s.decays(i)) {
                    float[] v = values.get(i);
                    for (int k = 0; k < v.length; k++) {
                        v[k] = v[k] - v[k] * wd * lr;
                    }
                }
            }
        }
        beforeUpdates(s);
        for (int i = 0; i < values.size(); i++) {
            float[] g = grads.get(i);
            if (g != null) {
                update(s, i, values.get(i), g, squares == null ? null : squares[i], lr);
            }
        }
        s.incrementIterations();
    }

    /** Clipping with some gradients as rows: their rows are what the norms measure and what clipvalue clips. */
    private void clipSparse(List<float[]> grads, List<SparseRows> sparse) {
        if (clipnorm != null && clipnorm > 0) {
            float c = (float) (double) clipnorm;
            for (int i = 0; i < grads.size(); i++) {
                if (grads.get(i) != null) {
                    GradientClipping.clipByNorm(sparse.get(i) != null ? sparse.get(i).values() : grads.get(i), c);
                }
            }
        } else if (globalClipnorm != null && globalClipnorm > 0) {
            List<float[]> parts = new java.util.ArrayList<>(grads.size());
            for (int i = 0; i < grads.size(); i++) {
                parts.add(grads.get(i) == null ? null : sparse.get(i) != null ? sparse.get(i).values() : grads.get(i));
            }
            GradientClipping.clipByGlobalNorm(parts, globalClipnorm);
        } else if (clipvalue != null && clipvalue > 0) {
            float c = (float) (double) clipvalue;
            for (int i = 0; i < grads.size(); i++) {
                if (grads.get(i) != null) {
                    GradientClipping.clipByValue(sparse.get(i) != null ? sparse.get(i).values() : grads.get(i), c);
                }
            }
        }
    }

    /** Creates this optimizer's slots in the order Keras's {@code build} does. */
    protected abstract void addSlots(OptimizerState s);

    /** Work done once per apply before the per-variable updates (Nadam's {@code u_product}). */
    protected void beforeUpdates(OptimizerState s) {
    }

    /**
     * Keras's {@code update_step} for variable {@code index}.
     *
     * @param value the variable, updated in place
     * @param grad    its (clipped) gradient
     * @param squares where Keras squares the gradient, these values instead ({@code Σ g_k²} of a row-sparse
     *                gradient); null to square {@code grad}
     * @param lr      the learning rate, as float32
     */
    protected abstract void update(OptimizerState s, int index, float[] value, float[] grad, float[] squares,
                                   float lr);

    private boolean excluded(VariableSpec v) {
        String shortName = v.shortName();
        for (String word : excludeFromWeightDecay) {
            if (shortName.contains(word)) {
                return true;
            }
        }
        return false;
    }

    private void check(OptimizerState s, List<float[]> values, List<float[]> grads) {
        if (s.owner() != this) {
            throw new IllegalArgumentException("this optimizer state was made by another " + s.kind() + " optimizer; use"
                    + " the optimizer whose newState made it");
        }
        List<VariableSpec> specs = s.variables();
        if (values.size() != specs.size() || grads.size() != specs.size()) {
            throw new IllegalArgumentException(kind() + ": got " + values.size() + " variables and " + grads.size()
                    + " gradients, the state was made for " + specs.size());
        }
        boolean any = false;
        for (int i = 0; i < specs.size(); i++) {
            int size = specs.get(i).size();
            float[] v = values.get(i);
            float[] g = grads.get(i);
            if (v == null || v.length != size) {
                throw new IllegalArgumentException(kind() + ": variable " + i + " ('" + specs.get(i).name() + "') has "
                        + (v == null ? "no array" : v.length + " values") + ", expected " + size);
            }
            if (g != null) {
                any = true;
                if (g.length != size) {
                    throw new IllegalArgumentException(kind() + ": gradient " + i + " ('" + specs.get(i).name()
                            + "') has " + g.length + " values, expected " + size);
                }
            }
        }
        if (!any) {
            throw new IllegalArgumentException("No gradients provided for any variable.");
        }
    }

    private void clip(List<float[]> grads) {
        if (clipnorm != null && clipnorm > 0) {
            float c = (float) (double) clipnorm;
            for (int i = 0; i < grads.size(); i++) { // indexed: an iterator would allocate per update
                if (grads.get(i) != null) {
                    GradientClipping.clipByNorm(grads.get(i), c);
                }
            }
        } else if (globalClipnorm != null && globalClipnorm > 0) {
            GradientClipping.clipByGlobalNorm(grads, globalClipnorm);
        } else if (clipvalue != null && clipvalue > 0) {
            float c = (float) (double) clipvalue;
            for (int i = 0; i < grads.size(); i++) {
                if (grads.get(i) != null) {
                    GradientClipping.clipByValue(grads.get(i), c);
                }
            }
        }
    }

    /**
     * The hyper-parameters every Keras optimizer has, with Keras's defaults; options jkeras does
     * not implement are refused when set to anything but their default.
     *
     * @param <B> the concrete builder
     */
    public abstract static class Builder<B extends Builder<B>> {
        private String name;
        private double learningRate;
        private LearningRateSchedule schedule;
        private Double weightDecay;
        private Double clipnorm;
        private Double clipvalue;
        private Double globalClipnorm;
        private List<String> excludeFromWeightDecay = List.of();

        /** A builder with the class's default name and learning rate. */
        protected Builder(String defaultName, double defaultLearningRate) {
            this.name = defaultName;
            this.learningRate = defaultLearningRate;
        }

        /** This builder, typed. */
        protected abstract B self();

        /** The optimizer. */
        public abstract Optimizer build();

        /** Keras's {@code name}. */
        public B name(String name) {
            this.name = name;
            return self();
        }

        /** A constant learning rate (stored as a float32 variable, as Keras does). */
        public B learningRate(double rate) {
            this.learningRate = rate;
            this.schedule = null;
            return self();
        }

        /** A learning-rate schedule evaluated at every iteration. */
        public B learningRate(LearningRateSchedule schedule) {
            if (schedule == null) {
                throw new IllegalArgumentException("learning-rate schedule must not be null");
            }
            this.schedule = schedule;
            return self();
        }

        /** Decoupled weight decay, or null for none. */
        public B weightDecay(Double weightDecay) {
            this.weightDecay = weightDecay;
            return self();
        }

        /** Clip each gradient to this L2 norm, or null ({@code <= 0} disables, as in Keras). */
        public B clipnorm(Double clipnorm) {
            this.clipnorm = clipnorm;
            return self();
        }

        /** Clip gradients elementwise to [-v, v], or null ({@code <= 0} disables). */
        public B clipvalue(Double clipvalue) {
            this.clipvalue = clipvalue;
            return self();
        }

        /** Clip all gradients together to this global L2 norm, or null ({@code <= 0} disables). */
        public B globalClipnorm(Double globalClipnorm) {
            this.globalClipnorm = globalClipnorm;
            return self();
        }

        /**
         * Variables whose name (Keras's {@code variable.name}, the path's last segment) contains
         * one of these words get no weight decay, as Keras's
         * {@code exclude_from_weight_decay(var_names=...)}; only plain words are accepted.
         */
        public B excludeFromWeightDecay(List<String> names) {
            this.excludeFromWeightDecay = List.copyOf(names);
            return self();
        }

        /**
         * Keras's {@code use_ema}; only false is supported.
         *
         * @throws IllegalArgumentException when true
         */
        public B useEma(boolean useEma) {
            if (useEma) {
                throw new IllegalArgumentException("use_ema=True is not supported (exponential moving average of weights)");
            }
            return self();
        }

        /**
         * Keras's {@code gradient_accumulation_steps}; only null is supported.
         *
         * @throws IllegalArgumentException when not null
         */
        public B gradientAccumulationSteps(Integer steps) {
            if (steps != null) {
                throw new IllegalArgumentException("gradient_accumulation_steps=" + steps + " is not supported");
            }
            return self();
        }

        /**
         * Keras's {@code loss_scale_factor}; only null is supported.
         *
         * @throws IllegalArgumentException when not null
         */
        public B lossScaleFactor(Double factor) {
            if (factor != null) {
                throw new IllegalArgumentException("loss_scale_factor=" + factor + " is not supported");
            }
            return self();
        }
    }
}
