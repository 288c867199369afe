package org.jkeras.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jkeras.cli.io.Npy;
import org.jkeras.fixtures.Fixtures;
import org.jkeras.keras.KerasModels;
import org.jkeras.keras.save.OptimizerVariable;
import org.jkeras.keras.save.TrainingState;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.layers.Layer;
import org.jkeras.runtime.layers.Weight;
import org.jkeras.runtime.training.Fit;
import org.jkeras.runtime.training.FitResult;
import org.jkeras.runtime.training.History;
import org.jkeras.runtime.training.loss.MeanSquaredError;
import org.jkeras.runtime.training.loss.Reduction;
import org.jkeras.runtime.training.optimizer.Adam;
import org.jkeras.runtime.training.optimizer.NamedArray;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code jkeras finetune} end to end on real Keras files: the airline forecaster of the demo (saved without a
 * compile config) and small compiled models Keras wrote ({@code finetune/make_models.py}). The reference is
 * the library's {@link Fit} with the same arguments: the file the command writes must load back with exactly
 * the weights, and the output must show exactly the losses, that Fit produces.
 */
class FinetuneCommandTest {
    private static final Path AIRLINE = Fixtures.root().resolve("demo/airline_lstm.keras");
    private static final Path WINDOWS = Fixtures.root().resolve("demo/airline_windows.npy");
    private static final Pattern TIMING = Pattern.compile(" - \\d+s - \\d+(s|ms|us)/step");

    @TempDir
    static Path shared;
    @TempDir
    Path tmp;

    private static Path airlineTargets;

    /** The next month of each window, scaled as the demo's windows are: (series[i + 12] - min) / (max - min). */
    @BeforeAll
    static void targets() throws IOException {
        JsonNode meta = new JsonMapper().readTree(Fixtures.root().resolve("demo/airline_meta.json").toFile());
        int lookBack = meta.get("look_back").asInt();
        double lo = meta.get("scale_min").asDouble();
        double hi = meta.get("scale_max").asDouble();
        JsonNode series = meta.get("series");
        int n = Npy.read(WINDOWS).dim(0);
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = (float) ((series.get(i + lookBack).asDouble() - lo) / (hi - lo));
        }
        airlineTargets = shared.resolve("airline_y.npy");
        Npy.write(airlineTargets, Tensor.of(y, n, 1));
    }

    private static Path resource(String name) {
        try {
            return Path.of(FinetuneCommandTest.class.getResource("finetune/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String[] args(Object... parts) {
        return Arrays.stream(parts).map(String::valueOf).toArray(String[]::new);
    }

    // ------------------------------------------------------------------ results equal the library's Fit

    @Test
    void airlineFinetuneSavesTheWeightsAndPrintsTheLossesOfTheLibrarysFit() throws IOException {
        Path out = tmp.resolve("tuned.keras");
        Cli r = Cli.run(args("finetune", "--model", AIRLINE, "--x", WINDOWS, "--y", airlineTargets, "--epochs", 3,
                "--batch-size", 16, "--optimizer", "adam", "--lr", "0.01", "--loss", "mse", "--metrics", "mae",
                "--no-shuffle", "--seed", 7, "--validation-split", "0.1", "--out", out));
        assertEquals(ExitCode.OK, r.exitCode(), r.err());
        assertEquals("", r.err());

        Model source = KerasModels.load(AIRLINE);
        FitResult expected = Fit.of(source).data(Npy.read(WINDOWS), Npy.read(airlineTargets)).epochs(3).batchSize(16)
                .shuffle(false).seed(7).validationSplit(0.1).optimizer(Adam.builder().learningRate(0.01).build())
                .loss(new MeanSquaredError("mse", Reduction.SUM_OVER_BATCH_SIZE)).metrics("mae").run();

        Model tuned = KerasModels.load(out);
        assertSameWeights(expected.model(), tuned);
        assertFalse(Arrays.equals(weight(source, 0), weight(tuned, 0)), "training changed nothing");

        // plain output (stdout is not a terminal here): Keras's verbose=2 lines, exactly but for the timings
        History h = expected.history();
        List<String> want = new ArrayList<>();
        want.add("Optimizer Adam (learning_rate=0.01), new state; loss mse; metrics mae");
        want.add("Train on 118 samples, validate on 14 samples");
        for (int e = 0; e < 3; e++) {
            want.add("Epoch " + (e + 1) + "/3");
            want.add("8/8 - Ts - T/step" + logs(h, e));
        }
        want.add("Final: loss=" + f(last(h, "loss")) + " mae=" + f(last(h, "mae")) + " val_loss="
                + f(last(h, "val_loss")) + " val_mae=" + f(last(h, "val_mae")));
        want.add("wrote " + out + " (weights, compile config and Adam optimizer state at iteration 24)");
        assertEquals(want, r.out().lines().map(l -> TIMING.matcher(l).replaceAll(" - Ts - T/step")).toList(), r.out());

        // the saved training state: Fit's optimizer variables, and a compile config Keras recompiles from
        TrainingState state = KerasModels.loadTrainingState(out);
        assertEquals(expected.optimizerState().size(), state.optimizerVariables().size());
        for (int i = 0; i < state.optimizerVariables().size(); i++) {
            assertValues(expected.optimizerState().get(i), state.optimizerVariables().get(i));
        }
        JsonNode compile = state.compileConfig();
        assertEquals("Adam", compile.get("optimizer").get("class_name").asString());
        assertEquals((double) 0.01f, compile.get("optimizer").get("config").get("learning_rate").asDouble());
        assertEquals("mse", compile.get("loss").asString());
        assertEquals("[\"mae\"]", compile.get("metrics").toString());
    }

    @Test
    void compiledModelTrainsWithTheFilesOptimizerLossAndMetricsAndContinuesItsOptimizerState() throws IOException {
        Path model = resource("compiled_lstm.keras");
        Path x = resource("compiled_lstm_x.npy");
        Path y = resource("compiled_lstm_y.npy");
        Path out = tmp.resolve("continued.keras");
        Cli r = Cli.run(args("finetune", "--model", model, "--x", x, "--y", y, "--epochs", 2, "--batch-size", 8,
                "--seed", 11, "--out", out));
        assertEquals(ExitCode.OK, r.exitCode(), r.err());

        // Keras: load_model (compile=True restores Adam and its 5 steps of state), then fit
        TrainingState saved = KerasModels.loadTrainingState(model);
        List<NamedArray> state = new ArrayList<>();
        for (OptimizerVariable v : saved.optimizerVariables()) {
            float[] values = v.floats();
            if (values == null) {
                long[] l = v.longs();
                values = new float[l.length];
                for (int i = 0; i < l.length; i++) {
                    values[i] = l[i];
                }
            }
            state.add(new NamedArray(v.name(), v.shape(), values, v.dtype()));
        }
        FitResult expected = Fit.of(KerasModels.load(model)).data(Npy.read(x), Npy.read(y)).epochs(2).batchSize(8)
                .seed(11).optimizerState(state).run();
        assertSameWeights(expected.model(), KerasModels.load(out));

        History h = expected.history();
        List<String> lines = r.out().lines().map(l -> TIMING.matcher(l).replaceAll(" - Ts - T/step")).toList();
        assertEquals(List.of(
                "Optimizer Adam (learning_rate=0.005), state continued from iteration 5 saved in compiled_lstm.keras;"
                        + " loss mse; metrics mae",
                "Train on 24 samples",
                "Epoch 1/2",
                "3/3 - Ts - T/step" + logs(h, 0),
                "Epoch 2/2",
                "3/3 - Ts - T/step" + logs(h, 1),
                "Final: loss=" + f(last(h, "loss")) + " mae=" + f(last(h, "mae")),
                "wrote " + out + " (weights, compile config and Adam optimizer state at iteration 11)"), lines);
        TrainingState written = KerasModels.loadTrainingState(out);
        assertEquals(11L, written.optimizerVariables().get(0).longs()[0]);
        // Keras's own compile config is kept, with the trained optimizer
        assertEquals("mse", written.compileConfig().get("loss").asString());
        assertEquals("[\"mae\"]", written.compileConfig().get("metrics").toString());
    }

    @Test
    void jsonPrintsTheHistoryAsOneObjectAndNothingElse() throws IOException {
        Path model = resource("classifier.keras");
        Path x = resource("classifier_x.npy");
        Path y = resource("classifier_y.npy");
        Path out = tmp.resolve("classifier.keras");
        Cli r = Cli.run(args("finetune", "--model", model, "--x", x, "--y", y, "--epochs", 2, "--batch-size", 8,
                "--validation-split", "0.2", "--no-shuffle", "--json", "--out", out));
        assertEquals(ExitCode.OK, r.exitCode(), r.err());
        assertEquals(1, r.out().lines().count(), r.out());
        JsonNode j = new JsonMapper().readTree(r.out());
        FitResult expected = Fit.of(KerasModels.load(model)).data(Npy.read(x), Npy.read(y)).epochs(2).batchSize(8)
                .validationSplit(0.2).shuffle(false).run();
        assertSameWeights(expected.model(), KerasModels.load(out));
        assertEquals(2, j.get("epochs").asInt());
        assertEquals(16, j.get("samples").asInt());
        assertEquals(4, j.get("validation_samples").asInt());
        assertEquals(2, j.get("steps_per_epoch").asInt());
        assertEquals("RMSprop", j.get("optimizer").asString());
        assertEquals(4, j.get("iterations").asInt());
        assertEquals(out.toString(), j.get("out").asString());
        assertFalse(j.get("stopped_early").asBoolean());
        Map<String, List<Double>> history = expected.history().asMap();
        assertEquals(List.of("accuracy", "loss", "val_accuracy", "val_loss"), List.copyOf(history.keySet()));
        assertEquals(history.keySet(), toSet(j.get("history")));
        history.forEach((k, v) -> {
            for (int e = 0; e < v.size(); e++) {
                assertEquals((float) (double) v.get(e), j.get("history").get(k).get(e).floatValue(), k + " " + e);
            }
        });
    }

    @Test
    void onATerminalEachEpochIsAProgressBarUpdatedInPlace() {
        Path out = tmp.resolve("bar.keras");
        Cli r = Cli.runOnTerminal(args("finetune", "--model", resource("compiled_lstm.keras"),
                "--x", resource("compiled_lstm_x.npy"), "--y", resource("compiled_lstm_y.npy"), "--epochs", 2,
                "--batch-size", 8, "--no-shuffle", "--out", out));
        assertEquals(ExitCode.OK, r.exitCode(), r.err());
        String plain = r.out().replaceAll("\u001b\\[[0-9;]*m", ""); // colours, unless NO_COLOR is set
        List<String> lines = List.of(plain.split("\n")); // not lines(): it splits at \r too
        assertEquals("Epoch 1/2", lines.get(2));
        Pattern bar = Pattern.compile("\\d/3 ━{20} \\d+s \\d+(s|ms|us)/step - loss: \\d\\.\\d{4} - mae: \\d\\.\\d{4} *");
        for (int line : new int[] {3, 5}) {
            String[] frames = lines.get(line).split("\r");
            assertEquals("", frames[0], "each frame starts with \\r: " + lines.get(line));
            assertTrue(frames.length >= 2, lines.get(line));
            for (int i = 1; i < frames.length; i++) {
                assertTrue(bar.matcher(frames[i]).matches(), "frame '" + frames[i] + "'");
            }
            assertTrue(frames[frames.length - 1].startsWith("3/3 "), lines.get(line));
        }
        assertEquals("Epoch 2/2", lines.get(4));
        assertTrue(lines.get(6).startsWith("Final: loss="), plain);
        assertTrue(lines.get(7).startsWith("wrote "), plain);

        Cli lined = Cli.runOnTerminal(args("finetune", "--model", resource("compiled_lstm.keras"),
                "--x", resource("compiled_lstm_x.npy"), "--y", resource("compiled_lstm_y.npy"), "--epochs", 2,
                "--batch-size", 8, "--no-shuffle", "--no-progress", "--out", out));
        assertEquals(ExitCode.OK, lined.exitCode(), lined.err());
        assertFalse(lined.out().contains("\r") || lined.out().contains("━"), "--no-progress: " + lined.out());
        assertTrue(lined.out().lines().anyMatch(l -> l.matches("3/3 - \\d+s - \\d+(s|ms|us)/step - loss: .*")),
                lined.out());
    }

    @Test
    void inspectShowsTheCompileConfigFrozenLayersAndRefusals() {
        Cli lstm = Cli.run("inspect", resource("compiled_lstm.keras").toString());
        assertEquals(ExitCode.OK, lstm.exitCode(), lstm.err());
        assertTrue(lstm.out().contains("\nCompiled:      optimizer Adam (learning_rate=0.005); loss mse; metrics mae\n"),
                lstm.out());
        assertTrue(lstm.out().contains("\nTotal params: 133 (532.00 B)\nTrainable params: 133 (532.00 B)\n"
                + "Non-trainable params: 0 (0.00 B)\n"), lstm.out());
        Cli classifier = Cli.run("inspect", resource("classifier.keras").toString());
        assertTrue(classifier.out().contains("\nCompiled:      optimizer RMSprop (learning_rate=0.01);"
                + " loss sparse_categorical_crossentropy; metrics accuracy\nFrozen:        gru (trainable=False)\n"),
                classifier.out());
        assertTrue(classifier.out().contains("\nTotal params: 111 (444.00 B)\nTrainable params: 15 (60.00 B)\n"
                + "Non-trainable params: 96 (384.00 B)\n"), classifier.out());
        Cli constrained = Cli.run("inspect", resource("constrained.keras").toString());
        assertTrue(constrained.out().contains("\nNot trainable: layer 'dense_2' (Dense): kernel_constraint"),
                constrained.out());
        Cli airline = Cli.run("inspect", AIRLINE.toString());
        assertTrue(airline.out().contains("\nCompiled:      no\n"), airline.out());
    }

    // ------------------------------------------------------------------ errors

    /**
     * One or two lines on stderr, the first starting with "error:", no stack trace; nothing on stdout (every
     * check comes before training begins).
     */
    private static void assertError(Cli r, int code, String expected) {
        assertEquals(code, r.exitCode(), r.err());
        assertEquals("", r.out());
        List<String> lines = r.err().lines().toList();
        assertTrue(lines.size() == 1 || lines.size() == 2, "stderr: " + r.err());
        assertTrue(lines.get(0).startsWith("error: "), "stderr: " + r.err());
        assertTrue(lines.get(0).contains(expected), "expected '" + expected + "' in: " + r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    /** finetune with --epochs 1 --batch-size 8 --out tmp/out.keras unless {@code extra} gives them. */
    private Cli finetune(Object model, Object x, Object y, Object... extra) {
        List<Object> a = new ArrayList<>(List.of("finetune", "--model", model, "--x", x, "--y", y));
        a.addAll(List.of(extra));
        for (Object[] d : new Object[][] {{"--epochs", 1}, {"--batch-size", 8}, {"--out", tmp.resolve("out.keras")}}) {
            if (!a.contains(d[0])) {
                a.addAll(List.of(d));
            }
        }
        Cli r = Cli.run(args(a.toArray()));
        if (r.exitCode() != 0) {
            assertFalse(Files.exists(tmp.resolve("out.keras")), "a failed run wrote its output");
        }
        return r;
    }

    private Cli lstm(Object... extra) {
        return finetune(resource("compiled_lstm.keras"), resource("compiled_lstm_x.npy"),
                resource("compiled_lstm_y.npy"), extra);
    }

    @Test
    void badFlagsExitWith2() {
        assertError(lstm("--epochs", 0), ExitCode.USAGE, "--epochs must be at least 1, got 0");
        assertError(lstm("--batch-size", 0), ExitCode.USAGE, "--batch-size must be at least 1, got 0");
        assertError(lstm("--validation-split", "1"), ExitCode.USAGE,
                "--validation-split must be at least 0 and below 1, got 1.0");
        assertError(lstm("--lr", "-0.1"), ExitCode.USAGE, "--lr must be a finite number >= 0, got -0.1");
        assertError(lstm("--lr", "NaN"), ExitCode.USAGE, "--lr must be a finite number >= 0, got NaN");
        assertError(lstm("--optimizer", "adamax"), ExitCode.USAGE,
                "--optimizer: optimizer 'adamax' is not supported; supported: SGD, Adam, AdamW, RMSprop, Adagrad, Nadam");
        assertError(lstm("--loss", "hinge"), ExitCode.USAGE, "--loss ('hinge'): loss is not supported; supported:");
        assertError(lstm("--metrics", "mae,auc"), ExitCode.USAGE, "metric 'auc' is not supported");
        assertError(lstm("--out", tmp.resolve("out.h5")), ExitCode.USAGE, "--out must name a .keras file");
        assertError(lstm("--frobnicate"), ExitCode.USAGE, "--frobnicate");
        assertError(Cli.run(args("finetune", "--model", resource("compiled_lstm.keras"), "--x",
                resource("compiled_lstm_x.npy"), "--epochs", 1, "--batch-size", 8, "--out", tmp.resolve("o.keras"))),
                ExitCode.USAGE, "--y");
    }

    @Test
    void aModelWithoutACompileConfigNeedsAnOptimizerAndALoss() {
        assertError(finetune(AIRLINE, WINDOWS, airlineTargets), ExitCode.USAGE,
                AIRLINE + " has no compiled optimizer; name one with --optimizer NAME (adam, sgd, rmsprop, adagrad,"
                        + " adamw, nadam)");
        assertError(finetune(AIRLINE, WINDOWS, airlineTargets, "--optimizer", "sgd"), ExitCode.USAGE,
                AIRLINE + " has no compiled loss; name one with --loss NAME (mse, mae, huber,");
    }

    @Test
    void aModelJkerasCannotTrainOrSaveExitsWith3() throws IOException {
        assertError(finetune(resource("constrained.keras"), resource("compiled_lstm_x.npy"),
                resource("compiled_lstm_y.npy")), ExitCode.BAD_MODEL,
                "constrained.keras: cannot be fine-tuned as Keras would train it: layer 'dense_2' (Dense):"
                        + " kernel_constraint");
        assertError(finetune(tmp.resolve("missing.keras"), resource("compiled_lstm_x.npy"),
                resource("compiled_lstm_y.npy")), ExitCode.BAD_MODEL, "model file not found");
        // a model built in Java has no Keras config to save with
        Path stand = Files.writeString(tmp.resolve("two.keras"), "stand-in: TwoBranchModel.loader() ignores it");
        Cli r = Cli.run(TwoBranchModel.loader(), args("finetune", "--model", stand, "--x", stand, "--y", stand,
                "--epochs", 1, "--batch-size", 1, "--out", tmp.resolve("o.keras")));
        assertError(r, ExitCode.BAD_MODEL, "the model has no Keras config to save the tuned model with");
    }

    @Test
    void dataThatDoesNotFitExitsWith4WithTheLibrarysMessage() throws IOException {
        Path classifier = resource("classifier.keras");
        // shape: the classifier's inputs into the LSTM model
        assertError(finetune(resource("compiled_lstm.keras"), resource("classifier_x.npy"),
                resource("compiled_lstm_y.npy")), ExitCode.BAD_INPUT,
                "training data: input 'input_layer' expects shape (None, 6, 3), got (20, 5, 2)");
        // sample counts
        assertError(finetune(classifier, resource("classifier_x.npy"), resource("compiled_lstm_y.npy")),
                ExitCode.BAD_INPUT, "training data: target 0 has 24 samples but the data before it has 20");
        // NaN
        float[] x = Npy.read(resource("compiled_lstm_x.npy")).toFloatArray();
        x[7] = Float.NaN;
        Path nan = tmp.resolve("nan.npy");
        Npy.write(nan, Tensor.of(x, 24, 6, 3));
        assertError(finetune(resource("compiled_lstm.keras"), nan, resource("compiled_lstm_y.npy")),
                ExitCode.BAD_INPUT, "training data: input 'input_layer' holds NaN at position [0, 2, 1]:"
                        + " training data must be finite");
        // a class label beyond the softmax's 3 classes
        float[] labels = Npy.read(resource("classifier_y.npy")).toFloatArray();
        labels[4] = 5;
        Path bad = tmp.resolve("labels.npy");
        Npy.write(bad, Tensor.of(labels, labels.length));
        Cli r = finetune(classifier, resource("classifier_x.npy"), bad);
        assertError(r, ExitCode.BAD_INPUT, "training data: target 0 does not fit output 0 (None, 3) with loss"
                + " sparse_categorical_crossentropy");
        assertTrue(r.err().contains("5"), r.err());
        // one --x for each input, one --y for each output
        assertError(finetune(classifier, resource("classifier_x.npy"), resource("classifier_y.npy"),
                "--x", resource("classifier_x.npy")), ExitCode.BAD_INPUT, "training data: the model takes 1 input(s)");
        // a validation split that leaves nothing
        assertError(finetune(classifier, resource("classifier_x.npy"), resource("classifier_y.npy"),
                "--validation-split", "0.99"), ExitCode.BAD_INPUT, "validation_split 0.99 of 20 samples leaves no"
                + " training samples");
        // sample weights of the wrong length
        Path sw = tmp.resolve("sw.npy");
        Npy.write(sw, Tensor.of(new float[3], 3));
        assertError(finetune(classifier, resource("classifier_x.npy"), resource("classifier_y.npy"),
                "--sample-weight", sw), ExitCode.BAD_INPUT, "training data: sample weights has 3 samples");
        // missing and unreadable files
        assertError(finetune(classifier, tmp.resolve("nope.npy"), resource("classifier_y.npy")), ExitCode.BAD_INPUT,
                "input file not found: " + tmp.resolve("nope.npy"));
        Path text = Files.writeString(tmp.resolve("text.npy"), "1,2,3\n4,5,6\n7,8,9\n");
        assertError(finetune(classifier, resource("classifier_x.npy"), text), ExitCode.BAD_INPUT, "not a .npy file");
    }

    @Test
    void anOutputDirectoryThatDoesNotExistExitsWith1BeforeTraining() {
        Path out = tmp.resolve("no/such/dir/out.keras");
        assertError(lstm("--out", out), ExitCode.FAILURE, "cannot write " + out + ": its directory does not exist");
    }

    @Test
    void sampleWeightsReachTheFit() throws IOException {
        Path model = resource("compiled_lstm.keras");
        Path x = resource("compiled_lstm_x.npy");
        Path y = resource("compiled_lstm_y.npy");
        float[] w = new float[24];
        for (int i = 0; i < w.length; i++) {
            w[i] = i % 2 == 0 ? 1f : 0.25f;
        }
        Path sw = tmp.resolve("sw.npy");
        Npy.write(sw, Tensor.of(w, 24));
        Path out = tmp.resolve("weighted.keras");
        Cli r = Cli.run(args("finetune", "--model", model, "--x", x, "--y", y, "--epochs", 1, "--batch-size", 8,
                "--optimizer", "sgd", "--loss", "huber", "--sample-weight", sw, "--no-shuffle", "--json", "--out", out));
        assertEquals(ExitCode.OK, r.exitCode(), r.err());
        FitResult expected = Fit.of(KerasModels.load(model)).data(Npy.read(x), Npy.read(y)).epochs(1).batchSize(8)
                .shuffle(false).sampleWeight(Npy.read(sw))
                .optimizer(org.jkeras.runtime.training.optimizer.Sgd.builder().build())
                .loss(new org.jkeras.runtime.training.loss.Huber(1.0, "huber", Reduction.SUM_OVER_BATCH_SIZE)).run();
        assertSameWeights(expected.model(), KerasModels.load(out));
        JsonNode j = new JsonMapper().readTree(r.out());
        assertEquals((float) (double) expected.history().get("loss").get(0), j.get("history").get("loss").get(0).floatValue());
        // a new optimizer: no state continued from the file's Adam
        assertEquals(3, j.get("iterations").asInt());
        assertEquals("SGD", KerasModels.loadTrainingState(out).compileConfig().get("optimizer").get("class_name")
                .asString());
    }

    // ------------------------------------------------------------------ helpers

    private static java.util.Set<String> toSet(JsonNode object) {
        java.util.Set<String> keys = new java.util.LinkedHashSet<>();
        object.propertyNames().forEach(keys::add);
        return keys;
    }

    private static double last(History h, String key) {
        List<Double> v = h.get(key);
        return v.get(v.size() - 1);
    }

    private static String f(double v) {
        return Float.toString((float) v);
    }

    /** {@code - loss: 0.0123 - mae: ...} of epoch {@code e}, as Keras's verbose=2 line prints them. */
    private static String logs(History h, int e) {
        StringBuilder b = new StringBuilder();
        for (String k : h.keys()) {
            double v = h.get(k).get(e);
            b.append(" - ").append(k).append(": ").append(String.format(Locale.ROOT, v > 1e-3 ? "%.4f" : "%.4e", v));
        }
        return b.toString();
    }

    private static float[] weight(Model m, int i) {
        List<float[]> all = new ArrayList<>();
        for (Layer l : m.layers()) {
            for (Weight w : l.weights()) {
                all.add(w.value().toFloatArray());
            }
        }
        return all.get(i);
    }

    private static void assertSameWeights(Model expected, Model actual) {
        List<Layer> a = expected.layers();
        List<Layer> b = actual.layers();
        assertEquals(a.size(), b.size());
        int compared = 0;
        for (int i = 0; i < a.size(); i++) {
            List<Weight> wa = a.get(i).weights();
            List<Weight> wb = b.get(i).weights();
            assertEquals(wa.size(), wb.size(), a.get(i).name());
            for (int k = 0; k < wa.size(); k++) {
                assertArrayEquals(wa.get(k).value().shape(), wb.get(k).value().shape());
                assertArrayEquals(wa.get(k).value().toFloatArray(), wb.get(k).value().toFloatArray(),
                        a.get(i).name() + "/" + wa.get(k).name());
                compared++;
            }
        }
        assertTrue(compared > 0);
    }

    private static void assertValues(NamedArray expected, OptimizerVariable actual) {
        assertEquals(expected.dtype(), actual.dtype(), expected.name());
        assertArrayEquals(expected.shape(), actual.shape(), expected.name());
        if ("int64".equals(expected.dtype())) {
            assertEquals((long) expected.data()[0], actual.longs()[0], expected.name());
        } else {
            assertArrayEquals(expected.data(), actual.floats(), expected.name());
        }
    }
}
