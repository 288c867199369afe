package org.jkeras.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jkeras.runtime.Model;

/**
 * {@code jkeras inspect}'s report: where the model came from, how it was compiled (optimizer, loss,
 * metrics, frozen layers, what jkeras would refuse to train), then the library's Keras-style
 * {@link Model#summary()}.
 */
final class ModelSummary {
    private static final Map<String, String> FORMATS = Map.of(
            "keras_zip", "Keras 3 .keras archive",
            "legacy_h5", "legacy HDF5 (.h5)",
            "json", "JSON config with separate weights");

    private ModelSummary() {
    }

    /** The summary lines for {@code model}, loaded from {@code file} (and {@code weights}, or null). */
    static List<String> of(Model model, Path file, Path weights) {
        List<String> lines = new ArrayList<>();
        Map<String, String> meta = new TreeMap<>(model.metadata());
        lines.add("Model file:    " + file);
        if (weights != null) {
            lines.add("Weights file:  " + weights);
        }
        String format = meta.remove("format");
        lines.add("Format:        " + (format == null ? "unknown"
                : FORMATS.containsKey(format) ? FORMATS.get(format) + " (" + format + ")" : format));
        String keras = meta.remove("keras_version");
        String backend = meta.remove("backend");
        lines.add("Written by:    Keras " + (keras == null ? "(version not recorded)" : keras)
                + (backend == null ? "" : ", backend " + backend));
        meta.remove("source"); // the file name, already shown
        meta.forEach((k, v) -> lines.add(Text.pad(k + ":", 15) + v));
        lines.addAll(TrainingText.inspectLines(model));
        lines.add("");
        lines.addAll(model.summary().lines().toList());
        return lines.stream().map(Text::safe).toList();
    }
}
