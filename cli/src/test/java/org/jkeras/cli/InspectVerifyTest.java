package org.jkeras.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code jkeras inspect --verify}: runs the test cases a .keras file carries (copies of keras-import's
 * verify_ok.keras and verify_tampered.keras, made by test-fixtures/add_verify_cases.py); a file whose outputs match
 * Keras's says so, one that does not exits 3 naming the case, a file without cases exits 3 saying how to add them.
 */
class InspectVerifyTest {
    private static String file(String name) throws URISyntaxException {
        return Path.of(InspectVerifyTest.class.getResource("verify/" + name).toURI()).toString();
    }

    @Test
    void matchingCasesAreReported() throws URISyntaxException {
        Cli r = Cli.run("inspect", "--verify", file("verify_ok.keras"));
        assertEquals(ExitCode.OK, r.exitCode(), r.err());
        assertTrue(r.out().matches("(?s).*\\nverified: +2 case\\(s\\) from Keras 3\\.[0-9.]+ \\(atol 1\\.0E-5, rtol"
                + " 1\\.0E-5\\)\\n.*"), r.out());
    }

    @Test
    void mismatchingCasesExit3() throws URISyntaxException {
        Cli r = Cli.run("inspect", "--verify", file("verify_tampered.keras"));
        assertEquals(ExitCode.BAD_MODEL, r.exitCode(), r.out());
        assertTrue(r.err().startsWith("error: " + file("verify_tampered.keras")
                + ": verification case 0, output 0 (out): element"), r.err()); // the full path, as every error names it
        assertEquals(ExitCode.OK, Cli.run("inspect", file("verify_tampered.keras")).exitCode());
    }

    @Test
    void fileWithoutCasesExits3() {
        String plain = org.jkeras.fixtures.Fixtures.byId("lstm_last_dense__sequential__keras_zip").modelPath()
                .toString();
        Cli r = Cli.run("inspect", "--verify", plain);
        assertEquals(ExitCode.BAD_MODEL, r.exitCode());
        assertTrue(r.err().contains("carries no test cases") && r.err().contains("add_verify_cases.py"), r.err());
    }
}
