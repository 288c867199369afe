package org.jkeras.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.jkeras.cli.io.Npy;
import org.jkeras.fixtures.Fixtures;
import org.jkeras.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Error messages that tell a shell user what to do: typos named, formats recognised, full paths. */
class UsageHintsTest {
    private static final Path AIRLINE = Fixtures.root().resolve("demo/airline_lstm.keras");
    private static final Path SEQ = Fixtures.root().resolve("models/airline_lstm/sequential");
    @TempDir
    Path tmp;

    @Test
    void aMistypedOptionIsNamedWithTheOptionMeant() {
        Cli r = Cli.run("predict", "--modle", AIRLINE.toString(), "--input", "x.npy", "--output", "y.npy");
        assertEquals(ExitCode.USAGE, r.exitCode());
        assertEquals(List.of("error: unknown option '--modle' (did you mean --model?)",
                "Try 'jkeras predict --help' for usage."), r.err().lines().toList());
    }

    @Test
    void aMistypedCommandIsNamedWithTheCommandMeant() {
        Cli r = Cli.run("predcit", "--model", AIRLINE.toString());
        assertEquals(ExitCode.USAGE, r.exitCode());
        assertEquals("error: unknown command 'predcit' (did you mean predict?)", r.err().lines().findFirst().orElse(""));
    }

    @Test
    void anUnknownOptionFarFromAnyIsNamedAlone() {
        Cli r = Cli.run("inspect", AIRLINE.toString(), "--frobnicate");
        assertEquals(ExitCode.USAGE, r.exitCode());
        assertEquals("error: unknown option '--frobnicate'", r.err().lines().findFirst().orElse(""));
    }

    @Test
    void anNpzArchiveGetsTheFix() throws IOException {
        Path npz = tmp.resolve("x.npz");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(npz))) {
            z.putNextEntry(new ZipEntry("x.npy"));
            z.write(new byte[] {1, 2, 3});
        }
        Cli r = Cli.run("predict", "--model", AIRLINE.toString(), "--input", npz.toString(), "--output",
                tmp.resolve("y.npy").toString());
        assertEquals(ExitCode.BAD_INPUT, r.exitCode());
        assertEquals(List.of("error: " + npz + ": is a NumPy .npz archive (a zip of arrays), not a .npy file: save each"
                + " array with numpy.save(\"x.npy\", array) and pass one --input per array"), r.err().lines().toList());
    }

    @Test
    void aJsonConfigWithoutWeightsAsksForWeights() {
        Path json = SEQ.resolve("model_keras3.json");
        Cli r = Cli.run("inspect", json.toString());
        assertEquals(ExitCode.USAGE, r.exitCode());
        assertEquals(List.of("error: " + json + " is a JSON config (model.to_json()), which holds no weights: give its"
                + " weights file with --weights W (the .weights.h5 or save_weights .h5 saved with it)"),
                r.err().lines().toList());
    }

    @Test
    void importErrorsNameTheFileByItsFullPath() {
        Path weightsOnly = SEQ.resolve("model_keras3.weights.h5");
        Cli r = Cli.run("inspect", weightsOnly.toString());
        assertEquals(ExitCode.BAD_MODEL, r.exitCode());
        String line = r.err().lines().findFirst().orElse("");
        assertTrue(line.startsWith("error: " + weightsOnly + ": this HDF5 file holds only weights"), line);
    }

    @Test
    void statefulCallsOnAModelWithoutStatefulLayersGetANote() throws IOException {
        Path x = tmp.resolve("calls.npy");
        Npy.write(x, Tensor.zeros(2, 1, 12, 1));
        Cli r = Cli.run("predict", "--model", AIRLINE.toString(), "--input", x.toString(), "--stateful-calls", "2",
                "--output", tmp.resolve("y.npy").toString());
        assertEquals(ExitCode.OK, r.exitCode(), r.err());
        assertEquals(List.of("note: no layer of this model is stateful, so every call starts from zero state (as"
                + " successive model.predict calls do in Keras); --stateful-calls only matters for stateful models"),
                r.err().lines().toList());
    }

    @Test
    void threadsWithStatefulCallsIsAUsageError() {
        Cli r = Cli.run("predict", "--model", AIRLINE.toString(), "--input", "x.npy", "--stateful-calls", "2",
                "--threads", "2", "--output", "y.npy");
        assertEquals(ExitCode.USAGE, r.exitCode());
        assertTrue(r.err().startsWith("error: --threads splits one call's batch"), r.err());
    }

    @Test
    void typoDistanceCountsSwapsAsOneEdit() {
        assertEquals(1, Suggest.distance("predcit", "predict"));
        assertEquals(1, Suggest.distance("--modle", "--model"));
        assertEquals(2, Suggest.distance("--mdl", "--model"));
        assertEquals(0, Suggest.distance("", ""));
    }
}
