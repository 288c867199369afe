package org.jkeras.runtime;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jkeras.runtime.training.loss.Loss;
import org.jkeras.runtime.training.optimizer.Optimizer;
import org.jkeras.runtime.training.regularizer.Regularizer;

/**
 * What a model file says about training it, as the importer read it: the compiled optimizer and
 * losses (the defaults when a fit names none), which weights are frozen, the regularizers that add
 * to the loss, and anything the file asks for that jkeras cannot train faithfully (then fitting is
 * refused with that reason rather than silently training something else).
 *
 * @param optimizer            the compiled optimizer, or null when the file has none
 * @param losses               one loss per model output, or empty when the file has none
 * @param lossWeights          one weight per output (Keras's {@code loss_weights}), or empty for all 1
 * @param metrics              metric names per Keras's compile ({@code mae}, {@code accuracy}, ...), applied to
 *                             every output, fed without sample weights as Keras does
 * @param weightedMetrics      Keras's {@code weighted_metrics}: likewise, fed the sample weights
 * @param frozen               weights ({@code layer/weight}) or whole layers ({@code layer}) with
 *                             {@code trainable=False}
 * @param weightRegularizers   per weight ({@code layer/weight}): its kernel/recurrent/bias regularizer
 * @param activityRegularizers per layer name: the regularizer of its output
 * @param refusals             reasons this model cannot be trained faithfully (e.g. a weight constraint)
 * @param compileProblems      why parts of the file's compile config could not be used (e.g. an optimizer jkeras
 *                             does not implement); a fit that names its own optimizer and loss is not affected
 */
public record TrainingDefaults(Optimizer optimizer, List<Loss> losses, List<Float> lossWeights, List<String> metrics,
                               List<String> weightedMetrics, Set<String> frozen, Map<String, Regularizer> weightRegularizers,
                               Map<String, Regularizer> activityRegularizers, List<String> refusals,
                               List<String> compileProblems) {
    /** Nothing recorded: every weight trainable, no regularizers, no compiled optimizer or loss. */
    public static final TrainingDefaults NONE = new TrainingDefaults(null, List.of(), List.of(), List.of(), List.of(), Set.of(),
            Map.of(), Map.of(), List.of(), List.of());

    /** Copies every collection. */
    public TrainingDefaults {
        losses = List.copyOf(losses);
        lossWeights = List.copyOf(lossWeights);
        metrics = List.copyOf(metrics);
        weightedMetrics = List.copyOf(weightedMetrics);
        frozen = Set.copyOf(frozen);
        weightRegularizers = Map.copyOf(weightRegularizers);
        activityRegularizers = Map.copyOf(activityRegularizers);
        refusals = List.copyOf(refusals);
        compileProblems = List.copyOf(compileProblems);
    }
}
