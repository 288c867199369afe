package org.jkeras.keras.verify;

import java.util.List;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.format.VerificationCases;
import org.jkeras.runtime.tensor.InputMismatchException;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Tensor;

/**
 * Verify-on-load: runs a file's test cases on the loaded model and refuses it when an output differs from
 * Keras's beyond {@code atol + rtol * |keras|} (NaN only where Keras has NaN, infinities equal), so a file whose
 * weights or config were damaged, or that jkeras would compute differently, never serves predictions.
 */
public final class Verifier {
    private Verifier() {
    }

    /**
     * Checks every case.
     *
     * @return a summary for the model's metadata, e.g. {@code "2 cases from Keras 3.15.1 (atol 1e-05, rtol 1e-05)"}
     * @throws KerasImportException naming the case, output, element, both values and the tolerance
     */
    public static String verify(Model model, VerificationCases cases, String file) {
        for (int c = 0; c < cases.cases().size(); c++) {
            VerificationCases.Case k = cases.cases().get(c);
            List<Tensor> ys;
            try {
                ys = model.predict(k.inputs());
            } catch (InputMismatchException e) {
                throw new KerasImportException(file + ": verification case " + c + " does not fit the model: "
                        + e.getMessage(), e);
            }
            if (ys.size() != k.outputs().size()) {
                throw new KerasImportException(file + ": verification case " + c + " has " + k.outputs().size()
                        + " outputs, the model " + ys.size());
            }
            for (int o = 0; o < ys.size(); o++) {
                compare(ys.get(o), k.outputs().get(o), cases, file + ": verification case " + c + ", output " + o
                        + " (" + model.outputNames().get(o) + ")");
            }
        }
        return cases.cases().size() + " case(s)" + (cases.kerasVersion() == null ? "" : " from Keras "
                + cases.kerasVersion()) + " (atol " + cases.atol() + ", rtol " + cases.rtol() + ")";
    }

    private static void compare(Tensor actual, Tensor expected, VerificationCases cases, String what) {
        if (!java.util.Arrays.equals(actual.shape(), expected.shape())) {
            throw new KerasImportException(what + ": jkeras computes shape "
                    + org.jkeras.runtime.tensor.Shape.format(actual.shape()) + ", Keras "
                    + org.jkeras.runtime.tensor.Shape.format(expected.shape()));
        }
        float[] a = actual.data();
        float[] e = expected.data();
        for (int i = 0; i < a.length; i++) {
            boolean ok = Float.isNaN(e[i]) ? Float.isNaN(a[i]) : Float.isInfinite(e[i]) ? a[i] == e[i]
                    : Math.abs((double) a[i] - e[i]) <= cases.atol() + cases.rtol() * Math.abs(e[i]);
            if (!ok) {
                throw new KerasImportException(what + ": element " + i + " is " + a[i] + " in jkeras but " + e[i]
                        + " in Keras, beyond atol " + cases.atol() + " + rtol " + cases.rtol()
                        + " (the model is refused: its file may be damaged, or jkeras computes it differently)");
            }
        }
    }
}
