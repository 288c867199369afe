package org.jkeras.keras.translate;

import java.util.Map;
import java.util.Set;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.format.LayerWeights;
import org.jkeras.runtime.Shape;
import org.jkeras.runtime.layers.Layer;
import tools.jackson.databind.JsonNode;

/**
 * The translator for each supported Keras class, and clear refusals for the rest: {@code Lambda}
 * (its config is Python bytecode, which would mean running code from the file), layers known
 * but not supported yet, and anything unknown. Every layer's {@code dtype} must be float32, except that an
 * Embedding's {@code input_dtype} (Keras 1) may be an integer type: its inputs are indices.
 */
public final class TranslatorRegistry {
    /** Keras layer classes that exist but that jkeras cannot run yet. */
    private static final Set<String> NOT_YET = Set.of("Masking",
            "ConvLSTM1D", "ConvLSTM2D", "RNN", "StackedRNNCells", "Conv2D",
            "Convolution1D", "MaxPool1D", "AvgPool1D", "SeparableConv1D", "DepthwiseConv1D", "Conv1DTranspose",
            "GroupNormalization", "SpectralNormalization", "Add", "Concatenate", "Multiply",
            "Average", "Subtract", "Dot", "Attention", "MultiHeadAttention");
    private static final Set<String> CODE = Set.of("Lambda", "TFOpLambda", "SlicingOpLambda");
    private static final Set<String> NESTED = Set.of("Sequential", "Functional", "Model");

    private final Map<String, LayerTranslator> translators;

    /** The registry of all supported layers. */
    public TranslatorRegistry() {
        LayerTranslator dropout = SimpleTranslators.dropout();
        this.translators = Map.ofEntries(
                Map.entry("LSTM", new LstmTranslator()),
                Map.entry("GRU", new GruTranslator()),
                Map.entry("CuDNNLSTM", new CudnnTranslator(true)),
                Map.entry("CuDNNGRU", new CudnnTranslator(false)),
                Map.entry("SimpleRNN", new SimpleRnnTranslator()),
                Map.entry("Dense", new DenseTranslator(false)),
                Map.entry("TimeDistributedDense", new DenseTranslator(true)),
                Map.entry("TimeDistributed", new TimeDistributedTranslator(this)),
                Map.entry("Bidirectional", new BidirectionalTranslator(this)),
                Map.entry("RepeatVector", SimpleTranslators.repeatVector()),
                Map.entry("Dropout", dropout),
                Map.entry("SpatialDropout1D", dropout),
                Map.entry("GaussianNoise", dropout),
                Map.entry("GaussianDropout", dropout),
                Map.entry("AlphaDropout", dropout),
                Map.entry("Activation", SimpleTranslators.activation()),
                Map.entry("ReLU", ActivationLayerTranslators.relu()),
                Map.entry("LeakyReLU", ActivationLayerTranslators.leakyRelu()),
                Map.entry("ThresholdedReLU", ActivationLayerTranslators.thresholdedRelu()),
                Map.entry("ELU", ActivationLayerTranslators.elu()),
                Map.entry("Softmax", ActivationLayerTranslators.softmax()),
                Map.entry("PReLU", ActivationLayerTranslators.prelu()),
                Map.entry("Conv1D", new Conv1DTranslator()),
                Map.entry("MaxPooling1D", ShapeTranslators.pooling(true)),
                Map.entry("AveragePooling1D", ShapeTranslators.pooling(false)),
                Map.entry("GlobalMaxPooling1D", ShapeTranslators.globalPooling(true)),
                Map.entry("GlobalAveragePooling1D", ShapeTranslators.globalPooling(false)),
                Map.entry("Cropping1D", ShapeTranslators.cropping()),
                Map.entry("ZeroPadding1D", ShapeTranslators.zeroPadding()),
                Map.entry("UpSampling1D", ShapeTranslators.upSampling()),
                Map.entry("Reshape", ShapeTranslators.reshape()),
                Map.entry("Permute", ShapeTranslators.permute()),
                Map.entry("BatchNormalization", NormalizationTranslators.batchNormalization()),
                Map.entry("LayerNormalization", NormalizationTranslators.layerNormalization()),
                Map.entry("UnitNormalization", NormalizationTranslators.unitNormalization()),
                Map.entry("RMSNormalization", NormalizationTranslators.rmsNormalization()),
                Map.entry("Flatten", SimpleTranslators.flatten()),
                Map.entry("Embedding", new EmbeddingTranslator()));
    }

    /** Translates a top-level layer with the weights stored for it, noting what its config says about training. */
    public Layer translate(LayerSpec spec, Shape input, TranslationContext ctx) {
        Layer layer = translate(spec, input, ctx.weightsOf(spec), ctx);
        ctx.training().record(spec);
        return layer;
    }

    /** Translates a layer with the given weights (a wrapper's, for a wrapped layer). */
    public Layer translate(LayerSpec spec, Shape input, LayerWeights weights, TranslationContext ctx) {
        String cls = spec.className();
        if (CODE.contains(cls)) {
            throw ctx.error(spec, "Lambda layers hold Python code; jkeras never runs code from a model file."
                    + " Replace the Lambda with built-in layers and re-save the model");
        }
        if (NESTED.contains(cls)) {
            throw ctx.error(spec, "nested models (a " + cls + " used as a layer) are not supported yet;"
                    + " flatten the model into one Sequential or Functional model");
        }
        LayerTranslator t = translators.get(cls);
        if (t == null) {
            String what = NOT_YET.contains(cls) ? "is not supported yet" : "is an unknown layer class";
            throw ctx.error(spec, "the Keras class " + cls + " " + what + " (supported: "
                    + String.join(", ", new java.util.TreeSet<>(translators.keySet())) + ")");
        }
        requireFloat32(spec, ctx);
        try {
            return t.translate(spec, input, weights, ctx);
        } catch (KerasImportException e) {
            throw e;
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw ctx.error(spec, e.getMessage());
        }
    }

    /** Integer dtypes an Embedding's input may declare; the values still arrive as exact float32 indices. */
    private static final Set<String> INDEX_DTYPES = Set.of("int32", "int64", "int16", "int8", "uint8", "uint16",
            "uint32", "uint64");

    /**
     * The layer's dtype (a string, or a DTypePolicy object in Keras 3) must be float32; an Embedding's
     * {@code input_dtype} may also be an integer type.
     */
    private static void requireFloat32(LayerSpec spec, TranslationContext ctx) {
        for (String field : new String[] {"dtype", "input_dtype"}) {
            JsonNode d = spec.config().raw(field);
            if (d == null) {
                continue;
            }
            String name = null;
            if (d.isString()) {
                name = d.stringValue();
            } else if (d.isObject() && d.get("config") != null && d.get("config").get("name") != null) {
                name = d.get("config").get("name").asString();
            }
            boolean indices = "input_dtype".equals(field) && "Embedding".equals(spec.className())
                    && INDEX_DTYPES.contains(name);
            if (!"float32".equals(name) && !indices) {
                throw ctx.error(spec, "field '" + field + "' is " + d + ": only float32 models are supported");
            }
        }
    }

    /** True when a class is the model input marker. */
    public static boolean isInputLayer(String className) {
        return "InputLayer".equals(className);
    }
}
