package org.jkeras.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jkeras.cli.io.Npy;
import org.jkeras.fixtures.FixtureArray;
import org.jkeras.fixtures.FixtureCase;
import org.jkeras.fixtures.Fixtures;
import org.jkeras.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --limit NAME=N} (any command, repeatable) sets the load limits: a model file over one exits 3 naming it,
 * an input over an input limit exits 4, a raised limit lets the file load, and an unknown name or a value that is
 * not a count is a usage error (exit 2).
 */
class LimitFlagTest {
    @TempDir
    Path tmp;

    private static String model() {
        return Fixtures.byId("lstm_last_dense__sequential__keras_zip").modelPath().toString();
    }

    @Test
    void modelOverALoweredLimitExits3NamingTheLimit() {
        Cli r = Cli.run("inspect", model(), "--limit", "max_units=4");
        assertEquals(ExitCode.BAD_MODEL, r.exitCode(), r.err());
        assertTrue(r.err().startsWith("error: " + model() + ": layer 'lstm' (LSTM): field 'units': units of one layer"
                + " is 7, more than the limit max_units=4"), r.err());
        assertTrue(r.err().contains("--limit max_units=n on the command line"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @Test
    void limitsAreAcceptedBeforeTheCommandAndWithSuffixes() {
        Cli r = Cli.run("--limit", "max_units=1k", "--limit", "max_json_bytes=64m", "inspect", model());
        assertEquals(ExitCode.OK, r.exitCode(), r.err());
        assertTrue(r.out().contains("Total params: 388"), r.out());
    }

    @Test
    void inputOverAnInputLimitExits4() throws IOException {
        FixtureCase c = Fixtures.byId("lstm_last_dense__sequential__keras_zip");
        FixtureArray x = c.inputs().get(0);
        Path p = tmp.resolve("x.npy");
        Npy.write(p, Tensor.of(x.data(), x.shape()));
        Cli r = Cli.run("predict", "--model", model(), "--input", p.toString(), "--output",
                tmp.resolve("y.npy").toString(), "--limit", "max_input_batch=1");
        assertEquals(ExitCode.BAD_INPUT, r.exitCode(), r.err());
        assertTrue(r.err().contains("has a batch of " + x.shape()[0] + ", more than the limit max_input_batch=1"),
                r.err());
        assertTrue(!Files.exists(tmp.resolve("y.npy")));
    }

    @Test
    void zeroElementInputWithAHugeBatchExits4() throws IOException {
        Path p = tmp.resolve("huge.npy");
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2147483000, 0, 3), }";
        header = header + " ".repeat(63 - (10 + header.length()) % 64) + "\n";
        byte[] h = header.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] bytes = new byte[10 + h.length];
        bytes[0] = (byte) 0x93;
        System.arraycopy("NUMPY".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, bytes, 1, 5);
        bytes[6] = 1;
        bytes[8] = (byte) h.length;
        bytes[9] = (byte) (h.length >> 8);
        System.arraycopy(h, 0, bytes, 10, h.length);
        Files.write(p, bytes);
        // tf.keras LSTM with a free time axis, (None, None, 3): the input fits and holds no values at all
        String variableTime = Fixtures.byId("external_rnn_148__functional__external_keras2_h5").modelPath().toString();
        Cli r = Cli.run("predict", "--model", variableTime, "--input", p.toString(), "--output",
                tmp.resolve("y.npy").toString());
        assertEquals(ExitCode.BAD_INPUT, r.exitCode(), r.err());
        assertTrue(r.err().startsWith("error: the input does not fit the model: input 'input_125' has a batch of"
                + " 2147483000, more than the limit max_input_batch=16777216"), r.err());
    }

    @Test
    void unknownLimitOrBadValueIsAUsageError() {
        Cli r = Cli.run("inspect", model(), "--limit", "max_lyers=3");
        assertEquals(ExitCode.USAGE, r.exitCode());
        assertTrue(r.err().startsWith("error: --limit: unknown limit 'max_lyers' (known: max_json_bytes,"), r.err());
        r = Cli.run("inspect", model(), "--limit", "max_layers=lots");
        assertEquals(ExitCode.USAGE, r.exitCode());
        assertTrue(r.err().contains("--limit max_layers=lots: expected a count such as 50000, 64m or 2g"), r.err());
        r = Cli.run("inspect", model(), "--limit", "max_layers");
        assertEquals(ExitCode.USAGE, r.exitCode(), r.err());
    }

    @Test
    void helpListsTheLimits() {
        Cli r = Cli.run("inspect", "--help");
        assertTrue(r.out().contains("--limit=NAME=N") && r.out().contains("max_compression_ratio"), r.out());
    }
}
