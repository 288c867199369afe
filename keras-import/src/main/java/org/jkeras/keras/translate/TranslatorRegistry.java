package org.jkeras.keras.translate;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.format.LayerWeights;
import org.jkeras.runtime.tensor.Shape;
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
    private static final Set<String> NOT_YET = Set.of(
            "ConvLSTM1D", "ConvLSTM2D", "StackedRNNCells", "Conv2D",
            "Convolution1D", "MaxPool1D", "AvgPool1D", "SeparableConv1D", "DepthwiseConv1D", "Conv1DTranspose",
            "GroupNormalization", "SpectralNormalization");
    private static final Set<String> CODE = Set.of("Lambda", "TFOpLambda", "SlicingOpLambda");
    private static final Set<String> NESTED = Set.of("Sequential", "Functional", "Model");

    private final Map<String, LayerTranslator> translators;
    private final Map<String, MultiInputTranslator> multiInput;
    private final Map<String, LayerTranslator> custom;

    /** The registry of all supported layers. */
    public TranslatorRegistry() {
        this(Map.of());
    }

    /**
     * The registry of all supported layers and of the user's implementations of custom Keras classes, keyed by
     * registered name ({@code my_pkg>MyLayer}) or class name ({@code MyLayer}).
     */
    public TranslatorRegistry(Map<String, LayerTranslator> customLayers) {
        this.custom = Map.copyOf(customLayers);
        LayerTranslator dropout = SimpleTranslators.dropout();
        this.translators = Map.ofEntries(
                Map.entry("LSTM", new LstmTranslator()),
                Map.entry("GRU", new GruTranslator()),
                Map.entry("CuDNNLSTM", new CudnnTranslator(true)),
                Map.entry("CuDNNGRU", new CudnnTranslator(false)),
                Map.entry("SimpleRNN", new SimpleRnnTranslator()),
                Map.entry("RNN", new RnnTranslator(this)),
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
                Map.entry("Masking", SimpleTranslators.masking()),
                Map.entry("Embedding", new EmbeddingTranslator()));
        java.util.Map<String, MultiInputTranslator> multi = new java.util.HashMap<>(MergeTranslators.all());
        multi.put("Attention", AttentionTranslators.attention());
        multi.put("AdditiveAttention", AttentionTranslators.additive());
        multi.put("MultiHeadAttention", new MultiHeadAttentionTranslator());
        this.multiInput = Map.copyOf(multi);
    }

    /** Keras classes whose call takes {@code initial_state} (Keras 2 lists the states after the sequence). */
    private static final Set<String> RECURRENT = Set.of("LSTM", "GRU", "SimpleRNN", "Bidirectional", "RNN",
            "CuDNNLSTM", "CuDNNGRU");

    /** True for MultiHeadAttention, whose calls may pass {@code value} and {@code key} as keyword arguments. */
    public static boolean takesQueryValueKey(String className) {
        return "MultiHeadAttention".equals(className);
    }

    /** True for a recurrent Keras class, whose calls may pass {@code initial_state} tensors. */
    public static boolean takesInitialState(String className) {
        return RECURRENT.contains(className);
    }

    /** True for a Keras class called on a list of tensors (a merge layer), which {@link MultiInputTranslator}s take. */
    public boolean takesInputList(String className) {
        return multiInput.containsKey(className);
    }

    /** Keras classes whose translators read the non-tensor keyword arguments of their calls. */
    private static final Set<String> READS_KWARGS = Set.of("Attention", "AdditiveAttention", "MultiHeadAttention");

    /** True for a class whose translator reads its call's keyword arguments ({@link CallKwargs}). */
    public boolean readsCallKwargs(String className) {
        return READS_KWARGS.contains(className);
    }

    /**
     * Translates a top-level layer called on {@code inputs} (its positional inputs: one tensor, or a merge layer's
     * list), noting what its config says about training.
     */
    public Layer translate(LayerSpec spec, List<Shape> inputs, TranslationContext ctx) {
        return translate(spec, inputs, CallKwargs.NONE, ctx);
    }

    /** Translates a top-level layer as {@link #translate(LayerSpec, List, TranslationContext)}, given its call's kwargs. */
    public Layer translate(LayerSpec spec, List<Shape> inputs, CallKwargs call, TranslationContext ctx) {
        MultiInputTranslator m = multiInput.get(spec.className());
        if (m == null) {
            if (inputs.size() != 1) {
                throw ctx.error(spec, "is called on " + inputs.size() + " tensors, but a " + spec.className()
                        + " takes one input");
            }
            return translate(spec, inputs.get(0), ctx);
        }
        refuseUnsupported(spec, ctx);
        requireFloat32(spec, ctx);
        Layer layer;
        try {
            layer = m.translate(spec, inputs, call, ctx.weightsOf(spec), ctx);
        } catch (KerasImportException e) {
            throw e;
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw ctx.error(spec, e.getMessage());
        }
        ctx.training().record(spec);
        return layer;
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
        refuseCode(spec, ctx);
        LayerTranslator t = customTranslator(spec);
        if (t != null) {
            return translateCustom(t, spec, input, weights, ctx);
        }
        refuseUnsupported(spec, ctx);
        t = translators.get(cls);
        if (t == null) {
            throw ctx.error(spec, "a " + cls + " takes a list of inputs, called here on one tensor " + input);
        }
        requireFloat32(spec, ctx);
        ctx.enter(spec);
        try {
            return t.translate(spec, input, weights, ctx);
        } catch (KerasImportException e) {
            throw e;
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw ctx.error(spec, e.getMessage());
        } finally {
            ctx.exit();
        }
    }

    /** Refuses code layers and nested models, even when the user registered a translator under their names. */
    private static void refuseCode(LayerSpec spec, TranslationContext ctx) {
        String cls = spec.className();
        if (CODE.contains(cls)) {
            throw ctx.error(spec, "Lambda layers hold Python code; jkeras never runs code from a model file."
                    + " Replace the Lambda with built-in layers and re-save the model");
        }
        if (NESTED.contains(cls)) {
            throw ctx.error(spec, "a nested model (a " + cls + ") inside a wrapper layer (TimeDistributed,"
                    + " Bidirectional) is not supported; nested models are supported as layers of a Sequential or"
                    + " Functional model");
        }
    }

    /** Refuses classes without a translator, naming the supported ones. */
    private void refuseUnsupported(LayerSpec spec, TranslationContext ctx) {
        String cls = spec.className();
        if (!translators.containsKey(cls) && !multiInput.containsKey(cls)) {
            String what = NOT_YET.contains(cls) ? "is not supported yet" : "is an unknown layer class";
            java.util.Set<String> known = new java.util.TreeSet<>(translators.keySet());
            known.addAll(multiInput.keySet());
            throw ctx.error(spec, "the Keras class " + org.jkeras.keras.Echo.of(cls) + " " + what + " (supported: "
                    + String.join(", ", known) + ")");
        }
    }

    /** The user's translator for the layer's registered name, else for its class name, or null. */
    private LayerTranslator customTranslator(LayerSpec spec) {
        LayerTranslator t = spec.registeredName() == null ? null : custom.get(spec.registeredName());
        return t != null ? t : custom.get(spec.className());
    }

    private static Layer translateCustom(LayerTranslator t, LayerSpec spec, Shape input, LayerWeights weights,
                                         TranslationContext ctx) {
        Layer layer;
        ctx.enter(spec);
        try {
            layer = t.translate(spec, input, weights, ctx);
        } catch (KerasImportException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new KerasImportException(ctx.fileName() + ": " + spec.describe() + ": the registered implementation"
                    + " failed: " + e, e);
        } finally {
            ctx.exit();
        }
        if (layer == null || !spec.name().equals(layer.name())) {
            throw ctx.error(spec, "the registered implementation must return a layer named '" + spec.name()
                    + "', got " + (layer == null ? "null" : "'" + layer.name() + "'"));
        }
        return layer;
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
                throw ctx.error(spec, "field '" + field + "' is " + org.jkeras.keras.config.ConfigNode.abbreviate(d)
                        + ": only float32 models are supported");
            }
        }
    }

    /** True when a class is the model input marker. */
    public static boolean isInputLayer(String className) {
        return "InputLayer".equals(className);
    }
}
