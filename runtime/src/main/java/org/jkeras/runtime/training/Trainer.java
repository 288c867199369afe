package org.jkeras.runtime.training;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.graph.Node;
import org.jkeras.runtime.tensor.Activation;
import org.jkeras.runtime.layers.Layer;
import org.jkeras.runtime.layers.RecurrentLayer;
import org.jkeras.runtime.layers.TrainContext;
import org.jkeras.runtime.training.loss.Loss;
import org.jkeras.runtime.training.optimizer.NamedArray;
import org.jkeras.runtime.training.optimizer.Optimizer;
import org.jkeras.runtime.training.optimizer.OptimizerState;
import org.jkeras.runtime.training.optimizer.SparseRows;
import org.jkeras.runtime.training.optimizer.VariableSpec;
import org.jkeras.runtime.training.regularizer.Regularizer;

/**
 * One model being trained, a batch at a time: Keras's {@code train_on_batch} and
 * {@code test_on_batch}. Each {@link #trainOnBatch} runs the training forward pass, the loss (each
 * output's loss times its weight, plus the regularization losses), backpropagation through time and
 * one optimizer update, exactly in Keras 3's order. Layers that Keras declared {@code stateful} carry
 * their state from batch to batch as in Keras's {@code fit} (gradients stop at the batch boundary:
 * truncated BPTT) until {@link #resetStates}. The source model is never changed; {@link #snapshot}
 * makes an immutable model of the current weights. {@link Fit} drives epochs, validation and
 * callbacks on top of this. Not thread-safe: one training loop owns it.
 */
public final class Trainer {
    private final Model source;
    private final Parameters params;
    private final Tape tape;
    private final Optimizer optimizer;
    private final OptimizerState state;
    private final List<Loss> losses;
    private final float[] lossWeights;
    private final List<Parameters.Trainable> trainable;
    private final List<float[]> values;
    private final List<float[]> grads;
    private final Regularizer[] regularizers; // per trainable weight, or null
    private final SplittableRandom random;
    private final float[][][] carried;        // per graph node: a stateful layer's state, or null
    private int carriedBatch = -1;
    private List<Tensor> lastOutputs = List.of();
    private float lastLoss = Float.NaN;
    private int threads = 1;

    /**
     * Prepares to train {@code model}.
     *
     * @param model the model to train; never changed (see {@link #snapshot()})
     * @param optimizer      the update rule
     * @param losses         one per model output
     * @param lossWeights    one per output, or empty for all 1
     * @param frozen         weights or layers that must not change
     * @param regularizers   per weight name ({@code layer/weight}), added to the loss
     * @param activity       per layer name, regularizers of the layer's outputs
     * @param optimizerState Keras's saved optimizer variables to continue from, or null to start fresh
     * @param seed           seeds dropout masks and noise
     * @throws IllegalArgumentException naming what is wrong (a layer that cannot be trained, a count that does
     *                                  not match the outputs, an unknown weight name)
     */
    public Trainer(Model model, Optimizer optimizer, List<Loss> losses, List<Float> lossWeights, Set<String> frozen,
                   Map<String, Regularizer> regularizers, Map<String, Regularizer> activity,
                   List<NamedArray> optimizerState, long seed) {
        int outputs = model.graph().outputs().size();
        if (losses.size() != outputs) {
            throw new IllegalArgumentException("the model has " + outputs + " output(s) but " + losses.size()
                    + " loss(es) were given: give one loss per output");
        }
        if (!lossWeights.isEmpty() && lossWeights.size() != outputs) {
            throw new IllegalArgumentException("the model has " + outputs + " output(s) but " + lossWeights.size()
                    + " loss weights were given");
        }
        this.source = model;
        this.params = new Parameters(model, frozen);
        Map<Layer, Regularizer> byLayer = new IdentityHashMap<>();
        Set<String> unknownActivity = new java.util.HashSet<>(activity.keySet());
        for (Layer l : model.layers()) {
            if (activity.containsKey(l.name())) {
                byLayer.put(l, activity.get(l.name()));
                unknownActivity.remove(l.name());
            }
        }
        if (!unknownActivity.isEmpty()) {
            throw new IllegalArgumentException("activity regularizers for layers " + unknownActivity
                    + " that are not in the model");
        }
        this.tape = new Tape(model.graph(), params, byLayer);
        this.optimizer = optimizer;
        this.losses = List.copyOf(losses);
        this.lossWeights = new float[outputs];
        for (int i = 0; i < outputs; i++) {
            this.lossWeights[i] = lossWeights.isEmpty() ? 1f : lossWeights.get(i);
        }
        this.trainable = params.trainable();
        this.values = new ArrayList<>(trainable.size());
        this.grads = new ArrayList<>(trainable.size());
        List<VariableSpec> specs = new ArrayList<>(trainable.size());
        this.regularizers = new Regularizer[trainable.size()];
        Set<String> unknown = new java.util.HashSet<>(regularizers.keySet());
        for (int i = 0; i < trainable.size(); i++) {
            Parameters.Trainable t = trainable.get(i);
            values.add(t.value());
            grads.add(t.grad());
            specs.add(new VariableSpec(t.name(), t.shape()));
            this.regularizers[i] = regularizers.get(t.name());
            unknown.remove(t.name());
        }
        unknown.removeAll(params.shapes().keySet()); // a frozen weight's regularizer adds nothing, as in Keras
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("regularizers for weights " + unknown + " that are not in the model"
                    + " (weights: " + params.shapes().keySet() + ")");
        }
        this.state = optimizerState == null ? optimizer.newState(specs) : optimizer.restoreState(specs, optimizerState);
        this.random = new SplittableRandom(seed);
        this.carried = new float[model.graph().nodes().size()][][];
    }

    /**
     * One training step on a batch: forward (training mode), loss, backward, optimizer update.
     *
     * @param x            one tensor per model input
     * @param y            one target per model output
     * @param sampleWeight per-sample weights [batch] (or [batch, time] for sequence outputs), or null
     * @return the batch's loss before the update (incl. regularization), as Keras's train_on_batch returns it
     */
    public float trainOnBatch(List<Tensor> x, List<Tensor> y, Tensor sampleWeight) {
        List<Tensor> out = tape.forward(x, new TrainContext(true, random, null, threads), this::statesFor);
        params.zeroGrads();
        float loss = lossAndOutputGrads(out, y, sampleWeight, true);
        loss += regularization(true);
        loss += tape.activityLoss();
        optimizer.apply(state, values, grads, sparseGrads());
        lastOutputs = out;
        lastLoss = loss;
        return loss;
    }

    /**
     * The gradients of the loss for a batch without updating anything (the same forward and backward
     * as {@link #trainOnBatch}, training mode); for checking against Keras's {@code GradientTape}.
     *
     * @param x one tensor per model input, batch first
     * @param y one target per model output, batch first
     * @param sampleWeight per-sample weights [batch] (or [batch, time] for sequence outputs), or null
     * @return the loss; read the gradients with {@link #gradient}
     */
    public float computeGradients(List<Tensor> x, List<Tensor> y, Tensor sampleWeight) {
        List<Tensor> out = tape.forward(x, new TrainContext(true, random, null, threads), this::statesFor);
        params.zeroGrads();
        float loss = lossAndOutputGrads(out, y, sampleWeight, true) + regularization(true) + tape.activityLoss();
        lastOutputs = out;
        lastLoss = loss;
        return loss;
    }

    /**
     * The loss on a batch in inference mode (dropout off), without gradients or updates: Keras's
     * {@code test_on_batch}. Stateful layers read and advance their carried state, as in Keras.
     *
     * @param x one tensor per model input, batch first
     * @param y one target per model output, batch first
     * @param sampleWeight per-sample weights [batch] (or [batch, time] for sequence outputs), or null
     * @return the batch's loss including regularization, as Keras's {@code test_on_batch} returns it
     */
    public float testOnBatch(List<Tensor> x, List<Tensor> y, Tensor sampleWeight) {
        List<Tensor> out = tape.forward(x, new TrainContext(false, random, null, threads), this::statesFor);
        float loss = lossAndOutputGrads(out, y, sampleWeight, false) + regularization(false) + tape.activityLoss();
        lastOutputs = out;
        lastLoss = loss;
        return loss;
    }

    /** Per trainable weight, its row-sparse gradient (an Embedding table's), or null; null when all are dense. */
    private List<SparseRows> sparseGrads() {
        List<SparseRows> out = null;
        for (int i = 0; i < trainable.size(); i++) {
            SparseRows rows = params.sparseRows(trainable.get(i), regularizers[i] != null);
            if (rows != null) {
                if (out == null) {
                    out = new ArrayList<>(java.util.Collections.nCopies(trainable.size(), (SparseRows) null));
                }
                out.set(i, rows);
            }
        }
        return out;
    }

    /**
     * How many threads the layers' training kernels may use from the next step on (default 1). The batch rows of
     * a recurrence are split between threads, products by rows or columns; every value is computed exactly as
     * with one thread, so losses, gradients and weights are bit-identical for any count.
     *
     * @param threads the number of threads, at least 1
     * @return this trainer
     * @throws IllegalArgumentException when {@code threads < 1}
     */
    public Trainer threads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        return this;
    }

    /**
     * The thread count of {@link #threads(int)}.
     *
     * @return the number of threads the training kernels may use, at least 1
     */
    public int threads() {
        return threads;
    }

    /**
     * The outputs of the last step's forward pass (before its update), one per model output.
     *
     * @return the output tensors in output order; empty before the first step
     */
    public List<Tensor> lastOutputs() {
        return lastOutputs;
    }

    /**
     * The loss of the last step.
     *
     * @return the last step's loss including regularization; NaN before the first step
     */
    public float lastLoss() {
        return lastLoss;
    }

    /**
     * The losses, one per output.
     *
     * @return one loss per model output, in output order (unmodifiable)
     */
    public List<Loss> losses() {
        return losses;
    }

    /**
     * The optimizer.
     *
     * @return the update rule this trainer applies
     */
    public Optimizer optimizer() {
        return optimizer;
    }

    /**
     * The optimizer's state (iterations, slots), e.g. to save it with the model.
     *
     * @return the live state, advanced by every {@link #trainOnBatch}
     */
    public OptimizerState optimizerState() {
        return state;
    }

    /**
     * The trained weights and gradient accumulators.
     *
     * @return the live parameters this trainer updates in place
     */
    public Parameters parameters() {
        return params;
    }

    /**
     * The gradient of a trainable weight ({@code layer/weight}) from the last step (a copy).
     *
     * @param name the weight's name, {@code layer/weight}
     * @return a new tensor of the weight's shape holding its gradient (zeros before any step)
     * @throws IllegalArgumentException if no trainable weight has that name (frozen weights have none)
     */
    public Tensor gradient(String name) {
        for (Parameters.Trainable t : trainable) {
            if (t.name().equals(name)) {
                return Tensor.of(t.grad(), t.shape());
            }
        }
        throw new IllegalArgumentException("no trainable weight '" + name + "' (trainable: "
                + trainable.stream().map(Parameters.Trainable::name).toList() + ")");
    }

    /**
     * An immutable model with the current weights; the source's metadata and origin carry over.
     *
     * @return a new model; later steps do not change it
     */
    public Model snapshot() {
        return params.snapshot(source);
    }

    /**
     * The model training started from.
     *
     * @return the model given to the constructor, unchanged
     */
    public Model source() {
        return source;
    }

    /** Sets the carried state of every stateful layer back to zero (Keras's {@code reset_states()}). */
    public void resetStates() {
        java.util.Arrays.fill(carried, null);
        carriedBatch = -1;
    }

    /**
     * True when some layer keeps its state between batches (Keras {@code stateful=True}).
     *
     * @return true if any recurrent layer was declared {@code stateful}
     */
    public boolean hasStatefulLayers() {
        for (Node n : source.graph().nodes()) {
            if (!n.isInput() && n.layer().recurrent().filter(RecurrentLayer::stateful).isPresent()) {
                return true;
            }
        }
        return false;
    }

    private float[][] statesFor(int nodeIndex, Node node, int batch) {
        RecurrentLayer layer = node.isInput() ? null : node.layer().recurrent().filter(RecurrentLayer::stateful).orElse(null);
        if (layer == null) {
            return null;
        }
        if (carriedBatch >= 0 && batch != carriedBatch) {
            throw new IllegalArgumentException("layer '" + layer.name() + "' is stateful and holds state for batches of "
                    + carriedBatch + " sequences, but this batch has " + batch + ": every batch of a stateful model"
                    + " must have the same size (make the sample count a multiple of the batch size)");
        }
        carriedBatch = batch;
        float[][] s = carried[nodeIndex];
        if (s == null) {
            s = new float[layer.stateCount()][Math.multiplyExact(batch, layer.stateSize())];
            carried[nodeIndex] = s;
        }
        return s;
    }

    /**
     * Σ weight_k · loss_k(y_k, ŷ_k); with {@code backward}, backpropagates d(total)/dŷ through the tape. Where
     * Keras computes a cross-entropy from the logits of a sigmoid or softmax output, so does this.
     */
    private float lossAndOutputGrads(List<Tensor> out, List<Tensor> y, Tensor sampleWeight, boolean backward) {
        float total = 0f;
        List<Tensor> outGrads = new ArrayList<>(out.size());
        List<Tensor> logitsGrads = new ArrayList<>(out.size());
        for (int k = 0; k < out.size(); k++) {
            Tensor pred = out.get(k);
            Loss loss = losses.get(k);
            Activation act = tape.outputActivation(k);
            Optional<Loss> onLogits = act == Activation.SIGMOID || act == Activation.SOFTMAX
                    ? loss.onLogits(y.get(k).shape(), pred.shape()) : Optional.empty();
            Tensor fed = onLogits.isPresent() ? tape.outputLogits(k) : pred;
            float[] g = backward ? new float[fed.size()] : null;
            float value = onLogits.orElse(loss).compute(y.get(k), fed, sampleWeight, null, g, lossWeights[k]);
            total += value * lossWeights[k];
            Tensor grad = backward ? Tensor.wrap(g, fed.shape()) : null;
            outGrads.add(onLogits.isPresent() ? null : grad);
            logitsGrads.add(onLogits.isPresent() ? grad : null);
        }
        if (backward) {
            tape.backward(outGrads, logitsGrads);
        }
        return total;
    }

    /**
     * The weight-regularization loss of the trainable weights (Keras counts only those); with {@code withGrads},
     * its gradient is added to theirs.
     */
    private float regularization(boolean withGrads) {
        float total = 0f;
        for (int i = 0; i < regularizers.length; i++) {
            if (regularizers[i] != null) {
                total += regularizers[i].value(values.get(i));
                if (withGrads) {
                    regularizers[i].addGradient(values.get(i), grads.get(i));
                }
            }
        }
        return total;
    }
}
