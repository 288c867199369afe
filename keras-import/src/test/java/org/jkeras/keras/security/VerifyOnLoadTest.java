package org.jkeras.keras.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jkeras.keras.KerasModels;
import org.jkeras.keras.LoadOptions;
import org.jkeras.runtime.Model;
import org.junit.jupiter.api.Test;

/**
 * Verify-on-load on files that {@code test-fixtures/add_verify_cases.py} gave Keras's own test cases: a sound
 * file loads and says it was verified, one whose weights were changed after the cases were recorded is refused
 * naming the case, output and element, and asking for verification of a file without cases is an error.
 */
class VerifyOnLoadTest {
    private static final LoadOptions VERIFY = LoadOptions.builder().verify(true).build();

    @Test
    void fileWhoseCasesMatchLoadsAndSaysSo() {
        Model m = KerasModels.load(MalformedFiles.file("verify_ok.keras"), null, VERIFY);
        assertTrue(m.metadata().get("verified").startsWith("2 case(s) from Keras 3."), m.metadata().toString());
        assertTrue(m.metadata().get("verified").endsWith("(atol 1.0E-5, rtol 1.0E-5)"), m.metadata().toString());
        assertNull(KerasModels.load(MalformedFiles.file("verify_ok.keras")).metadata().get("verified"));
    }

    @Test
    void everyOutputOfAMultiOutputModelIsChecked() {
        Model m = KerasModels.load(MalformedFiles.file("verify_multi_output.keras"), null, VERIFY);
        assertEquals(7, m.outputNames().size());
        assertTrue(m.metadata().get("verified").startsWith("1 case(s)"), m.metadata().toString());
    }

    @Test
    void fileWhoseWeightsChangedAfterTheCasesIsRefused() {
        MalformedFiles.assertRefused(MalformedFiles.file("verify_tampered.keras"), null, VERIFY,
                "verify_tampered.keras: verification case 0, output 0 (out): element ", " in Keras, beyond atol 1.0E-5",
                "the model is refused");
        KerasModels.load(MalformedFiles.file("verify_tampered.keras")); // loads when not verifying
    }

    @Test
    void verifyingAFileWithoutCasesIsRefused() {
        MalformedFiles.assertRefused(MalformedFiles.file("base_seq.keras"), null, VERIFY,
                "base_seq.keras: verification was asked for but the file carries no test cases",
                "add_verify_cases.py");
        MalformedFiles.assertRefused(MalformedFiles.file("base_seq.h5"), null, VERIFY,
                "verification cases are stored in a .keras file");
    }

    @Test
    void malformedCasesAreRefused() {
        MalformedFiles.assertRefused(MalformedFiles.file("verify_bad_cases.keras"), null, VERIFY,
                "assets/jkeras_verify/cases.json: case 1: no dataset 'case1/nothing'");
    }
}
