package org.jkeras.runtime.training.optimizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.jkeras.runtime.tensor.Shape;

/**
 * The mutable side of an optimizer: Keras's {@code iterations} counter, the learning-rate
 * variable (when the rate is a constant) and the slots (momenta, velocities, ...) of every
 * trainable variable. Made by {@link Optimizer#newState} and only usable with that optimizer.
 * Not thread-safe: one training loop owns it.
 *
 * <p>{@link #exportVariables()} lists the variables exactly as Keras's
 * {@code optimizer.variables} (the order in which Keras writes them as
 * {@code optimizer/vars/0..n} in {@code model.weights.h5}): {@code iteration}, then
 * {@code learning_rate} unless the rate is a schedule, then the slots in the order the Keras
 * optimizer's {@code build} creates them. {@link #importVariables} reads such a list back, so
 * training can continue from state saved by Keras and vice versa.
 */
public final class OptimizerState {
    private final Optimizer owner;
    private final List<VariableSpec> variables;
    private final boolean[] decays;                // [vars]: weight decay applies
    private final boolean hasLearningRateVariable;
    private float learningRate;                    // Keras's learning_rate variable (constant rate only)
    private long iterations;
    private final List<String> groupNames = new ArrayList<>();
    private final List<float[][]> groups = new ArrayList<>();  // each [vars][size]: one slot kind
    private final List<Slot> order = new ArrayList<>();        // slots in Keras's variable order
    private float[] scalar;                                    // [1]: the optimizer's own scalar, if any

    /** One slot array with its Keras name. */
    private record Slot(String name, int[] shape, float[] data) {
    }

    OptimizerState(Optimizer owner, List<VariableSpec> variables, boolean[] decays, boolean hasLearningRateVariable,
                   float learningRate) {
        this.owner = owner;
        this.variables = List.copyOf(variables);
        this.decays = decays;
        this.hasLearningRateVariable = hasLearningRateVariable;
        this.learningRate = learningRate;
    }

    /**
     * Adds slot kinds created together, interleaved per variable as Keras's
     * {@code add_optimizer_variables(vars, [names...])} creates them (all of variable 0, then 1...).
     *
     * @return the new groups' indices, in the order of {@code names}
     */
    int[] addSlots(float initial, String... names) {
        int[] ids = new int[names.length];
        float[][][] made = new float[names.length][variables.size()][];
        for (int k = 0; k < names.length; k++) {
            ids[k] = groups.size() + k;
        }
        for (int v = 0; v < variables.size(); v++) {
            VariableSpec spec = variables.get(v);
            for (int k = 0; k < names.length; k++) {
                float[] data = new float[spec.size()];
                if (initial != 0f) {
                    Arrays.fill(data, initial);
                }
                made[k][v] = data;
                order.add(new Slot(spec.slotName(names[k]), spec.shape(), data));
            }
        }
        for (int k = 0; k < names.length; k++) {
            groupNames.add(names[k]);
            groups.add(made[k]);
        }
        return ids;
    }

    /** Adds one scalar variable (e.g. Nadam's {@code u_product}, which Keras names {@code variable}). */
    float[] addScalar(String name, float initial) {
        if (scalar != null) {
            throw new IllegalStateException("one scalar variable per optimizer");
        }
        float[] data = {initial};
        order.add(new Slot(name, new int[0], data));
        scalar = data;
        return data;
    }

    float[] scalar() {
        return scalar;
    }

    float[][] group(int id) {
        return groups.get(id);
    }

    Optimizer owner() {
        return owner;
    }

    boolean decays(int variable) {
        return decays[variable];
    }

    boolean hasLearningRateVariable() {
        return hasLearningRateVariable;
    }

    float learningRateVariable() {
        return learningRate;
    }

    void incrementIterations() {
        iterations++;
    }

    /**
     * Keras's {@code optimizer.iterations}: how many updates have been applied.
     *
     * @return the number of updates applied, from 0 (or the count restored by {@link #importVariables})
     */
    public long iterations() {
        return iterations;
    }

    /**
     * The variables this state holds slots for, in order.
     *
     * @return the variables in the order {@link Optimizer#apply} takes their values and gradients (unmodifiable)
     */
    public List<VariableSpec> variables() {
        return variables;
    }

    /**
     * The optimizer's Keras class name.
     *
     * @return the class name as Keras registers it, e.g. {@code "Adam"}
     */
    public String kind() {
        return owner.kind();
    }

    /**
     * Sets the learning-rate variable, as assigning {@code optimizer.learning_rate} does in Keras
     * (e.g. a callback lowering the rate).
     *
     * @param rate the new constant learning rate, used from the next update on
     * @throws IllegalStateException when the optimizer's rate is a schedule (Keras refuses too)
     */
    public void setLearningRate(float rate) {
        if (!hasLearningRateVariable) {
            throw new IllegalStateException("this " + kind() + " optimizer's learning rate is a schedule; it cannot be set");
        }
        learningRate = rate;
    }

    /**
     * The learning rate the next update uses: the variable's value, or the schedule's rate at this iteration.
     *
     * @return the learning rate for the next update, as float32
     */
    public float learningRate() {
        return hasLearningRateVariable ? learningRate : owner.learningRate(iterations);
    }

    /**
     * The names of the slot kinds, e.g. {@code [momentum, velocity]} for Adam.
     *
     * @return the slot kinds in the order Keras's {@code build} creates them (unmodifiable; empty for plain SGD)
     */
    public List<String> slotKinds() {
        return Collections.unmodifiableList(groupNames);
    }

    /**
     * The live slot {@code kind} of variable {@code variable} (not a copy: read it, do not change it).
     *
     * @param kind a slot kind from {@link #slotKinds()}, e.g. {@code "momentum"}
     * @param variable the variable's index in {@link #variables()}
     * @throws IllegalArgumentException when this optimizer has no such slot
     * @return the slot's live values, row-major, one per element of the variable
     */
    public float[] slot(String kind, int variable) {
        int id = groupNames.indexOf(kind);
        if (id < 0) {
            throw new IllegalArgumentException(kind() + " has no slot '" + kind + "'; it has " + groupNames);
        }
        return groups.get(id)[variable];
    }

    /**
     * Copies of every optimizer variable in the order and shapes of Keras's
     * {@code optimizer.variables}; the first is {@code iteration} (int64).
     *
     * @throws IllegalStateException when the iteration count exceeds 2^24 (not exact in a float)
     * @return a new list: {@code iteration}, then {@code learning_rate} (constant rate only), then the slots
     */
    public List<NamedArray> exportVariables() {
        if (iterations > (1L << 24)) {
            throw new IllegalStateException("iteration count " + iterations + " exceeds 2^24 and cannot be exported"
                    + " exactly in a float array");
        }
        List<NamedArray> out = new ArrayList<>(order.size() + 2);
        out.add(new NamedArray("iteration", new int[0], new float[] {iterations}, "int64"));
        if (hasLearningRateVariable) {
            out.add(new NamedArray("learning_rate", new int[0], new float[] {learningRate}));
        }
        for (Slot s : order) {
            out.add(new NamedArray(s.name, s.shape, s.data.clone()));
        }
        return out;
    }

    /**
     * Replaces every variable with {@code saved}, a list in Keras's order as {@link
     * #exportVariables()} makes it or as Keras writes {@code optimizer/vars/0..n}. Like Keras's
     * {@code load_own_variables}, variables are matched by position (names are not compared, they
     * depend on the model's name); count and shapes must agree.
     *
     * @param saved the variables in Keras's order, e.g. {@link #exportVariables()} of an earlier run
     * @throws IllegalArgumentException when the count, a shape or the iteration value does not fit;
     *                                  nothing is changed then
     */
    public void importVariables(List<NamedArray> saved) {
        int expected = order.size() + (hasLearningRateVariable ? 2 : 1);
        if (saved.size() != expected) {
            throw new IllegalArgumentException(kind() + " optimizer state for " + variables.size() + " variables has "
                    + expected + " variables " + expectedNames() + ", the saved state has " + saved.size());
        }
        int i = 0;
        NamedArray it = saved.get(i++);
        checkScalar(it, 0, "iteration");
        float count = it.data()[0];
        if (!(count >= 0) || count != Math.rint(count)) {
            throw new IllegalArgumentException("saved optimizer variable 0 (iteration) must be a non-negative integer, got "
                    + count);
        }
        float rate = learningRate;
        if (hasLearningRateVariable) {
            NamedArray lr = saved.get(i++);
            checkScalar(lr, 1, "learning_rate");
            rate = lr.data()[0];
        }
        for (int k = 0; k < order.size(); k++, i++) {
            Slot s = order.get(k);
            NamedArray a = saved.get(i);
            if (!Arrays.equals(a.shape(), s.shape)) {
                throw new IllegalArgumentException("saved optimizer variable " + i + " ('" + a.name() + "') has shape "
                        + Shape.format(a.shape()) + ", expected " + Shape.format(s.shape) + " for '" + s.name + "'");
            }
        }
        iterations = (long) count;
        learningRate = rate;
        i = hasLearningRateVariable ? 2 : 1;
        for (Slot s : order) {
            System.arraycopy(saved.get(i++).data(), 0, s.data, 0, s.data.length);
        }
    }

    private static void checkScalar(NamedArray a, int index, String what) {
        if (a.data().length != 1 || a.shape().length > 1) {
            throw new IllegalArgumentException("saved optimizer variable " + index + " ('" + a.name() + "') should be the"
                    + " scalar '" + what + "', got shape " + Shape.format(a.shape()));
        }
    }

    private List<String> expectedNames() {
        List<String> names = new ArrayList<>();
        names.add("iteration");
        if (hasLearningRateVariable) {
            names.add("learning_rate");
        }
        for (Slot s : order) {
            names.add(s.name);
        }
        return names;
    }
}
