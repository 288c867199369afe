package org.jkeras.keras.compile;

import java.util.List;
import org.jkeras.runtime.training.loss.OutputLoss;
import org.jkeras.runtime.training.optimizer.Optimizer;
import tools.jackson.databind.JsonNode;

/**
 * What a saved model was compiled with, read by {@link CompileConfigs}.
 *
 * @param optimizer       the optimizer, or null when the config has none
 * @param losses          one entry per output that has a loss, in output order (empty: no loss)
 * @param metrics         per output, the configs of its {@code metrics} (fed unweighted in {@code fit});
 *                        resolve each with {@link MetricConfigs#fromKeras} and the output's shapes
 * @param weightedMetrics per output, the configs of its {@code weighted_metrics} (fed the sample weights)
 * @param source          the config as read (a Keras 3 {@code compile_config} or a legacy {@code training_config})
 */
public record CompileConfig(Optimizer optimizer, List<OutputLoss> losses, List<List<JsonNode>> metrics,
                            List<List<JsonNode>> weightedMetrics, JsonNode source) {
    /** Copies the lists. */
    public CompileConfig {
        losses = List.copyOf(losses);
        metrics = metrics.stream().map(List::copyOf).toList();
        weightedMetrics = weightedMetrics.stream().map(List::copyOf).toList();
    }
}
