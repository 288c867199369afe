package org.jkeras.runtime.training;

import org.jkeras.runtime.TrainingDefaults;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.jkeras.runtime.tensor.InputMismatchException;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.training.loss.Loss;
import org.jkeras.runtime.training.metric.Metric;
import org.jkeras.runtime.training.metric.Metrics;
import org.jkeras.runtime.training.optimizer.NamedArray;
import org.jkeras.runtime.training.optimizer.Optimizer;

/**
 * Keras's {@code model.fit} for a jkeras model: epochs of mini-batch steps by backpropagation through
 * time, with Keras 3's update rules, losses, metrics, validation and callbacks. What the model's file
 * says (its compiled optimizer and loss, frozen layers, regularizers: {@link Model#trainingDefaults()})
 * applies unless overridden here.
 *
 * <pre>{@code
 * FitResult r = Fit.of(model).data(x, y).epochs(5).batchSize(32).run();
 * Model tuned = r.model();                  // the source model is unchanged and can keep serving
 * }</pre>
 *
 * <p>Semantics as in Keras: the last {@code validationSplit} of the samples (before shuffling) are held
 * out; each epoch visits the training samples in a fresh seeded order (or in order with
 * {@code shuffle(false)}), the last batch possibly smaller; the logged {@code loss} and metrics are means
 * over the epoch's samples; layers declared {@code stateful} carry their state across batches and
 * epochs (truncated BPTT) and are never reset by fit, as in Keras. Every input is checked before the
 * first step: counts, batch sizes, shapes against the model and the loss, NaN and infinite values,
 * class labels. A builder is not thread-safe; {@link StopSignal} stops a run from another thread.
 */
public final class Fit {
    private final Model model;
    private List<Tensor> x = List.of();
    private List<Tensor> y = List.of();
    private Tensor sampleWeight;
    private int epochs = 1;
    private int batchSize = 32;
    private boolean shuffle = true;
    private long seed = 0x6a6b6572L;
    private double validationSplit;
    private List<Tensor> validationX;
    private List<Tensor> validationY;
    private Optimizer optimizer;
    private List<Loss> losses;
    private List<Float> lossWeights;
    private List<String> metrics;
    private List<String> weightedMetrics;
    private final Set<String> frozen = new HashSet<>();
    private final Set<String> unfrozen = new HashSet<>();
    private final List<Callback> callbacks = new ArrayList<>();
    private List<NamedArray> optimizerState;
    private StopSignal stop = new StopSignal();
    private int threads = 1;

    private Fit(Model model) {
        this.model = model;
    }

    /**
     * A fit of {@code model} with its file's training defaults.
     *
     * @param model the model to train; it is never changed (the result holds a new snapshot)
     * @return a builder with Keras's defaults (1 epoch, batch size 32, shuffled) and the file's compiled settings
     */
    public static Fit of(Model model) {
        return new Fit(model);
    }

    /**
     * Training data for a model with one input and one output.
     *
     * @param inputs the input samples, batch (samples) first
     * @param targets the targets, with the same number of samples as {@code inputs}
     * @return this builder
     */
    public Fit data(Tensor inputs, Tensor targets) {
        return data(List.of(inputs), List.of(targets));
    }

    /**
     * Training data: one tensor per model input and one target per output, all with the same batch.
     *
     * @param inputs one tensor per model input, in the model's input order, samples first; the list is copied
     * @param targets one tensor per model output, in output order, samples first; the list is copied
     * @return this builder
     */
    public Fit data(List<Tensor> inputs, List<Tensor> targets) {
        this.x = List.copyOf(inputs);
        this.y = List.copyOf(targets);
        return this;
    }

    /**
     * Per-sample loss weights, [samples] (or [samples, time] for sequence outputs).
     *
     * @param weights Keras's {@code sample_weight}: a factor on each sample's loss; null (the default) for none
     * @return this builder
     */
    public Fit sampleWeight(Tensor weights) {
        this.sampleWeight = weights;
        return this;
    }

    /**
     * Passes over the data (default 1).
     *
     * @param n the number of epochs, at least 1 (checked by {@link #run()})
     * @return this builder
     */
    public Fit epochs(int n) {
        this.epochs = n;
        return this;
    }

    /**
     * Samples per step (default 32, as Keras).
     *
     * @param n the batch size, at least 1 (checked by {@link #run()}); the last batch of an epoch may be smaller
     * @return this builder
     */
    public Fit batchSize(int n) {
        this.batchSize = n;
        return this;
    }

    /**
     * Whether each epoch visits the samples in a fresh random order (default true, as Keras).
     *
     * @param on false to visit the samples in their given order every epoch
     * @return this builder
     */
    public Fit shuffle(boolean on) {
        this.shuffle = on;
        return this;
    }

    /**
     * Seeds the shuffling and dropout masks, so a run repeats exactly.
     *
     * @param s the seed; the same seed, data and options give the same weights and history
     * @return this builder
     */
    public Fit seed(long s) {
        this.seed = s;
        return this;
    }

    /**
     * Holds out the last fraction of the samples (before shuffling) as validation data.
     *
     * @param fraction Keras's {@code validation_split}, in {@code [0, 1)}; 0 (the default) holds nothing out
     * @return this builder
     */
    public Fit validationSplit(double fraction) {
        this.validationSplit = fraction;
        return this;
    }

    /**
     * Validation data evaluated after every epoch (instead of a split).
     *
     * @param inputs one tensor per model input, samples first; the list is copied
     * @param targets one tensor per model output, with the same number of samples; the list is copied
     * @return this builder
     */
    public Fit validationData(List<Tensor> inputs, List<Tensor> targets) {
        this.validationX = List.copyOf(inputs);
        this.validationY = List.copyOf(targets);
        return this;
    }

    /**
     * The optimizer, instead of the file's compiled one.
     *
     * @param o the optimizer; its settings are used, its state starts fresh unless {@link #optimizerState} is given
     * @return this builder
     */
    public Fit optimizer(Optimizer o) {
        this.optimizer = o;
        return this;
    }

    /**
     * The loss of each output, instead of the file's compiled ones.
     *
     * @param perOutput one loss per model output, in output order
     * @return this builder
     */
    public Fit loss(Loss... perOutput) {
        this.losses = List.of(perOutput);
        return this;
    }

    /**
     * Weights of the outputs' losses in the total (Keras's {@code loss_weights}).
     *
     * @param weights one factor per model output, in output order, multiplying that output's loss
     * @return this builder
     */
    public Fit lossWeights(List<Float> weights) {
        this.lossWeights = List.copyOf(weights);
        return this;
    }

    /**
     * Metrics by Keras name ({@code mae}, {@code mse}, {@code accuracy}, ...), instead of the file's.
     *
     * @param names metric names as Keras's {@code compile(metrics=...)} takes them, applied to every output
     * @return this builder
     */
    public Fit metrics(String... names) {
        this.metrics = List.of(names);
        return this;
    }

    /**
     * Keras's {@code weighted_metrics}: metrics fed the sample weights, instead of the file's.
     *
     * @param names metric names as Keras's {@code compile(weighted_metrics=...)} takes them
     * @return this builder
     */
    public Fit weightedMetrics(String... names) {
        this.weightedMetrics = List.of(names);
        return this;
    }

    /**
     * Freezes weights ({@code layer/weight}) or whole layers ({@code layer}) beyond those the file freezes.
     *
     * @param names layer names, or {@code layer/weight} names for single weights
     * @return this builder
     */
    public Fit freeze(String... names) {
        frozen.addAll(List.of(names));
        return this;
    }

    /**
     * Makes layers or weights the file froze trainable again.
     *
     * @param names layer names, or {@code layer/weight} names, that the file or {@link #freeze} froze
     * @return this builder
     */
    public Fit unfreeze(String... names) {
        unfrozen.addAll(List.of(names));
        return this;
    }

    /**
     * Adds callbacks, called in order.
     *
     * @param cs the callbacks, appended to those added before
     * @return this builder
     */
    public Fit callbacks(Callback... cs) {
        callbacks.addAll(List.of(cs));
        return this;
    }

    /**
     * Continues from saved optimizer variables (Keras's order, e.g. read from a {@code .keras} file).
     *
     * @param saved the optimizer's variables by name, e.g. {@link FitResult#optimizerState()} of an earlier run; the
     *              list is copied
     * @return this builder
     */
    public Fit optimizerState(List<NamedArray> saved) {
        this.optimizerState = List.copyOf(saved);
        return this;
    }

    /**
     * Threads for the training kernels (default 1): {@link Trainer#threads(int)}. The history, weights and
     * optimizer state are bit-identical for any count.
     *
     * @param n the number of threads, at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public Fit threads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + n);
        }
        this.threads = n;
        return this;
    }

    /**
     * A signal another thread may use to stop the fit.
     *
     * @param signal the signal {@link #run()} polls after every batch; replaces the builder's own
     * @return this builder
     */
    public Fit stopSignal(StopSignal signal) {
        this.stop = signal;
        return this;
    }

    /**
     * Runs the fit.
     *
     * @return the trained model (a new immutable snapshot), the history and the optimizer state
     * @throws InputMismatchException   before any step, when the data do not fit the model, its losses or the
     *                                  options (shapes, sample counts, non-finite values, bad labels; with
     *                                  expected and actual shapes)
     * @throws IllegalArgumentException before any step, naming the problem, when the options or the model do not
     *                                  fit (e.g. a layer or constraint jkeras cannot train)
     */
    public FitResult run() {
        TrainingDefaults d = model.trainingDefaults();
        if (!d.refusals().isEmpty()) {
            throw new IllegalArgumentException("this model cannot be trained as Keras would train it: "
                    + String.join("; ", d.refusals()));
        }
        Optimizer opt = optimizer != null ? optimizer : d.optimizer();
        if (opt == null) {
            throw new IllegalArgumentException("no optimizer: the model file has no usable compiled optimizer"
                    + problems(d) + ", so name one (e.g. Fit.optimizer(Adam.builder().build()))");
        }
        List<Loss> ls = losses != null ? losses : d.losses();
        if (ls.isEmpty()) {
            throw new IllegalArgumentException("no loss: the model file has no usable compiled loss" + problems(d)
                    + ", so name one per output (e.g. Fit.loss(new MeanSquaredError()))");
        }
        List<Float> lw = lossWeights != null ? lossWeights : d.lossWeights();
        List<String> metricNames = metrics != null ? metrics : d.metrics();
        List<String> weightedNames = weightedMetrics != null ? weightedMetrics : d.weightedMetrics();
        Set<String> frozenNow = new HashSet<>(d.frozen());
        frozenNow.removeAll(unfrozen);
        frozenNow.addAll(frozen);
        checkOptions();
        FitData.check(model, x, y, sampleWeight, ls, "training data");

        List<Tensor> tx = x;
        List<Tensor> ty = y;
        Tensor tsw = sampleWeight;
        List<Tensor> vx = validationX;
        List<Tensor> vy = validationY;
        Tensor vsw = null;
        int n = x.get(0).dim(0);
        if (validationSplit > 0 && vx == null) {
            int splitAt = (int) Math.floor(n * (1.0 - validationSplit));
            if (splitAt == 0 || splitAt == n) {
                throw new InputMismatchException("validation_split " + validationSplit + " of " + n
                        + " samples leaves " + (splitAt == 0 ? "no training" : "no validation") + " samples");
            }
            tx = FitData.rows(x, 0, splitAt);
            ty = FitData.rows(y, 0, splitAt);
            vx = FitData.rows(x, splitAt, n);
            vy = FitData.rows(y, splitAt, n);
            if (sampleWeight != null) {
                tsw = FitData.rows(List.of(sampleWeight), 0, splitAt).get(0);
                vsw = FitData.rows(List.of(sampleWeight), splitAt, n).get(0);
            }
            n = splitAt;
        } else if (vx != null) {
            FitData.check(model, vx, vy, null, ls, "validation data");
        }

        Trainer trainer = new Trainer(model, opt, ls, lw, frozenNow, d.weightRegularizers(),
                d.activityRegularizers(), optimizerState, seed).threads(threads);
        if (trainer.hasStatefulLayers() && n % batchSize != 0) {
            throw new InputMismatchException("the model has stateful layers, so every batch must have the same size:"
                    + " " + n + " training samples are not a multiple of batch size " + batchSize);
        }
        List<List<Metric>> perOutput = new ArrayList<>();
        List<List<Metric>> weightedPerOutput = new ArrayList<>();
        for (int k = 0; k < ls.size(); k++) {
            List<Metric> ms = new ArrayList<>();
            int[] predShape = model.outputShapes().get(k).dims();
            for (int i = 0; i < predShape.length; i++) {
                if (predShape[i] == org.jkeras.runtime.tensor.Shape.UNKNOWN) {
                    predShape[i] = i < y.get(k).rank() ? y.get(k).dim(i) : 1;
                }
            }
            for (String name : metricNames) {
                ms.add(Metrics.resolve(name, y.get(k).shape(), predShape));
            }
            perOutput.add(ms);
            List<Metric> ws = new ArrayList<>();
            for (String name : weightedNames) {
                ws.add(Metrics.resolve(name, y.get(k).shape(), predShape));
            }
            weightedPerOutput.add(ws);
        }
        int steps = (n + batchSize - 1) / batchSize;
        FitProgress progress = new FitProgress(trainer, epochs, steps, n);
        History history = new History();
        SplittableRandom order = new SplittableRandom(seed ^ 0x5DEECE66DL);
        for (Callback c : callbacks) {
            c.onTrainBegin(progress);
        }
        Map<String, Double> logs = new LinkedHashMap<>();
        boolean stopped = false;
        for (int epoch = 0; epoch < epochs && !stopped; epoch++) {
            for (Callback c : callbacks) {
                c.onEpochBegin(epoch, progress);
            }
            Mean lossMean = new Mean();
            perOutput.forEach(ms -> ms.forEach(Metric::reset));
            weightedPerOutput.forEach(ms -> ms.forEach(Metric::reset));
            int[] idx = permutation(n, shuffle ? order : null);
            for (int step = 0; step < steps; step++) {
                int from = step * batchSize;
                int to = Math.min(n, from + batchSize);
                int[] rows = Arrays.copyOfRange(idx, from, to);
                List<Tensor> bx = FitData.take(tx, rows);
                List<Tensor> by = FitData.take(ty, rows);
                Tensor bsw = tsw == null ? null : FitData.take(List.of(tsw), rows).get(0);
                float loss = trainer.trainOnBatch(bx, by, bsw);
                lossMean.add(loss, rows.length);
                updateMetrics(perOutput, by, trainer.lastOutputs(), null);
                updateMetrics(weightedPerOutput, by, trainer.lastOutputs(), bsw);
                logs = logs(lossMean, perOutput, weightedPerOutput, "");
                for (Callback c : callbacks) {
                    c.onBatchEnd(epoch, step, logs, progress);
                }
                if (stop.isStopped() || progress.stopRequested() || Thread.currentThread().isInterrupted()) {
                    stopped = true;
                    break;
                }
            }
            if (vx != null) {
                logs.putAll(evaluate(trainer, vx, vy, vsw, perOutput, weightedPerOutput));
            }
            for (Callback c : callbacks) {
                c.onEpochEnd(epoch, logs, progress);
            }
            history.add(logs);
            stopped |= progress.stopRequested() || stop.isStopped();
        }
        for (Callback c : callbacks) {
            c.onTrainEnd(logs, progress);
        }
        boolean early = history.epochs() < epochs || stopped;
        return new FitResult(trainer.snapshot(), history, opt, trainer.optimizerState().exportVariables(), early, ls,
                lw == null ? List.of() : lw, metricNames, weightedNames);
    }

    private static String problems(TrainingDefaults d) {
        return d.compileProblems().isEmpty() ? "" : " (" + String.join("; ", d.compileProblems()) + ")";
    }

    /** Validation: the loss and metrics over {@code vx} in inference mode, as {@code val_...} logs. */
    private Map<String, Double> evaluate(Trainer trainer, List<Tensor> vx, List<Tensor> vy, Tensor vsw,
                                         List<List<Metric>> perOutput, List<List<Metric>> weightedPerOutput) {
        perOutput.forEach(ms -> ms.forEach(Metric::reset));
        weightedPerOutput.forEach(ms -> ms.forEach(Metric::reset));
        Mean lossMean = new Mean();
        int n = vx.get(0).dim(0);
        int[] idx = permutation(n, null);
        for (int from = 0; from < n; from += batchSize) {
            int[] rows = Arrays.copyOfRange(idx, from, Math.min(n, from + batchSize));
            List<Tensor> bx = FitData.take(vx, rows);
            List<Tensor> by = FitData.take(vy, rows);
            Tensor bsw = vsw == null ? null : FitData.take(List.of(vsw), rows).get(0);
            lossMean.add(trainer.testOnBatch(bx, by, bsw), rows.length);
            updateMetrics(perOutput, by, trainer.lastOutputs(), null);
            updateMetrics(weightedPerOutput, by, trainer.lastOutputs(), bsw);
        }
        return logs(lossMean, perOutput, weightedPerOutput, "val_");
    }

    /**
     * Keras's {@code fit} gives sample weights only to {@code weighted_metrics} ({@code sw} non-null), never
     * to {@code metrics}.
     */
    private static void updateMetrics(List<List<Metric>> perOutput, List<Tensor> y, List<Tensor> pred, Tensor sw) {
        for (int k = 0; k < perOutput.size(); k++) {
            for (Metric m : perOutput.get(k)) {
                m.update(y.get(k), pred.get(k), sw);
            }
        }
    }

    /**
     * Keras's logs: names as {@code CompileMetrics.result} makes them ({@code [output_]name}, a repeated name
     * gets {@code _1}, {@code _2}, ...; a weighted metric whose name is taken becomes {@code weighted_name}),
     * with {@code loss}, in sorted order as Keras's {@code pythonify_logs} gives them.
     */
    private Map<String, Double> logs(Mean loss, List<List<Metric>> perOutput, List<List<Metric>> weighted,
                                     String prefix) {
        Map<String, Double> results = new LinkedHashMap<>();
        Map<String, Integer> counters = new java.util.HashMap<>();
        boolean several = perOutput.size() > 1;
        for (int pass = 0; pass < 2; pass++) {
            List<List<Metric>> lists = pass == 0 ? perOutput : weighted;
            for (int k = 0; k < lists.size(); k++) {
                String out = several ? model.graph().nodes().get(model.graph().outputs().get(k).node()).name() + "_"
                        : "";
                for (Metric m : lists.get(k)) {
                    String name = out + m.name();
                    if (!counters.containsKey(name)) {
                        counters.put(name, 1);
                    } else if (pass == 0) {
                        int index = counters.merge(name, 1, Integer::sum) - 1;
                        name = name + "_" + index;
                    } else {
                        name = out + "weighted_" + m.name();
                        if (!counters.containsKey(name)) {
                            counters.put(name, 1);
                        } else {
                            int index = counters.merge(name, 1, Integer::sum) - 1;
                            name = name + "_" + index;
                        }
                    }
                    results.put(name, m.result());
                }
            }
        }
        results.put("loss", loss.result());
        Map<String, Double> logs = new LinkedHashMap<>(); // Keras's pythonify_logs sorts the names
        new java.util.TreeMap<>(results).forEach((k, v) -> logs.put(prefix + k, v));
        return logs;
    }

    private void checkOptions() {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (!(validationSplit >= 0 && validationSplit < 1)) {
            throw new IllegalArgumentException("validation split must be in [0, 1), got " + validationSplit);
        }
        if (validationSplit > 0 && validationX != null) {
            throw new IllegalArgumentException("give validation data or a validation split, not both");
        }
    }

    /** 0..n-1, shuffled (Fisher-Yates) when a random source is given. */
    private static int[] permutation(int n, SplittableRandom random) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        if (random != null) {
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = idx[i];
                idx[i] = idx[j];
                idx[j] = t;
            }
        }
        return idx;
    }

    /** Keras's loss tracker: a mean weighted by batch sizes. */
    private static final class Mean {
        private double total;
        private double count;

        void add(float value, int weight) {
            total += (double) value * weight;
            count += weight;
        }

        double result() {
            return count == 0 ? 0 : (float) (total / count);
        }
    }
}
