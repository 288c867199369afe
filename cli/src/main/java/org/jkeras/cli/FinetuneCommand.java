package org.jkeras.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.KerasModels;
import org.jkeras.keras.save.KerasOrigin;
import org.jkeras.keras.save.TrainingState;
import org.jkeras.runtime.tensor.InputMismatchException;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.training.Fit;
import org.jkeras.runtime.training.FitResult;
import org.jkeras.runtime.training.loss.Loss;
import org.jkeras.runtime.training.optimizer.NamedArray;
import org.jkeras.runtime.training.optimizer.Optimizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code jkeras finetune --model M --x X.npy --y Y.npy --epochs N --batch-size B ... --out OUT.keras}: Keras's
 * {@code model.fit} on arrays from .npy files (the library's {@link Fit}), then the tuned model saved as a
 * Keras 3 {@code .keras} file with its compile config and optimizer state, so that
 * {@code keras.saving.load_model} loads it and {@code fit} continues where jkeras stopped.
 *
 * <p>The optimizer, loss and metrics are the file's compiled ones unless named. When the optimizer is the
 * file's (no {@code --optimizer}, no {@code --lr}) and the file holds its saved state, training continues from
 * that state, as {@code fit} after {@code load_model} does in Keras; a named optimizer or a new rate starts
 * fresh, as a new {@code compile} does.
 *
 * <p>Exit codes: 2 bad flags (including a name Keras or jkeras does not know, or no optimizer/loss anywhere),
 * 3 the model cannot be loaded, trained as Keras would or saved, 4 the data does not fit (shapes, counts,
 * NaN, labels), 1 writing failed.
 */
@Command(name = "finetune", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a model further on .npy data as Keras's fit would, and save it as a .keras file"
                + " Keras loads (with its optimizer state, so training can continue in Keras).")
final class FinetuneCommand implements Callable<Integer> {
    @ParentCommand
    private Main main;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "A .keras, .h5 or JSON model file.")
    private Path model;

    @Option(names = "--weights", paramLabel = "W", description = "The weights file, for a JSON config.")
    private Path weights;

    @Option(names = "--x", required = true, paramLabel = "X.npy",
            description = "Training inputs; repeat once per model input, in the model's input order.")
    private List<Path> xFiles;

    @Option(names = "--y", required = true, paramLabel = "Y.npy",
            description = "Targets; repeat once per model output, in output order. Class indices for sparse"
                    + " categorical cross-entropy may be integer arrays.")
    private List<Path> yFiles;

    @Option(names = "--epochs", required = true, paramLabel = "N", description = "Passes over the data.")
    private int epochs;

    @Option(names = "--batch-size", required = true, paramLabel = "B", description = "Samples per step.")
    private int batchSize;

    @Option(names = "--optimizer", paramLabel = "NAME",
            description = "Optimizer with Keras's defaults: " + TrainingSetup.OPTIMIZERS
                    + " (default: the file's compiled optimizer).")
    private String optimizerName;

    @Option(names = "--lr", paramLabel = "LR",
            description = "Learning rate of the named or the file's optimizer (a new optimizer state).")
    private Double learningRate;

    @Option(names = "--loss", paramLabel = "NAME",
            description = "Loss of every output, as Keras names it: mse, mae, huber, log_cosh, binary_crossentropy,"
                    + " categorical_crossentropy, sparse_categorical_crossentropy, crossentropy, ..."
                    + " (default: the file's compiled loss).")
    private String lossName;

    @Option(names = "--metrics", paramLabel = "a,b", split = ",",
            description = "Metrics to log, as Keras names them: mae, mse, accuracy, ... (default: the file's).")
    private List<String> metrics;

    @Option(names = "--no-shuffle", description = "Visit the samples in order (default: a seeded shuffle per epoch).")
    private boolean noShuffle;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the shuffling and dropout masks.")
    private Long seed;

    @Option(names = "--validation-split", paramLabel = "F", defaultValue = "0",
            description = "Hold out the last fraction F of the samples (before shuffling) for validation"
                    + " (default: ${DEFAULT-VALUE}).")
    private double validationSplit;

    @Option(names = "--sample-weight", paramLabel = "SW.npy",
            description = "Per-sample loss weights, [samples] (or [samples, time] for sequence outputs).")
    private Path sampleWeightFile;

    @Option(names = "--out", required = true, paramLabel = "OUT.keras",
            description = "Where to write the tuned model (Keras 3 .keras, with compile config and optimizer state).")
    private Path out;

    @Option(names = "--no-progress",
            description = "One line per epoch instead of a progress bar (the default when stdout is not a terminal).")
    private boolean noProgress;

    @Option(names = "--json", description = "Print the history and the result as one JSON object, nothing else.")
    private boolean json;

    private int samples;

    @Override
    public Integer call() {
        checkFlags();
        Model m = ModelFiles.load(main.loader(), model, weights);
        checkTrainable(m);
        checkSaveable(m);
        Optimizer optimizer = TrainingSetup.optimizer(optimizerName, learningRate, m, model);
        List<Tensor> xs = read(xFiles);
        List<Tensor> ys = read(yFiles);
        Tensor sampleWeight = sampleWeightFile == null ? null : PredictCommand.read(sampleWeightFile);
        List<Loss> losses = TrainingSetup.losses(lossName, m, ys, model);
        if (metrics != null) {
            TrainingSetup.checkMetrics(metrics, m, ys);
        }
        List<NamedArray> continued = continuedState(m);
        ObjectNode compileConfig = ys.size() == m.outputShapes().size()
                ? TrainingSetup.compileConfig(m, optimizer, lossName, metrics, ys, out) : null;

        KerasProgress.Mode mode = json ? KerasProgress.Mode.NONE
                : noProgress || !main.terminal() ? KerasProgress.Mode.LINES : KerasProgress.Mode.BAR;
        samples = xs.get(0).rank() == 0 ? 0 : xs.get(0).dim(0);
        KerasProgress progress = new KerasProgress(main.out(), mode, main.terminal() && Terminal.colors(), samples,
                Text.safe(describe(m, optimizer, losses, continued)), System::nanoTime);
        Fit fit = Fit.of(m).data(xs, ys).epochs(epochs).batchSize(batchSize).shuffle(!noShuffle)
                .validationSplit(validationSplit).optimizer(optimizer).callbacks(progress);
        if (losses != null) {
            fit.loss(losses.toArray(Loss[]::new));
        }
        if (metrics != null) {
            fit.metrics(metrics.toArray(String[]::new));
        }
        if (seed != null) {
            fit.seed(seed);
        }
        if (sampleWeight != null) {
            fit.sampleWeight(sampleWeight);
        }
        if (continued != null) {
            fit.optimizerState(continued);
        }
        long start = System.nanoTime();
        FitResult result;
        try {
            result = fit.run();
        } catch (InputMismatchException e) {
            progress.abort();
            throw new CliException(ExitCode.BAD_INPUT, e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            progress.abort();
            throw new CliException(ExitCode.BAD_MODEL, model + ": cannot be fine-tuned: " + e.getMessage(), e);
        }
        long trained = System.nanoTime() - start;
        if (compileConfig == null) { // unreachable: the fit checks the target count first
            throw new IllegalStateException("no compile config for " + ys.size() + " targets");
        }
        TrainingState state = new TrainingState(compileConfig, TrainingSetup.toWriter(result.optimizerState()));
        try {
            KerasModels.save(result.model(), out, state);
        } catch (KerasImportException e) {
            throw new CliException(ExitCode.FAILURE, e.getMessage(), e);
        }
        long iterations = (long) result.optimizerState().get(0).data()[0];
        if (json) {
            main.out().println(new JsonMapper().writeValueAsString(json(result, progress, iterations)));
        } else {
            main.out().println(Text.safe(finalLine(result)));
            main.out().println(Text.safe("wrote " + out + " (weights, compile config and " + result.optimizer().kind()
                    + " optimizer state at iteration " + iterations + ")"));
        }
        if (main.verbose()) {
            main.err().printf(Locale.ROOT, "finetune: %d epoch(s) took %.3f s%n", result.history().epochs(),
                    trained / 1e9);
        }
        return ExitCode.OK;
    }

    private void checkFlags() {
        requireAtLeast("--epochs", epochs, 1);
        requireAtLeast("--batch-size", batchSize, 1);
        if (!(validationSplit >= 0 && validationSplit < 1)) {
            throw new CliException(ExitCode.USAGE, "--validation-split must be at least 0 and below 1, got "
                    + validationSplit);
        }
        if (learningRate != null && !(learningRate >= 0 && Double.isFinite(learningRate))) {
            throw new CliException(ExitCode.USAGE, "--lr must be a finite number >= 0, got " + learningRate);
        }
        if (metrics != null && metrics.stream().anyMatch(String::isBlank)) {
            throw new CliException(ExitCode.USAGE, "--metrics lists an empty name: " + String.join(",", metrics));
        }
        if (out.getFileName() == null || !out.getFileName().toString().endsWith(".keras")) {
            throw new CliException(ExitCode.USAGE, "--out must name a .keras file (Keras loads only such files),"
                    + " got " + out);
        }
        Path dir = out.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new CliException(ExitCode.FAILURE, "cannot write " + out + ": its directory does not exist");
        }
        if (Files.isDirectory(out)) {
            throw new CliException(ExitCode.FAILURE, "cannot write " + out + ": it is a directory");
        }
    }

    private static void requireAtLeast(String option, long value, long min) {
        if (value < min) {
            throw new CliException(ExitCode.USAGE, option + " must be at least " + min + ", got " + value);
        }
    }

    /** What the file says jkeras cannot train as Keras would (e.g. a weight constraint): refused before any data is read. */
    private void checkTrainable(Model m) {
        List<String> refusals = m.trainingDefaults().refusals();
        if (!refusals.isEmpty()) {
            throw new CliException(ExitCode.BAD_MODEL, model + ": cannot be fine-tuned as Keras would train it: "
                    + String.join("; ", refusals));
        }
    }

    /** The tuned model must be writable as Keras 3: checked before training, not after. */
    private void checkSaveable(Model m) {
        KerasOrigin origin = m.origin(KerasOrigin.class).orElseThrow(() -> new CliException(ExitCode.BAD_MODEL,
                model + ": the model has no Keras config to save the tuned model with"));
        if (origin.keras3Config() == null) {
            throw new CliException(ExitCode.BAD_MODEL, model + ": the tuned model could not be saved as Keras 3: "
                    + origin.refusal());
        }
    }

    /**
     * The file's saved optimizer state, when the optimizer is the file's own (Keras's load_model then fit), or null
     * for a new state.
     */
    private List<NamedArray> continuedState(Model m) {
        if (optimizerName != null || learningRate != null || !"keras_zip".equals(m.metadata().get("format"))) {
            return null;
        }
        TrainingState saved;
        try {
            saved = KerasModels.loadTrainingState(model, main.loadOptions());
        } catch (KerasImportException e) {
            throw new CliException(ExitCode.BAD_MODEL, e.getMessage(), e);
        }
        List<NamedArray> state = TrainingSetup.toTrainer(saved.optimizerVariables(), model);
        // an optimizer Keras never stepped (compiled, saved before fit) saves only iteration 0 and its rate: nothing
        // to continue, and a new state is what Keras starts from too
        return state.isEmpty() || state.get(0).data().length != 1 || state.get(0).data()[0] == 0 ? null : state;
    }

    private static List<Tensor> read(List<Path> files) {
        List<Tensor> ts = new ArrayList<>(files.size());
        for (Path f : files) {
            ts.add(PredictCommand.read(f));
        }
        return ts;
    }

    private String describe(Model m, Optimizer optimizer, List<Loss> losses, List<NamedArray> continued) {
        String state = continued == null ? "new state"
                : "state continued from iteration " + (long) continued.get(0).data()[0] + " saved in "
                + model.getFileName();
        List<Loss> ls = losses != null ? losses : m.trainingDefaults().losses();
        List<String> ms = metrics != null ? metrics : m.trainingDefaults().metrics();
        return "Optimizer " + TrainingText.optimizer(optimizer) + ", " + state + "; loss " + TrainingText.losses(m, ls)
                + (ms.isEmpty() ? "" : "; metrics " + String.join(", ", ms));
    }

    /** {@code Final: loss=0.0052147983 mae=0.058193866 val_loss=...}: the last epoch's logs, exact float32 values. */
    private static String finalLine(FitResult r) {
        StringBuilder b = new StringBuilder("Final:");
        for (Map.Entry<String, List<Double>> e : r.history().asMap().entrySet()) {
            List<Double> v = e.getValue();
            b.append(' ').append(e.getKey()).append('=').append(TrainingText.number(v.get(v.size() - 1)));
        }
        return b.toString();
    }

    private ObjectNode json(FitResult r, KerasProgress progress, long iterations) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = f.objectNode();
        o.put("model", model.toString());
        o.put("out", out.toString());
        o.put("epochs", r.history().epochs());
        o.put("stopped_early", r.stoppedEarly());
        o.put("samples", progress.trainingSamples());
        o.put("validation_samples", samples - progress.trainingSamples());
        o.put("steps_per_epoch", progress.stepsPerEpoch());
        o.put("optimizer", r.optimizer().kind());
        if (r.optimizer().constantLearningRate() != null) {
            o.put("learning_rate", (float) (double) r.optimizer().constantLearningRate());
        }
        o.put("iterations", iterations);
        ObjectNode history = o.putObject("history");
        Map<String, List<Double>> h = new LinkedHashMap<>(r.history().asMap());
        h.forEach((k, values) -> {
            ArrayNode a = history.putArray(k);
            for (double v : values) {
                if (Double.isFinite(v)) {
                    a.add((float) v);
                } else {
                    a.addNull();
                }
            }
        });
        return o;
    }
}
