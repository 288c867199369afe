package org.jkeras.cli;

import java.nio.file.Path;
import org.jkeras.runtime.Model;

/**
 * How commands obtain a model: {@code KerasModels::load} in production; tests substitute
 * models built directly from runtime layers to exercise the command line on its own.
 */
@FunctionalInterface
public interface ModelLoader {
    /**
     * Loads a model.
     *
     * @param weights a separate weights file, or null
     */
    Model load(Path model, Path weights);
}
