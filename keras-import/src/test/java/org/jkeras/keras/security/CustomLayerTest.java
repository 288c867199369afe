package org.jkeras.keras.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.KerasModels;
import org.jkeras.keras.LoadOptions;
import org.jkeras.keras.custom.CustomLayerTranslator;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.layers.Layer;
import org.jkeras.runtime.layers.Weight;
import org.junit.jupiter.api.Test;

/**
 * The custom-layer extension point, on a model real Keras saved with a custom layer class ({@code ScaledDense},
 * registered as {@code jkeras_test>ScaledDense} in {@code make_malformed.py}): refused without an
 * implementation, it predicts what Keras predicts once a Java implementation is registered under the registered
 * name or the class name. The Java code here is the README's example.
 */
class CustomLayerTest {
    /** y = scale * tanh(x · kernel + bias), what the Python class computes. */
    record ScaledDense(String name, Tensor kernel, Tensor bias, float scale) implements Layer {
        @Override
        public String kind() {
            return "ScaledDense";
        }

        @Override
        public List<Shape> outputShapes(List<Shape> in) {
            Shape x = in.get(0);
            if (in.size() != 1 || x.rank() != 2 || x.dim(1) != kernel.dim(0)) {
                throw new IllegalArgumentException("ScaledDense '" + name + "' expects [batch, " + kernel.dim(0)
                        + "], got " + in);
            }
            return List.of(Shape.of(x.dim(0), kernel.dim(1)));
        }

        @Override
        public List<Tensor> forward(List<Tensor> inputs) {
            Tensor x = inputs.get(0);
            int rows = x.dim(0);
            int in = kernel.dim(0);
            int units = kernel.dim(1);
            float[] xd = x.data();
            float[] w = kernel.data();
            float[] y = new float[rows * units];
            for (int r = 0; r < rows; r++) {
                for (int u = 0; u < units; u++) {
                    float z = bias.data()[u];
                    for (int k = 0; k < in; k++) {
                        z += xd[r * in + k] * w[k * units + u];
                    }
                    y[r * units + u] = scale * (float) Math.tanh(z);
                }
            }
            return List.of(Tensor.wrap(y, rows, units));
        }

        @Override
        public List<Weight> weights() {
            return List.of(new Weight("kernel", kernel), new Weight("bias", bias));
        }
    }

    /** Reads the layer's config and its weights (in add_weight order) into the Java layer. */
    static final CustomLayerTranslator SCALED_DENSE = (spec, input, weights) -> {
        int units = spec.integer("units", 1, 1 << 20);
        float scale = (float) spec.number("scale", 1.0);
        int features = input.dim(-1);
        weights.requireCount(2, "kernel, bias");
        return new ScaledDense(spec.name(), weights.read(0, "kernel", features, units),
                weights.read(1, "bias", units), scale);
    };

    @Test
    void registeredImplementationPredictsWhatKerasPredicts() {
        LoadOptions options = LoadOptions.builder().customLayer("jkeras_test>ScaledDense", SCALED_DENSE).build();
        Model m = KerasModels.load(MalformedFiles.file("custom_layer.keras"), null, options);
        assertEquals("ScaledDense", m.layers().get(0).kind());
        assertEquals(3 * 4 + 4 + 4 + 1, m.parameterCount());
        MalformedFiles.assertPredictsLikeKeras("custom_layer.keras", m);
    }

    @Test
    void theClassNameWorksAsWell() {
        LoadOptions options = LoadOptions.builder().customLayer("ScaledDense", SCALED_DENSE).build();
        MalformedFiles.assertPredictsLikeKeras("custom_layer.keras",
                KerasModels.load(MalformedFiles.file("custom_layer.keras"), null, options));
    }

    @Test
    void withoutAnImplementationTheLayerIsRefusedSayingHowToSupplyOne() {
        KerasImportException e = assertThrows(KerasImportException.class,
                () -> KerasModels.load(MalformedFiles.file("custom_layer.keras")));
        assertTrue(e.getMessage().contains("layer 'scaled' (ScaledDense): uses the custom object ScaledDense"
                + " (registered_name 'jkeras_test>ScaledDense')"), e.getMessage());
        assertTrue(e.getMessage().contains("LoadOptions.builder().customLayer(name, translator)"), e.getMessage());
        LoadOptions other = LoadOptions.builder().customLayer("other_pkg>ScaledDense", SCALED_DENSE).build();
        assertThrows(KerasImportException.class,
                () -> KerasModels.load(MalformedFiles.file("custom_layer.keras"), null, other));
    }

    @Test
    void aFailingImplementationIsAnImportErrorNamingTheLayer() {
        LoadOptions broken = LoadOptions.builder().customLayer("ScaledDense", (spec, input, weights) -> {
            throw new IllegalStateException("not today");
        }).build();
        KerasImportException e = assertThrows(KerasImportException.class,
                () -> KerasModels.load(MalformedFiles.file("custom_layer.keras"), null, broken));
        assertTrue(e.getMessage().contains("layer 'scaled' (ScaledDense): the registered implementation failed:"
                + " java.lang.IllegalStateException: not today"), e.getMessage());
        LoadOptions misread = LoadOptions.builder().customLayer("ScaledDense", (spec, input, weights) ->
                new ScaledDense(spec.name(), weights.read(0, "kernel", 4, 3), weights.read(1, "bias", 4), 1f))
                .build();
        e = assertThrows(KerasImportException.class,
                () -> KerasModels.load(MalformedFiles.file("custom_layer.keras"), null, misread));
        assertTrue(e.getMessage().contains("weight 'kernel' has shape (3, 4), expected (4, 3)"), e.getMessage());
    }
}
