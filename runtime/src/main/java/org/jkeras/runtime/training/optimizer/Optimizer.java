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

    /**
     * Takes the common hyper-parameters from a builder, validating them like Keras.
     *
     * @param b the builder holding the common hyper-parameters
     * @throws IllegalArgumentException if more than one clip is set, the constant learning rate is not finite, or a
     *                                  weight-decay exclusion is not a plain word
     */
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

    /**
     * The Keras class name, e.g. {@code "Adam"}.
     *
     * @return the class name as Keras's {@code get_config} registers it
     */
    public abstract String kind();

    /**
     * The optimizer's {@code name} field (Keras's default is the snake-cased class name, e.g. {@code adam}).
     *
     * @return the configured name
     */
    public final String name() {
        return name;
    }

    /**
     * The constant learning rate as configured, or null when the rate is a {@link #schedule()}.
     *
     * @return the rate as given (a float32 variable holds it rounded), or null
     */
    public final Double constantLearningRate() {
        return schedule == null ? learningRate : null;
    }

    /**
     * The learning-rate schedule, or null when the rate is constant.
     *
     * @return the schedule, or null
     */
    public final LearningRateSchedule schedule() {
        return schedule;
    }

    /**
     * The decoupled weight decay, or null for none.
     *
     * @return the decay factor per unit learning rate, or null
     */
    public final Double weightDecay() {
        return weightDecay;
    }

    /**
     * Per-variable gradient norm clip, or null.
     *
     * @return the L2 norm each gradient is clipped to, or null ({@code <= 0} also means none)
     */
    public final Double clipnorm() {
        return clipnorm;
    }

    /**
     * Elementwise gradient clip, or null.
     *
     * @return the bound of {@code [-clipvalue, clipvalue]} gradients are clipped to, or null
     */
    public final Double clipvalue() {
        return clipvalue;
    }

    /**
     * Clip on the norm of all gradients together, or null.
     *
     * @return the L2 norm all gradients together are clipped to, or null
     */
    public final Double globalClipnorm() {
        return globalClipnorm;
    }

    /**
     * Names whose variables get no weight decay (Keras's {@code exclude_from_weight_decay(var_names=...)}).
     *
     * @return the plain words, unmodifiable; empty for none
     */
    public final List<String> excludeFromWeightDecay() {
        return excludeFromWeightDecay;
    }

    /**
     * The learning rate Keras uses for the update at {@code iteration} (the count before the
     * update): the schedule's rate, or the constant rate as a float32 variable holds it.
     *
     * @param iteration the number of updates already applied, from 0
     * @return the learning rate for the next update, as float32
     */
    public final float learningRate(long iteration) {
        return schedule != null ? schedule.rate(iteration) : (float) learningRate;
    }

    /**
     * Fresh state for {@code variables} (slots zero or Keras's initial value, iteration 0).
     *
     * @param variables the variables to optimize, in the order {@link #apply} gets them
     * @throws IllegalArgumentException when two variables share a name
     * @return new state at iteration 0
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
     *
     * @param variables the variables to optimize, in the order {@link #apply} gets them
     * @param saved Keras's optimizer variables ({@code iteration}, {@code learning_rate}, slots), e.g. from a
     *              {@code .keras} file
     * @return state at the saved iteration with the saved slots
     * @throws IllegalArgumentException when two variables share a name or the saved variables do not fit them
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
     * @param s state made by this optimizer's {@link #newState} or {@link #restoreState}
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
     * @param s state made by this optimizer's {@link #newState} or {@link #restoreState}
     * @param values the variables, in the state's order, each of its spec's size; updated in place
     * @param grads their gradients, same sizes, or null entries to skip a variable; may be overwritten
     * @param sparse per variable, null for a dense gradient or the rows whose sum its gradient is (the dense
     *               array in {@code grads} is then overwritten with the clipped sum); or null for all dense
     * @throws IllegalArgumentException when the state belongs to another optimizer, a size differs,
     *                                  or every gradient is null
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

    /**
     * Creates this optimizer's slots in the order Keras's {@code build} does.
     *
     * @param s the fresh state to add the slots to
     */
    protected abstract void addSlots(OptimizerState s);

    /**
     * Work done once per apply before the per-variable updates (Nadam's {@code u_product}).
     *
     * @param s the state being updated; its iteration count is still the one before this update
     */
    protected void beforeUpdates(OptimizerState s) {
    }

    /**
     * Keras's {@code update_step} for variable {@code index}.
     *
     * @param s state made by this optimizer's {@link #newState} or {@link #restoreState}
     * @param index the variable's position in the state's order
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

        /**
         * A builder with the class's default name and learning rate.
         *
         * @param defaultName Keras's default {@code name}, e.g. {@code "adam"}
         * @param defaultLearningRate Keras's default {@code learning_rate} for the class, e.g. 0.001
         */
        protected Builder(String defaultName, double defaultLearningRate) {
            this.name = defaultName;
            this.learningRate = defaultLearningRate;
        }

        /**
         * This builder, typed.
         *
         * @return this builder as its concrete type
         */
        protected abstract B self();

        /**
         * The optimizer.
         *
         * @return a new immutable optimizer with these hyper-parameters
         * @throws IllegalArgumentException when hyper-parameters are out of range or conflict (e.g. two clips)
         */
        public abstract Optimizer build();

        /**
         * Keras's {@code name}.
         *
         * @param name the optimizer's name, as saved in its Keras config
         * @return this builder
         */
        public B name(String name) {
            this.name = name;
            return self();
        }

        /**
         * A constant learning rate (stored as a float32 variable, as Keras does).
         *
         * @param rate the learning rate; must be finite (checked by {@link #build()})
         * @return this builder
         */
        public B learningRate(double rate) {
            this.learningRate = rate;
            this.schedule = null;
            return self();
        }

        /**
         * A learning-rate schedule evaluated at every iteration.
         *
         * @param schedule the schedule, not null
         * @return this builder
         * @throws IllegalArgumentException if {@code schedule} is null
         */
        public B learningRate(LearningRateSchedule schedule) {
            if (schedule == null) {
                throw new IllegalArgumentException("learning-rate schedule must not be null");
            }
            this.schedule = schedule;
            return self();
        }

        /**
         * Decoupled weight decay, or null for none.
         *
         * @param weightDecay Keras's {@code weight_decay}: each update first does {@code v -= v * wd * lr}; null for
         *                    none
         * @return this builder
         */
        public B weightDecay(Double weightDecay) {
            this.weightDecay = weightDecay;
            return self();
        }

        /**
         * Clip each gradient to this L2 norm, or null ({@code <= 0} disables, as in Keras).
         *
         * @param clipnorm Keras's {@code clipnorm}
         * @return this builder
         */
        public B clipnorm(Double clipnorm) {
            this.clipnorm = clipnorm;
            return self();
        }

        /**
         * Clip gradients elementwise to [-v, v], or null ({@code <= 0} disables).
         *
         * @param clipvalue Keras's {@code clipvalue}, the bound v
         * @return this builder
         */
        public B clipvalue(Double clipvalue) {
            this.clipvalue = clipvalue;
            return self();
        }

        /**
         * Clip all gradients together to this global L2 norm, or null ({@code <= 0} disables).
         *
         * @param globalClipnorm Keras's {@code global_clipnorm}
         * @return this builder
         */
        public B globalClipnorm(Double globalClipnorm) {
            this.globalClipnorm = globalClipnorm;
            return self();
        }

        /**
         * Variables whose name (Keras's {@code variable.name}, the path's last segment) contains
         * one of these words get no weight decay, as Keras's
         * {@code exclude_from_weight_decay(var_names=...)}; only plain words are accepted.
         *
         * @param names words of letters, digits and {@code _} (checked by {@link #build()}); the list is copied
         * @return this builder
         */
        public B excludeFromWeightDecay(List<String> names) {
            this.excludeFromWeightDecay = List.copyOf(names);
            return self();
        }

        /**
         * Keras's {@code use_ema}; only false is supported.
         *
         * @param useEma must be false
         * @throws IllegalArgumentException when true
         * @return this builder
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
         * @param steps must be null
         * @throws IllegalArgumentException when not null
         * @return this builder
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
         * @param factor must be null
         * @throws IllegalArgumentException when not null
         * @return this builder
         */
        public B lossScaleFactor(Double factor) {
            if (factor != null) {
                throw new IllegalArgumentException("loss_scale_factor=" + factor + " is not supported");
            }
            return self();
        }
    }
}
