package org.jkeras.cli;

import java.util.ArrayList;
import java.util.List;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.training.loss.Loss;
import org.jkeras.runtime.training.optimizer.Optimizer;

/** How training settings read in text. */
final class TrainingText {
    private TrainingText() {
    }

    /** {@code Adam (learning_rate=0.001)}, or with a schedule {@code Adam (learning_rate=ExponentialDecay)}. */
    static String optimizer(Optimizer o) {
        String rate = o.schedule() != null ? o.schedule().kind() : number(o.constantLearningRate());
        return o.kind() + " (learning_rate=" + rate + ")";
    }

    /** The losses' names, one per output; {@code out_a: mse, out_b: mae} when there are several. */
    static String losses(Model model, List<Loss> losses) {
        if (losses.size() == 1) {
            return losses.get(0).name();
        }
        List<String> outputs = TrainingSetup.outputNames(model);
        List<String> parts = new ArrayList<>();
        for (int k = 0; k < losses.size(); k++) {
            parts.add((k < outputs.size() ? outputs.get(k) + ": " : "") + losses.get(k).name());
        }
        return String.join(", ", parts);
    }

    /** A float32 value as its shortest decimal ({@code 0.001}, {@code 5.2147983E-4}): exact and parseable. */
    static String number(double v) {
        return Float.toString((float) v);
    }
}
