package org.jkeras.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jkeras.cli.io.Npy;
import org.jkeras.keras.KerasImportException;
import org.jkeras.runtime.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes, {@code error:} lines and file handling of the command line (its public contract). */
class MainTest {
    @TempDir
    Path tmp;
    private String model;
    private String a;
    private String b;

    @BeforeEach
    void files() throws IOException {
        model = Files.writeString(tmp.resolve("two.keras"), "stand-in: TwoBranchModel.loader() ignores it").toString();
        a = write("a.npy", Tensor.of(new float[] {1, 1, 0, 2}, 2, 2));
        b = write("b.npy", Tensor.of(new float[] {-1, 2, 0}, 1, 3));
    }

    private String write(String name, Tensor t) throws IOException {
        Path p = tmp.resolve(name);
        Npy.write(p, t);
        return p.toString();
    }

    /** One or two lines on stderr, the first starting with "error:", and no Java stack trace. */
    private static void assertErrorLines(Cli r) {
        List<String> lines = r.err().lines().toList();
        assertTrue(lines.size() == 1 || lines.size() == 2, "stderr: " + r.err());
        assertTrue(lines.get(0).startsWith("error: "), "stderr: " + r.err());
        assertFalse(r.err().contains("\tat "), "stack trace without --verbose: " + r.err());
    }

    @Test
    void unknownFlagExitsWith2() {
        Cli r = Cli.run(TwoBranchModel.loader(), "predict", "--model", model, "--input", a, "--input", b,
                "--output", tmp.resolve("y.npy").toString(), "--frobnicate");
        assertEquals(ExitCode.USAGE, r.exitCode());
        assertErrorLines(r);
        assertTrue(r.err().contains("--frobnicate"), r.err());
    }

    @Test
    void unknownCommandAndNoCommandExitWith2() {
        Cli r = Cli.run("frobnicate");
        assertEquals(ExitCode.USAGE, r.exitCode());
        assertErrorLines(r);
        assertEquals(ExitCode.USAGE, Cli.run().exitCode());
    }

    @Test
    void statefulCallsNeedTheCallsAxisFirst() {
        Cli r = Cli.run(TwoBranchModel.loader(), "predict", "--model", model, "--input", a, "--input", b,
                "--output", tmp.resolve("y.npy").toString(), "--stateful-calls", "3");
        assertEquals(ExitCode.BAD_INPUT, r.exitCode());
        assertErrorLines(r);
        assertTrue(r.err().contains("(calls first)"), r.err());
    }

    @Test
    void resetsWithoutStatefulCallsIsAUsageError() {
        Cli r = Cli.run(TwoBranchModel.loader(), "predict", "--model", model, "--input", a, "--input", b,
                "--output", tmp.resolve("y.npy").toString(), "--resets", a);
        assertEquals(ExitCode.USAGE, r.exitCode());
        assertTrue(r.err().contains("--resets needs --stateful-calls"), r.err());
    }

    @Test
    void zeroStatefulCallsIsAUsageError() {
        Cli r = Cli.run(TwoBranchModel.loader(), "predict", "--model", model, "--input", a, "--input", b,
                "--output", tmp.resolve("y.npy").toString(), "--stateful-calls", "0");
        assertEquals(ExitCode.USAGE, r.exitCode());
        assertTrue(r.err().contains("--stateful-calls must be at least 1"), r.err());
    }

    @Test
    void missingModelFileExitsWith3NamingIt() {
        String missing = tmp.resolve("nope.keras").toString();
        Cli r = Cli.run("inspect", missing);
        assertEquals(ExitCode.BAD_MODEL, r.exitCode());
        assertErrorLines(r);
        assertTrue(r.err().contains("model file not found: " + missing), r.err());
        Cli p = Cli.run("predict", "--model", missing, "--input", a, "--output", tmp.resolve("y.npy").toString());
        assertEquals(ExitCode.BAD_MODEL, p.exitCode());
    }

    @Test
    void fileThatIsNotAKerasModelExitsWith3() {
        Cli r = Cli.run("inspect", model); // the real importer, on a text file
        assertEquals(ExitCode.BAD_MODEL, r.exitCode());
        assertErrorLines(r);
    }

    @Test
    void importerRefusalExitsWith3WithTheFileName() {
        Cli r = Cli.run((m, w) -> {
            throw new KerasImportException("layer 'lambda' (Lambda): refused, it would run code from the file");
        }, "inspect", model);
        assertEquals(ExitCode.BAD_MODEL, r.exitCode());
        assertErrorLines(r);
        assertTrue(r.err().contains("two.keras") && r.err().contains("Lambda"), r.err());
    }

    @Test
    void missingWeightsFileExitsWith3() {
        Cli r = Cli.run(TwoBranchModel.loader(), "inspect", model, "--weights", tmp.resolve("w.h5").toString());
        assertEquals(ExitCode.BAD_MODEL, r.exitCode());
        assertTrue(r.err().contains("weights file not found"), r.err());
    }

    @Test
    void inputCountMismatchExitsWith4NamingTheModelInputs() {
        Cli r = Cli.run(TwoBranchModel.loader(), "predict", "--model", model, "--input", a,
                "--output", tmp.resolve("y.npy").toString());
        assertEquals(ExitCode.BAD_INPUT, r.exitCode());
        assertErrorLines(r);
        assertTrue(r.err().contains("takes 2 input(s), 'input_a' (None, 2), 'input_b' (None, 3), but 1 --input"),
                r.err());
    }

    @Test
    void inputShapeMismatchExitsWith4WithBothShapesAndTheFile() throws IOException {
        String wrong = write("wrong.npy", Tensor.of(new float[] {1, 2, 3}, 1, 3));
        Cli r = Cli.run(TwoBranchModel.loader(), "predict", "--model", model, "--input", wrong, "--input", b,
                "--output", tmp.resolve("y.npy").toString());
        assertEquals(ExitCode.BAD_INPUT, r.exitCode());
        assertErrorLines(r);
        assertTrue(r.err().contains("'input_a' expects shape (None, 2), but " + wrong + " holds (1, 3)"), r.err());
    }

    @Test
    void missingOrMalformedInputFileExitsWith4NamingIt() throws IOException {
        String missing = tmp.resolve("missing.npy").toString();
        Cli r = Cli.run(TwoBranchModel.loader(), "predict", "--model", model, "--input", missing, "--input", b,
                "--output", tmp.resolve("y.npy").toString());
        assertEquals(ExitCode.BAD_INPUT, r.exitCode());
        assertTrue(r.err().contains("input file not found: " + missing), r.err());

        String text = Files.writeString(tmp.resolve("text.npy"), "1,2\n3,4\n").toString();
        Cli t = Cli.run(TwoBranchModel.loader(), "predict", "--model", model, "--input", text, "--input", b,
                "--output", tmp.resolve("y.npy").toString());
        assertEquals(ExitCode.BAD_INPUT, t.exitCode());
        assertErrorLines(t);
        assertTrue(t.err().contains(text) && t.err().contains("not a .npy file"), t.err());
    }

    @Test
    void severalOutputsAreWrittenAsNumberedFiles() throws IOException {
        Cli r = Cli.run(TwoBranchModel.loader(), "predict", "--model", model, "--input", a, "--input", b,
                "--output", tmp.resolve("y.npy").toString());
        assertEquals(ExitCode.OK, r.exitCode(), r.err());
        assertFalse(Files.exists(tmp.resolve("y.npy")));
        // by hand: [1,1] @ [[1,2],[3,4]] + [.5,-.5] = [4.5, 5.5]; [0,2] -> [6.5, 7.5]; relu([-1,2,0]) = [0,2,0]
        Tensor y0 = Npy.read(tmp.resolve("y_0.npy"));
        assertArrayEquals(new int[] {2, 2}, y0.shape());
        assertArrayEquals(new float[] {4.5f, 5.5f, 6.5f, 7.5f}, y0.data());
        Tensor y1 = Npy.read(tmp.resolve("y_1.npy"));
        assertArrayEquals(new int[] {1, 3}, y1.shape());
        assertArrayEquals(new float[] {0f, 2f, 0f}, y1.data());
    }

    @Test
    void outputNamesStripNpyAndAppendTheIndex() {
        assertEquals(List.of(Path.of("d/y.npy")), PredictCommand.outputPaths(Path.of("d/y.npy"), 1));
        assertEquals(List.of(Path.of("d/y_0.npy"), Path.of("d/y_1.npy")), PredictCommand.outputPaths(Path.of("d/y.npy"), 2));
        assertEquals(List.of(Path.of("out_0.npy"), Path.of("out_1.npy")), PredictCommand.outputPaths(Path.of("out"), 2));
    }

    @Test
    void unexpectedFailureExitsWith1AndVerboseShowsTheStackTrace() {
        ModelLoader broken = (m, w) -> {
            throw new IllegalStateException("boom");
        };
        Cli quiet = Cli.run(broken, "inspect", model);
        assertEquals(ExitCode.FAILURE, quiet.exitCode());
        assertErrorLines(quiet);
        assertTrue(quiet.err().contains("boom"), quiet.err());
        Cli verbose = Cli.run(broken, "--verbose", "inspect", model);
        assertEquals(ExitCode.FAILURE, verbose.exitCode());
        assertTrue(verbose.err().startsWith("error: ") && verbose.err().contains("\tat "), verbose.err());
        Cli after = Cli.run(broken, "inspect", "--verbose", model);
        assertTrue(after.err().contains("\tat "), "--verbose after the command name: " + after.err());
    }

    @Test
    void inspectListsInputsLayersShapesAndParameters() {
        Cli r = Cli.run(TwoBranchModel.loader(), "inspect", model);
        assertEquals(ExitCode.OK, r.exitCode(), r.err());
        String out = r.out();
        assertTrue(out.contains("Keras 3 .keras archive"), out);
        assertTrue(out.contains("Keras 3.99.0, backend jax"), out);
        assertTrue(out.matches("(?s).*input_a \\(InputLayer\\) +\\(None, 2\\) +0.*"), out);
        assertTrue(out.matches("(?s).*dense \\(Dense\\) +\\(None, 2\\) +6 +input_a\\[0\\]\\[0\\].*"), out);
        assertTrue(out.matches("(?s).*relu \\(Activation\\) +\\(None, 3\\) +0 +input_b\\[0\\]\\[0\\].*"), out);
        assertTrue(out.contains("Total params: 6 (24.00 B)"), out);
    }

    @Test
    void versionNamesJkerasAndTheJvm() {
        Cli r = Cli.run("--version");
        assertEquals(ExitCode.OK, r.exitCode());
        assertTrue(r.out().startsWith("jkeras 0."), r.out());
        assertTrue(r.out().contains("Java "), r.out());
    }
}
