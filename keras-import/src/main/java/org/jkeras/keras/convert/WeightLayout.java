package org.jkeras.keras.convert;

import org.jkeras.keras.save.VarGroup;
import org.jkeras.keras.save.LayerSlot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.graph.Keras3Paths;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.layers.Bidirectional;
import org.jkeras.runtime.layers.Layer;
import org.jkeras.runtime.layers.TimeDistributed;
import org.jkeras.runtime.layers.Weight;
import org.jkeras.runtime.layers.WeightSpec;
import tools.jackson.databind.JsonNode;

/**
 * Where Keras 3 stores each layer's weights, mirroring {@code saving_lib._save_state}: a layer at
 * {@code layers/<class>[_n]} (see {@link org.jkeras.keras.graph.Keras3Paths}); an RNN's variables under its {@code cell}
 * ({@code lstm_cell}, {@code gru_cell}, {@code simple_rnn_cell}); a TimeDistributed's inner layer under
 * {@code layer}; an RNN over StackedRNNCells its cells' under {@code cell/cells/<cell class>[_n]}; a Bidirectional's
 * halves under {@code forward_layer} and {@code backward_layer}; Dense
 * and Embedding variables (and those of the other layers without sublayers) directly in the layer's
 * {@code vars}.
 */
public final class WeightLayout {
    private WeightLayout() {
    }

    /**
     * The slots of a model's layers.
     *
     * @param layers     the config's layer list ({@code {"class_name", "config", ...}} entries)
     * @param sequential true for a Sequential model, whose InputLayer has no Keras 3 path
     * @param model      the runtime layers, which supply kinds, weight names and shapes
     */
    static List<LayerSlot> of(List<JsonNode> layers, boolean sequential, List<Layer> model, String file) {
        Map<String, Layer> byName = new HashMap<>();
        for (Layer l : model) {
            byName.put(l.name(), l);
        }
        Keras3Paths paths = new Keras3Paths();
        List<LayerSlot> slots = new ArrayList<>();
        for (JsonNode entry : layers) {
            String cls = entry.path("class_name").asString("");
            JsonNode config = entry.path("config");
            String name = entry.hasNonNull("name") ? entry.get("name").asString() : config.path("name").asString("");
            if (sequential && "InputLayer".equals(cls)) {
                continue;
            }
            String path = paths.next(cls);
            Layer layer = byName.get(name);
            if (layer == null) {
                // Keras 3 ops recorded by compute_mask (NotEqual, Any) are no layers and hold no weights
                boolean op = entry.path("module").asString("").startsWith("keras.src.ops");
                if (Set.of("Sequential", "Functional", "Model").contains(cls)) {
                    throw new KerasImportException(file + ": layer '" + name + "' is a nested " + cls
                            + " (a model used as a layer); writing models with nested models back is not supported"
                            + " yet");
                }
                if (!"InputLayer".equals(cls) && !op) {
                    throw new KerasImportException(file + ": layer '" + name + "' (" + cls + ") of the config has no"
                            + " runtime layer");
                }
                continue;
            }
            List<VarGroup> groups = new ArrayList<>();
            groups(path, layer, file, groups, null); // names and shapes only: nothing unpacked at load
            if (!groups.isEmpty()) {
                slots.add(new LayerSlot(name, layer.kind(), path, groups));
            }
        }
        return slots;
    }

    /**
     * The groups of a runtime layer at {@code path} and, in {@code values}, each group's current values (null: only
     * the groups, from the layer's {@link Layer#weightSpecs()}, without unpacking or copying any weight).
     *
     * @throws KerasImportException when the layer has weights in a place Keras 3 has no path for
     */
    public static void groups(String path, Layer layer, String file, List<VarGroup> out, List<List<Tensor>> values) {
        switch (layer.kind()) {
            case "LSTM" -> add(path + "/cell/vars", "lstm_cell", layer, out, values);
            case "GRU" -> add(path + "/cell/vars", "gru_cell", layer, out, values);
            case "SimpleRNN" -> add(path + "/cell/vars", "simple_rnn_cell", layer, out, values);
            case "Dense", "Embedding", "PReLU", "Conv1D", "BatchNormalization", "LayerNormalization", "Attention",
                 "AdditiveAttention",
                 "RMSNormalization" -> add(path + "/vars", layer.name(), layer, out, values);
            case "MultiHeadAttention" -> {
                // Keras 3 keeps each EinsumDense sublayer's kernel (and bias) under its attribute's name
                String[][] subs = {{"query", "query_dense"}, {"key", "key_dense"}, {"value", "value_dense"},
                        {"attention_output", "output_dense"}};
                for (String[] sub : subs) {
                    addPrefixed(path + "/" + sub[1] + "/vars", sub[0], layer, out, values);
                }
            }
            case "TimeDistributed" -> groups(path + "/layer", ((TimeDistributed) layer).inner(), file, out, values);
            case "RNN" -> {
                // RNN(StackedRNNCells): cell/cells/<snake_case cell class>[_n], numbered per class as Keras 3 does
                org.jkeras.keras.graph.Keras3Paths cells = new org.jkeras.keras.graph.Keras3Paths();
                for (org.jkeras.runtime.layers.RecurrentBase c : ((org.jkeras.runtime.layers.StackedRnn) layer).cells()) {
                    String cell = cells.next(c.kind() + "Cell").replaceFirst("^layers/", "cells/");
                    add(path + "/cell/" + cell + "/vars", c.name(), c, out, values);
                }
            }
            case "Bidirectional" -> {
                Bidirectional b = (Bidirectional) layer;
                groups(path + "/forward_layer", b.forwardLayer(), file, out, values);
                groups(path + "/backward_layer", b.backwardLayer(), file, out, values);
            }
            default -> {
                if (!layer.weightSpecs().isEmpty()) {
                    throw new KerasImportException(file + ": layer '" + layer.name() + "' (" + layer.kind()
                            + ") has weights but jkeras does not know where Keras 3 stores them");
                }
            }
        }
    }

    /** The layer's weights named {@code prefix/...} as one group (their names without the prefix). */
    private static void addPrefixed(String path, String prefix, Layer layer, List<VarGroup> out,
                                    List<List<Tensor>> values) {
        List<String> names = new ArrayList<>();
        List<int[]> shapes = new ArrayList<>();
        List<Tensor> tensors = new ArrayList<>();
        for (WeightSpec w : layer.weightSpecs()) {
            if (w.name().startsWith(prefix + "/")) {
                names.add(w.name().substring(prefix.length() + 1));
                shapes.add(w.shape());
            }
        }
        if (values != null) {
            for (Weight w : layer.weights()) {
                if (w.name().startsWith(prefix + "/")) {
                    tensors.add(w.value());
                }
            }
            values.add(tensors);
        }
        out.add(new VarGroup(path, prefix, names, shapes));
    }

    private static void add(String path, String name, Layer layer, List<VarGroup> out, List<List<Tensor>> values) {
        List<String> names = new ArrayList<>();
        List<int[]> shapes = new ArrayList<>();
        if (values == null) {
            for (WeightSpec w : layer.weightSpecs()) {
                names.add(w.name());
                shapes.add(w.shape());
            }
        } else {
            List<Tensor> tensors = new ArrayList<>();
            for (Weight w : layer.weights()) {
                names.add(w.name());
                shapes.add(w.value().shape());
                tensors.add(w.value());
            }
            values.add(tensors);
        }
        out.add(new VarGroup(path, name, names, shapes));
    }
}
