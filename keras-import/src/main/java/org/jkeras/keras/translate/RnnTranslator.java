package org.jkeras.keras.translate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jkeras.keras.Limit;
import org.jkeras.keras.config.ConfigNode;
import org.jkeras.keras.format.LayerWeights;
import org.jkeras.keras.graph.Keras3Paths;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.layers.Layer;
import org.jkeras.runtime.layers.RecurrentBase;
import org.jkeras.runtime.layers.StackedRnn;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Keras's generic {@code RNN(cell)} layer. Over an {@code LSTMCell}, {@code GRUCell} or {@code SimpleRNNCell} it
 * computes exactly the LSTM, GRU or SimpleRNN layer with the cell's config and the RNN's flags (Keras's LSTM is
 * {@code RNN(LSTMCell)}), and is translated as that layer: the cell's weights sit where the layer's do
 * ({@code <path>/cell/vars} in Keras 3, {@code <rnn>/<cell>/kernel} in legacy HDF5). Over {@code StackedRNNCells}
 * it becomes a {@link StackedRnn}, the flags applying to the whole stack (see there); Keras 3 stores each cell's
 * weights at {@code <path>/cell/cells/<snake_case class>[_n]/vars}, legacy HDF5 lists them cell after cell.
 * Config nesting is the same in Keras 3 and tf.keras 2: {@code cell: {class_name, config}}, a stack's cells in
 * {@code cell.config.cells}. Refused: other cell classes, nested stacks, tf.keras 2's
 * {@code reverse_state_order=True}, and training (no Keras fit fixture proves it yet).
 */
final class RnnTranslator implements LayerTranslator {
    /** The layer class each cell class is the step of. */
    private static final Map<String, String> LAYER_OF = Map.of("LSTMCell", "LSTM", "GRUCell", "GRU",
            "SimpleRNNCell", "SimpleRNN");
    /** The RNN's own fields, which the equivalent layer has too. */
    private static final List<String> FLAGS = List.of("return_sequences", "return_state", "go_backwards", "stateful",
            "unroll", "zero_output_for_mask", "time_major");

    private final TranslatorRegistry registry;

    RnnTranslator(TranslatorRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Layer translate(LayerSpec spec, Shape input, LayerWeights weights, TranslationContext ctx) {
        ConfigNode c = spec.config();
        ConfigNode cell = c.object("cell", c.where() + ": cell");
        String cls = cell.string("class_name");
        ctx.training().refuse(spec.describe() + ": training the generic RNN layer over cells (" + cls + ") is not"
                + " supported yet; re-save the model with the LSTM, GRU or SimpleRNN layer to fine-tune it");
        ConfigNode cellConfig = cell.object("config", ctx.fileName() + ": " + spec.describe() + ": cell (" + cls
                + ")");
        if ("StackedRNNCells".equals(cls)) {
            return stacked(spec, cellConfig, input, weights, ctx);
        }
        return registry.translate(asLayer(spec, ctx, cls, cellConfig, spec.name(), null), input, weights, ctx);
    }

    /** The layer the cell is the step of, named {@code name}, with the RNN's flags (or {@code flags}' if given). */
    private static LayerSpec asLayer(LayerSpec spec, TranslationContext ctx, String cellClass, ConfigNode cellConfig,
                                     String name, Map<String, Boolean> flags) {
        String layerClass = LAYER_OF.get(cellClass);
        if (layerClass == null) {
            throw ctx.error(spec, "its cell is a " + org.jkeras.keras.Echo.of(cellClass) + "; jkeras supports RNN"
                    + " over LSTMCell, GRUCell, SimpleRNNCell and StackedRNNCells of those");
        }
        ObjectNode merged = (ObjectNode) cellConfig.json().deepCopy();
        for (String f : FLAGS) {
            JsonNode v = spec.config().raw(f);
            if (v != null) {
                merged.set(f, v);
            }
        }
        if (flags != null) {
            flags.forEach(merged::put);
        }
        merged.put("name", name);
        return new LayerSpec(name, layerClass, new ConfigNode(merged, cellConfig.where()), spec.keras3Path());
    }

    private Layer stacked(LayerSpec spec, ConfigNode stackConfig, Shape input, LayerWeights weights,
                          TranslationContext ctx) {
        if (stackConfig.bool("reverse_state_order", false)) {
            throw ctx.error(spec, "StackedRNNCells with reverse_state_order=True (tf.keras 2, deprecated) is not"
                    + " supported");
        }
        if (spec.config().bool("time_major", false)) {
            throw ctx.error(spec, "time_major=True (time-major inputs) is not supported yet");
        }
        List<JsonNode> entries = stackConfig.array("cells");
        if (entries.isEmpty() || entries.size() > ctx.limit(Limit.MAX_LAYERS)) {
            throw ctx.error(spec, "StackedRNNCells holds " + entries.size() + " cells, expected 1 to "
                    + ctx.limit(Limit.MAX_LAYERS));
        }
        if (input.rank() != 3) {
            throw ctx.error(spec, "expects input [batch, time, features], got " + input);
        }
        boolean returnSequences = spec.config().bool("return_sequences", false);
        boolean zeroOutput = spec.config().bool("zero_output_for_mask", false);
        Keras3Paths paths = new Keras3Paths();
        List<RecurrentBase> cells = new ArrayList<>();
        int next = 0; // legacy layout: the next unread array of the RNN's list
        Shape in = input;
        for (int i = 0; i < entries.size(); i++) {
            ConfigNode entry = new ConfigNode(entries.get(i), stackConfig.where() + ": cells[" + i + "]");
            String cls = entry.string("class_name");
            if ("StackedRNNCells".equals(cls)) {
                throw ctx.error(spec, "a StackedRNNCells nested in a StackedRNNCells is not supported");
            }
            ConfigNode cc = entry.object("config", entry.where() + " (" + cls + ")");
            String name = cc.string("name", spec.name() + "_cell_" + i);
            boolean last = i == entries.size() - 1;
            LayerSpec cellSpec = asLayer(spec, ctx, cls, cc, name, Map.of("return_sequences", !last || returnSequences,
                    "zero_output_for_mask", last && zeroOutput, "return_state", false, "go_backwards", false,
                    "stateful", false));
            String path = spec.keras3Path() + "/cell/" + paths.next(cls).replaceFirst("^layers/", "cells/");
            LayerWeights w;
            if (ctx.keras3Layout()) {
                w = ctx.weightsAt(name, path);
            } else {
                int n = cc.bool("use_bias", true) ? 3 : 2;
                if (next + n > weights.size()) {
                    throw ctx.error(spec, "the stored weights " + weights.location() + " end before cell '" + name
                            + "' (" + cls + "): " + weights.size() + " arrays for the stack");
                }
                w = new LayerWeights(weights.location() + " (cell '" + name + "')",
                        weights.arrays().subList(next, next + n));
                next += n;
            }
            Layer layer = registry.translate(new LayerSpec(name, cellSpec.className(), cellSpec.config(), path), in,
                    w, ctx);
            if (!(layer instanceof RecurrentBase r)) {
                throw ctx.error(spec, "cell '" + name + "' did not translate to a recurrent layer");
            }
            cells.add(r);
            in = Shape.of(input.dim(0), input.dim(1), r.units());
        }
        if (!ctx.keras3Layout() && next != weights.size()) {
            throw ctx.error(spec, "the stored weights " + weights.location() + " hold " + weights.size()
                    + " arrays, but the stack's cells take " + next);
        }
        boolean stateful = spec.config().bool("stateful", false);
        if (stateful) {
            ctx.note("stateful", "layer '" + spec.name() + "' is stateful in Keras: Model.predict starts from"
                    + " zero state on every call; a Session carries the state between calls as Keras does");
        }
        return new StackedRnn(spec.name(), cells, spec.config().bool("return_state", false), stateful,
                spec.config().bool("go_backwards", false));
    }
}
