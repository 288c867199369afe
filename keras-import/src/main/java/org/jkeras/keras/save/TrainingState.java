package org.jkeras.keras.save;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * What Keras needs to go on training a saved model: how it was compiled and the optimizer's state.
 *
 * <p>{@code compileConfig} is Keras's {@code model.get_compile_config()}, the {@code compile_config}
 * of a {@code .keras} file's {@code config.json}: {@code {"optimizer": {"module": "keras.optimizers",
 * "class_name": "Adam", "config": {...}, "registered_name": null}, "loss": "mse", "loss_weights": null,
 * "metrics": null, ...}}. {@code optimizerVariables} are {@code model.optimizer.variables} in Keras's
 * order: for the built-in optimizers {@code iteration} (int64 scalar), {@code learning_rate} (float32
 * scalar), then per trainable variable (in {@code model.trainable_variables} order) its slots
 * interleaved, e.g. Adam's momentum then velocity. {@code load_model(compile=True)} compiles the model,
 * builds the optimizer and assigns these by position; a count that does not match the optimizer's
 * makes Keras skip them with a warning, so Java cannot check more than shapes and dtypes.
 *
 * @param compileConfig      the compile config (a JSON object), or null to keep the one the model was loaded with
 * @param optimizerVariables the optimizer's variables in Keras's order; empty for none
 */
public record TrainingState(JsonNode compileConfig, List<OptimizerVariable> optimizerVariables) {
    /** Checks the compile config is an object; copies. */
    public TrainingState {
        if (compileConfig != null && !compileConfig.isObject()) {
            throw new IllegalArgumentException("a compile config must be a JSON object, got " + compileConfig);
        }
        compileConfig = compileConfig == null ? null : compileConfig.deepCopy();
        optimizerVariables = List.copyOf(optimizerVariables);
    }

    /**
     * No compile config change and no optimizer state: what a plain save writes.
     *
     * @return the empty state
     */
    public static TrainingState none() {
        return new TrainingState(null, List.of());
    }

    /**
     * The compile config (a copy), or null.
     *
     * @return the Keras {@code compile_config} to write, or null to keep the origin's
     */
    @Override
    public JsonNode compileConfig() {
        return compileConfig == null ? null : compileConfig.deepCopy();
    }
}
