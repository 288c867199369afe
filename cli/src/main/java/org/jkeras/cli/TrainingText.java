package org.jkeras.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.TrainingDefaults;
import org.jkeras.runtime.training.loss.Loss;
import org.jkeras.runtime.training.optimizer.Optimizer;

/** How training settings read in text: for {@code inspect} and {@code finetune}. */
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

    /**
     * The lines {@code inspect} adds: what the file compiled (optimizer, loss, metrics), the frozen layers and
     * weights, and why jkeras would refuse to train the model.
     */
    static List<String> inspectLines(Model model) {
        TrainingDefaults d = model.trainingDefaults();
        List<String> lines = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        if (d.optimizer() != null) {
            parts.add("optimizer " + optimizer(d.optimizer()));
        }
        if (!d.losses().isEmpty()) {
            parts.add("loss " + losses(model, d.losses()));
        }
        if (!d.lossWeights().isEmpty()) {
            parts.add("loss_weights " + d.lossWeights().stream().map(TrainingText::number).toList());
        }
        if (!d.metrics().isEmpty()) {
            parts.add("metrics " + String.join(", ", d.metrics()));
        }
        lines.add("Compiled:      " + (parts.isEmpty() ? "no" : String.join("; ", parts)));
        for (String p : d.compileProblems()) {
            lines.add("  not usable:  " + p);
        }
        if (!d.frozen().isEmpty()) {
            lines.add("Frozen:        " + String.join(", ", new TreeSet<>(d.frozen())) + " (trainable=False)");
        }
        for (String r : d.refusals()) {
            lines.add("Not trainable: " + r);
        }
        return lines;
    }

    /** A float32 value as its shortest decimal ({@code 0.001}, {@code 5.2147983E-4}): exact and parseable. */
    static String number(double v) {
        return Float.toString((float) v);
    }
}
