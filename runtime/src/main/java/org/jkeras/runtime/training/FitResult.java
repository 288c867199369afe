package org.jkeras.runtime.training;

import java.util.List;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.training.loss.Loss;
import org.jkeras.runtime.training.optimizer.NamedArray;
import org.jkeras.runtime.training.optimizer.Optimizer;

/**
 * What {@link Fit#run()} returns.
 *
 * @param model          an immutable model with the trained weights (the source model is unchanged)
 * @param history        the per-epoch losses and metrics
 * @param optimizer      the optimizer trained with
 * @param optimizerState its variables in Keras's order ({@code iteration}, {@code learning_rate}, slots), to save
 *                       beside the model so training can continue in Keras or jkeras
 * @param stoppedEarly   true when a callback or {@link StopSignal} ended the fit before its last epoch
 * @param losses         the loss of each output trained with
 * @param lossWeights    their weights, or empty for all 1
 * @param metrics        the metric names logged
 * @param weightedMetrics the weighted metric names logged
 */
public record FitResult(Model model, History history, Optimizer optimizer, List<NamedArray> optimizerState,
                        boolean stoppedEarly, List<Loss> losses, List<Float> lossWeights, List<String> metrics,
                        List<String> weightedMetrics) {
    /** Copies the lists. */
    public FitResult {
        optimizerState = List.copyOf(optimizerState);
        losses = List.copyOf(losses);
        lossWeights = List.copyOf(lossWeights);
        metrics = List.copyOf(metrics);
        weightedMetrics = List.copyOf(weightedMetrics);
    }
}
