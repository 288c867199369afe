package org.jkeras.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jkeras.cli.io.Npy;
import org.jkeras.fixtures.FixtureArray;
import org.jkeras.fixtures.FixtureCase;
import org.jkeras.fixtures.StatefulCalls;
import org.jkeras.fixtures.FixtureCases;
import org.jkeras.fixtures.Fixtures;
import org.jkeras.fixtures.Tolerance;
import org.jkeras.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;

/** The command line end to end on real Keras files from the test fixtures. */
class KerasFixturesCliTest {
    @TempDir
    Path tmp;

    /** The model arguments of a case: the file, plus --weights for the JSON formats. */
    private static List<String> modelArgs(FixtureCase c, String modelFlag) {
        List<String> args = new ArrayList<>();
        if (modelFlag != null) {
            args.add(modelFlag);
        }
        args.add(c.modelPath().toString());
        c.weightsPath().ifPresent(w -> {
            args.add("--weights");
            args.add(w.toString());
        });
        return args;
    }

    @ParameterizedTest
    @FixtureCases(family = {"airline_lstm_stateful", "airline_lstm_stateful_reset"})
    void statefulCallsCarryStateBetweenCallsLikeKeras(FixtureCase c) throws IOException {
        statefulCallsMatchKeras(c);
    }

    /** A stateful Functional model returning its LSTM's and GRU's states (concatenated into its one output). */
    @ParameterizedTest
    @FixtureCases(set = Fixtures.GRAPH, family = "stateful_return_state")
    void statefulCallsOfAModelReturningItsStatesMatchKeras(FixtureCase c) throws IOException {
        statefulCallsMatchKeras(c);
    }

    /** Stateful Bidirectional layers (both directions carry their states) and a stateful RNN over cells. */
    @ParameterizedTest
    @FixtureCases(set = "cells", family = {"stateful_bi_lstm", "stateful_bi_gru", "rnn_cell_stateful"})
    void statefulCallsOfBidirectionalAndCellModelsMatchKeras(FixtureCase c) throws IOException {
        statefulCallsMatchKeras(c);
    }

    private void statefulCallsMatchKeras(FixtureCase c) throws IOException {
        StatefulCalls calls = c.statefulCalls().orElseThrow();
        FixtureArray x = calls.inputs();
        Path xs = tmp.resolve("calls.npy");
        Npy.write(xs, Tensor.of(x.data(), x.shape()));
        List<String> args = new ArrayList<>(List.of("predict"));
        args.addAll(modelArgs(c, "--model"));
        args.addAll(List.of("--input", xs.toString(), "--stateful-calls", Integer.toString(x.dim(0))));
        if (calls.resets().isPresent()) {
            int[] r = calls.resets().get();
            float[] f = new float[r.length];
            for (int i = 0; i < r.length; i++) {
                f[i] = r[i];
            }
            Path rp = tmp.resolve("resets.npy");
            Npy.write(rp, Tensor.of(f, r.length));
            args.addAll(List.of("--resets", rp.toString()));
        }
        Path out = tmp.resolve("y.npy");
        args.addAll(List.of("--output", out.toString()));

        Cli r = Cli.run(args.toArray(String[]::new));

        assertEquals(ExitCode.OK, r.exitCode(), c.id() + ": " + r.err());
        Tensor y = Npy.read(out);
        Tolerance.assertClose(calls.outputs(), y.data(), y.shape(), c.atol(), c.rtol(), c.id() + " stateful calls");
    }

    @ParameterizedTest
    @FixtureCases(family = {"lstm_last_dense", "lstm_seq_timedistributed"})
    void predictWritesWhatKerasPredictedForEveryFormat(FixtureCase c) throws IOException {
        predictMatchesKeras(c);
    }

    @ParameterizedTest
    @FixtureCases(family = "lstm_last_dense")
    void predictOnTwoThreadsWritesWhatKerasPredicted(FixtureCase c) throws IOException {
        assertTrue(c.inputs().get(0).dim(0) >= 2, c.id() + ": the batch must split");
        predictMatchesKeras(c, "--threads", "2");
    }

    /** {@code --bf16-kernels}: what Keras computes with the model's kernels cast to bfloat16 (the precision set). */
    @ParameterizedTest(name = "{0}")
    @FixtureCases(set = "precision", tag = "bfloat16_kernels")
    void predictWithBf16KernelsWritesWhatKerasPredictedWithRoundedKernels(FixtureCase c) throws IOException {
        predictMatchesKeras(c, "--bf16-kernels");
    }

    private void predictMatchesKeras(FixtureCase c, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("predict"));
        args.addAll(List.of(extra));
        args.addAll(modelArgs(c, "--model"));
        for (int i = 0; i < c.inputs().size(); i++) {
            FixtureArray x = c.inputs().get(i);
            Path p = tmp.resolve("x" + i + ".npy");
            Npy.write(p, Tensor.of(x.data(), x.shape()));
            args.add("--input");
            args.add(p.toString());
        }
        Path out = tmp.resolve("y.npy");
        args.add("--output");
        args.add(out.toString());

        Cli r = Cli.run(args.toArray(String[]::new));

        assertEquals(ExitCode.OK, r.exitCode(), c.id() + ": " + r.err());
        Tensor y = Npy.read(out);
        Tolerance.assertMatches(c, 0, y.data(), y.shape());
    }

    /**
     * Keras models with several inputs and outputs: one {@code --input} per model input in Keras's input order,
     * each output written to {@code y_<i>.npy} and equal to what Keras predicted (issue 6's CLI contract).
     */
    @ParameterizedTest(name = "{0}")
    @FixtureCases(set = Fixtures.GRAPH, family = {"encoder_decoder_lstm", "merge_elementwise", "shared_layers",
        "initial_state_from_inputs", "nested_models"}, format = {"keras_zip", "tf_keras2_h5"})
    void predictTakesOneInputPerModelInputAndWritesEveryOutputAsKerasPredicted(FixtureCase c) throws IOException {
        assertTrue(c.inputs().size() >= 2, c.id() + ": a multi-input case");
        List<String> args = new ArrayList<>(List.of("predict"));
        args.addAll(modelArgs(c, "--model"));
        for (int i = 0; i < c.inputs().size(); i++) {
            FixtureArray x = c.inputs().get(i);
            Path p = tmp.resolve("x" + i + ".npy");
            Npy.write(p, Tensor.of(x.data(), x.shape()));
            args.addAll(List.of("--input", p.toString()));
        }
        args.addAll(List.of("--output", tmp.resolve("y.npy").toString()));

        Cli r = Cli.run(args.toArray(String[]::new));

        assertEquals(ExitCode.OK, r.exitCode(), c.id() + ": " + r.err());
        assertTrue(c.outputs().size() >= 2, c.id() + ": a multi-output case");
        for (int i = 0; i < c.outputs().size(); i++) {
            Tensor y = Npy.read(tmp.resolve("y_" + i + ".npy"));
            Tolerance.assertMatches(c, i, y.data(), y.shape());
        }
        assertFalse(java.nio.file.Files.exists(tmp.resolve("y_" + c.outputs().size() + ".npy")), c.id());
    }

    /** The "Connected to" column of a merged graph with nested models, in Keras's layer[node][tensor] form. */
    @ParameterizedTest(name = "{0}")
    @FixtureCases(set = Fixtures.GRAPH, family = "nested_models", format = {"keras_zip", "tf_keras2_h5"})
    void inspectShowsTheConnectionsOfMergedAndNestedLayers(FixtureCase c) {
        Cli r = Cli.run("inspect", c.modelPath().toString());

        assertEquals(ExitCode.OK, r.exitCode(), c.id() + ": " + r.err());
        String out = r.out();
        assertTrue(out.contains("Connected to"), c.id() + ":\n" + out);
        String add = out.lines().filter(l -> l.contains("(Add)")).findFirst().orElseThrow();
        assertTrue(add.contains("inner_seq/dense[0][0]") && add.contains("inner_seq/dense[1][0]"),
                c.id() + ": the nested Sequential's two calls feed Add:\n" + out);
        String cat = out.lines().filter(l -> l.contains("(Concatenate)")).findFirst().orElseThrow();
        assertTrue(cat.contains("lstm[0][0]") && cat.contains("inner_fn/gru[0][0]"), c.id() + ":\n" + out);
    }

    @ParameterizedTest
    @FixtureCases(family = "lstm_last_dense")
    void inspectShowsKerasVersionLayersAndParameterCount(FixtureCase c) {
        List<String> args = new ArrayList<>(List.of("inspect"));
        args.addAll(modelArgs(c, null));

        Cli r = Cli.run(args.toArray(String[]::new));

        assertEquals(ExitCode.OK, r.exitCode(), c.id() + ": " + r.err());
        String out = r.out();
        // Keras 3's to_json() records no version; every other format names the Keras that wrote it.
        String version = c.format().equals("keras3_json_weights") ? "(version not recorded)" : c.kerasVersion();
        assertTrue(out.contains("Written by:    Keras " + version), c.id() + ":\n" + out);
        // LSTM(7) on 5 features: 4 * 7 * (5 + 7 + 1) = 364; Dense(3) on 7: 7 * 3 + 3 = 24 (Keras's counts)
        assertTrue(out.matches("(?s).*\\(InputLayer\\) +\\(None, 12, 5\\) +0\\n.*"), c.id() + ":\n" + out);
        assertTrue(out.matches("(?s).*\\(LSTM\\) +\\(None, 7\\) +364\\n.*"), c.id() + ":\n" + out);
        assertTrue(out.matches("(?s).*\\(Dense\\) +\\(None, 3\\) +24\\n.*"), c.id() + ":\n" + out);
        assertTrue(out.contains("Total params: 388 (1.52 KB)"), c.id() + ":\n" + out);
    }

    @Test
    void inputCountMismatchOnARealModelExitsWith4() throws IOException {
        FixtureCase c = Fixtures.byId("lstm_last_dense__sequential__keras_zip");
        FixtureArray x = c.inputs().get(0);
        Path p = tmp.resolve("x.npy");
        Npy.write(p, Tensor.of(x.data(), x.shape()));

        Cli r = Cli.run("predict", "--model", c.modelPath().toString(), "--input", p.toString(),
                "--input", p.toString(), "--output", tmp.resolve("y.npy").toString());

        assertEquals(ExitCode.BAD_INPUT, r.exitCode());
        assertTrue(r.err().startsWith("error: the model takes 1 input(s)"), r.err());
        assertTrue(r.err().contains("(None, 12, 5)"), r.err());
    }

    @Test
    void demoReproducesTheBundledKerasForecastAndExitsZero() {
        Cli r = Cli.run("demo");

        assertEquals(ExitCode.OK, r.exitCode(), r.err());
        assertTrue(r.out().contains("all within"), r.out());
        assertTrue(r.out().contains("132 windows"), r.out());
        assertTrue(r.out().contains("(warm: median call after model.warmUp and "), r.out());
        assertEquals("", r.err());
    }
}
