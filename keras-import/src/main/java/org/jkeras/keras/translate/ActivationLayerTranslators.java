package org.jkeras.keras.translate;

import org.jkeras.keras.config.ConfigNode;
import org.jkeras.keras.format.LayerWeights;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.layers.Elu;
import org.jkeras.runtime.layers.PRelu;
import org.jkeras.runtime.layers.Relu;
import org.jkeras.runtime.layers.Softmax;

/**
 * The activation layers: ReLU ({@code max_value}, {@code negative_slope}, {@code threshold}), LeakyReLU (Keras 3
 * {@code negative_slope}, Keras 2 {@code alpha}; default 0.3), tf.keras 2's ThresholdedReLU ({@code theta}),
 * ELU ({@code alpha}), Softmax ({@code axis}: an int or
 * a list) and PReLU (its {@code alpha} weight, {@code shared_axes}).
 */
final class ActivationLayerTranslators {
    private ActivationLayerTranslators() {
    }

    static LayerTranslator relu() {
        return (spec, input, weights, ctx) -> {
            requireNoWeights(spec, weights, ctx);
            ConfigNode c = spec.config();
            float max = c.has("max_value") ? nonNegative(spec, ctx, "max_value", c.number("max_value", 0)) : Float.NaN;
            return new Relu(spec.name(), "ReLU", max, nonNegative(spec, ctx, "negative_slope",
                    c.number("negative_slope", 0)), nonNegative(spec, ctx, "threshold", c.number("threshold", 0)));
        };
    }

    static LayerTranslator leakyRelu() {
        return (spec, input, weights, ctx) -> {
            requireNoWeights(spec, weights, ctx);
            ConfigNode c = spec.config();
            String field = c.firstPresent("negative_slope", "alpha").orElse("negative_slope");
            return new Relu(spec.name(), "LeakyReLU", Float.NaN, nonNegative(spec, ctx, field, c.number(field, 0.3)),
                    0f);
        };
    }

    /** tf.keras 2: {@code x * (x > theta)}, which is ReLU with {@code threshold = theta}. */
    static LayerTranslator thresholdedRelu() {
        return (spec, input, weights, ctx) -> {
            requireNoWeights(spec, weights, ctx);
            return new Relu(spec.name(), "ThresholdedReLU", Float.NaN, 0f,
                    nonNegative(spec, ctx, "theta", spec.config().number("theta", 1.0)));
        };
    }

    static LayerTranslator elu() {
        return (spec, input, weights, ctx) -> {
            requireNoWeights(spec, weights, ctx);
            return new Elu(spec.name(), (float) spec.config().number("alpha", 1.0));
        };
    }

    static LayerTranslator softmax() {
        return (spec, input, weights, ctx) -> {
            requireNoWeights(spec, weights, ctx);
            int[] axes = IntLists.of(spec.config(), "axis", new int[] {-1}, -8, 8);
            Softmax s = new Softmax(spec.name(), axes);
            s.outputShape(input); // the axes must exist in the input
            return s;
        };
    }

    static LayerTranslator prelu() {
        return (spec, input, weights, ctx) -> {
            int[] shared = IntLists.of(spec.config(), "shared_axes", new int[0], 1, 8);
            int[] alphaShape = new int[input.rank() - 1];
            for (int i = 1; i < input.rank(); i++) {
                alphaShape[i - 1] = input.dim(i);
            }
            for (int a : shared) {
                if (a >= input.rank()) {
                    throw ctx.error(spec, "shared_axes " + a + " is outside the input " + input);
                }
                alphaShape[a - 1] = 1;
            }
            for (int d : alphaShape) {
                if (d == Shape.UNKNOWN) {
                    throw ctx.error(spec, "the input " + input + " has an unknown dimension that is not in"
                            + " shared_axes, so alpha's shape is not fixed");
                }
            }
            Weights.requireCount(spec, ctx, weights, 1, "alpha");
            Tensor alpha = Weights.read(spec, ctx, weights.get(0), "alpha", alphaShape);
            return new PRelu(spec.name(), alpha);
        };
    }

    private static float nonNegative(LayerSpec spec, TranslationContext ctx, String field, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw ctx.error(spec, "field '" + field + "' is " + v + "; Keras requires a finite value >= 0");
        }
        return (float) v;
    }

    static void requireNoWeights(LayerSpec spec, LayerWeights weights, TranslationContext ctx) {
        if (weights.size() != 0) {
            throw ctx.error(spec, "a " + spec.className() + " has no weights, but the file stores " + weights.size()
                    + " at " + weights.location());
        }
    }
}
