package org.jkeras.runtime.training.metric;

import java.util.Locale;

/**
 * Resolves Keras metric names as {@code model.compile(metrics=[...])} does
 * ({@code compile_utils.get_metric}).
 */
public final class Metrics {
    private Metrics() {
    }

    /**
     * The metric for a compile string, reported under that string.
     *
     * <p>{@code "accuracy"} / {@code "acc"} (any case) depend on the shapes of one output, as in
     * Keras 3 (not on the loss, unlike Keras 2): {@link BinaryAccuracy} when the prediction's last
     * dimension is 1; else {@link SparseCategoricalAccuracy} when {@code y_true} has lower rank than
     * {@code y_pred} or ends in 1; else {@link CategoricalAccuracy}.
     *
     * @param identifier the name as given to Keras's {@code compile}, e.g. {@code "mae"} or {@code "accuracy"}
     * @param yTrueShape the shape of the output's targets
     * @param yPredShape the shape of the output's predictions
     * @throws IllegalArgumentException for a name jkeras does not implement, listing those it does
     * @return a new metric, reset, reported under {@code identifier}
     */
    public static Metric resolve(String identifier, int[] yTrueShape, int[] yPredShape) {
        String lower = identifier.toLowerCase(Locale.ROOT);
        if (lower.equals("accuracy") || lower.equals("acc")) {
            int yTrueLast = yTrueShape.length == 0 ? 1 : yTrueShape[yTrueShape.length - 1];
            int yPredLast = yPredShape.length == 0 ? 1 : yPredShape[yPredShape.length - 1];
            if (yPredLast == 1) {
                return new BinaryAccuracy(identifier, 0.5);
            }
            if (yTrueShape.length < yPredShape.length || (yTrueLast == 1 && yPredLast > 1)) {
                return new SparseCategoricalAccuracy(identifier);
            }
            return new CategoricalAccuracy(identifier);
        }
        return switch (identifier) {
            case "mse", "MSE", "mean_squared_error", "MeanSquaredError" -> new MeanSquaredError(identifier);
            case "mae", "MAE", "mean_absolute_error", "MeanAbsoluteError" -> new MeanAbsoluteError(identifier);
            case "binary_accuracy", "BinaryAccuracy" -> new BinaryAccuracy(identifier, 0.5);
            case "categorical_accuracy", "CategoricalAccuracy" -> new CategoricalAccuracy(identifier);
            case "sparse_categorical_accuracy", "SparseCategoricalAccuracy" -> new SparseCategoricalAccuracy(identifier);
            default -> throw new IllegalArgumentException("metric '" + identifier + "' is not supported; supported:"
                    + " accuracy, acc, mse, mae, mean_squared_error, mean_absolute_error, binary_accuracy,"
                    + " categorical_accuracy, sparse_categorical_accuracy (and their class names)");
        };
    }
}
