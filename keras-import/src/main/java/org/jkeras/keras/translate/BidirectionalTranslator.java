package org.jkeras.keras.translate;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jkeras.keras.config.ConfigNode;
import org.jkeras.keras.format.LayerWeights;
import org.jkeras.keras.format.WeightArray;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.layers.Bidirectional;
import org.jkeras.runtime.layers.Layer;
import org.jkeras.runtime.layers.RecurrentLayer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Keras {@code Bidirectional(layer, merge_mode, backward_layer)} around an LSTM, GRU or SimpleRNN, or an RNN over
 * one of their cells.
 * The backward layer is {@code backward_layer} when the config has one (Keras 3 always writes it),
 * else a copy of {@code layer} with {@code go_backwards} flipped (what Keras builds). Weights:
 * Keras 3 stores them under {@code <path>/forward_layer} and {@code <path>/backward_layer}; legacy
 * HDF5 lists forward then backward arrays in the wrapper's {@code weight_names}
 * ({@code forward_lstm/lstm_cell/kernel:0}, ..., {@code backward_lstm/...}).
 */
final class BidirectionalTranslator implements LayerTranslator {
    private static final Set<String> WRAPPABLE = Set.of("LSTM", "GRU", "SimpleRNN", "CuDNNLSTM", "CuDNNGRU", "RNN");

    private final TranslatorRegistry registry;

    BidirectionalTranslator(TranslatorRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Layer translate(LayerSpec spec, Shape input, LayerWeights weights, TranslationContext ctx) {
        ConfigNode c = spec.config();
        Bidirectional.Merge merge = merge(spec, ctx);
        ConfigNode fwdEntry = c.object("layer", c.where() + ": wrapped layer");
        LayerSpec fwd = inner(spec, ctx, fwdEntry, "forward_layer");
        LayerSpec bwd;
        JsonNode backwardRaw = c.raw("backward_layer");
        if (backwardRaw != null && !backwardRaw.isNull()) {
            bwd = inner(spec, ctx, c.object("backward_layer", c.where() + ": backward layer"), "backward_layer");
        } else {
            // Keras builds the backward layer as a copy of the forward one reading time the other way.
            ObjectNode copy = (ObjectNode) fwd.config().json().deepCopy();
            copy.put("go_backwards", !fwd.config().bool("go_backwards", false));
            copy.put("name", "backward_" + fwd.name());
            bwd = new LayerSpec("backward_" + fwd.name(), fwd.className(),
                    new ConfigNode(copy, c.where() + ": backward copy of the wrapped layer"),
                    spec.keras3Path() + "/backward_layer");
        }
        fwd = zeroOutputForMask(fwd);
        bwd = zeroOutputForMask(bwd);
        LayerWeights[] split = split(spec, ctx, weights, fwd, bwd);
        RecurrentLayer forward = recurrent(spec, ctx, registry.translate(fwd, input, split[0], ctx));
        RecurrentLayer backward = recurrent(spec, ctx, registry.translate(bwd, input, split[1], ctx));
        return new Bidirectional(spec.name(), forward, backward, merge);
    }

    /** Keras's Bidirectional forces each half's {@code zero_output_for_mask} to its {@code return_sequences}. */
    private static LayerSpec zeroOutputForMask(LayerSpec half) {
        ObjectNode copy = (ObjectNode) half.config().json().deepCopy();
        copy.put("zero_output_for_mask", half.config().bool("return_sequences", false));
        return new LayerSpec(half.name(), half.className(), new ConfigNode(copy, half.config().where()),
                half.keras3Path());
    }

    private static Bidirectional.Merge merge(LayerSpec spec, TranslationContext ctx) {
        JsonNode m = spec.config().json().get("merge_mode");
        if (m == null) {
            return Bidirectional.Merge.CONCAT; // absent: Keras's default
        }
        if (m.isNull()) {
            return Bidirectional.Merge.NONE;   // JSON null is Python's None: two outputs
        }
        String name = m.isString() ? m.stringValue() : m.toString();
        return switch (name) {
            case "concat" -> Bidirectional.Merge.CONCAT;
            case "sum" -> Bidirectional.Merge.SUM;
            case "ave" -> Bidirectional.Merge.AVE;
            case "mul" -> Bidirectional.Merge.MUL;
            default -> throw ctx.error(spec, "merge_mode " + m + " is not one of 'concat', 'sum', 'ave', 'mul' or"
                    + " None");
        };
    }

    private static LayerSpec inner(LayerSpec spec, TranslationContext ctx, ConfigNode entry, String role) {
        String cls = entry.string("class_name");
        if (!WRAPPABLE.contains(cls)) {
            throw ctx.error(spec, "its " + role + " is a " + cls + "; jkeras supports Bidirectional around LSTM,"
                    + " GRU and SimpleRNN, and RNN over their cells");
        }
        ConfigNode config = entry.object("config", ctx.fileName() + ": " + spec.describe() + ": " + role + " ("
                + cls + ")");
        if ("RNN".equals(cls) && "StackedRNNCells".equals(config.object("cell", config.where() + ": cell")
                .string("class_name", ""))) {
            throw ctx.error(spec, "its " + role + " is an RNN over StackedRNNCells; jkeras supports Bidirectional"
                    + " around an RNN over one LSTMCell, GRUCell or SimpleRNNCell");
        }
        String name = config.string("name", spec.name() + "_" + role);
        return new LayerSpec(name, cls, config, spec.keras3Path() + "/" + role);
    }

    /** The forward and backward layers' stored weights. */
    private static LayerWeights[] split(LayerSpec spec, TranslationContext ctx, LayerWeights all, LayerSpec fwd,
                                        LayerSpec bwd) {
        if (ctx.keras3Layout()) {
            return new LayerWeights[] {ctx.weightsAt(fwd.name(), fwd.keras3Path()),
                    ctx.weightsAt(bwd.name(), bwd.keras3Path())};
        }
        // Legacy weight_names name their half: forward_lstm/lstm_cell/kernel:0, backward_lstm/...
        List<WeightArray> f = new ArrayList<>();
        List<WeightArray> b = new ArrayList<>();
        boolean named = true;
        for (WeightArray a : all.arrays()) {
            String half = half(a.name());
            if ("forward".equals(half) && b.isEmpty()) {
                f.add(a);
            } else if ("backward".equals(half)) {
                b.add(a);
            } else {
                named = false;
            }
        }
        if (!named || f.isEmpty() || b.isEmpty()) {
            // Unnamed halves: Keras stores forward then backward, equally many for equal layers.
            if (all.size() % 2 != 0 || !fwd.className().equals(bwd.className())) {
                throw ctx.error(spec, "cannot tell the forward from the backward weights at " + all.location()
                        + ": " + all.arrays());
            }
            f = all.arrays().subList(0, all.size() / 2);
            b = all.arrays().subList(all.size() / 2, all.size());
        }
        return new LayerWeights[] {new LayerWeights(all.location() + " (forward half)", f),
                new LayerWeights(all.location() + " (backward half)", b)};
    }

    /** "forward" or "backward" when a path segment of the weight name starts so, else null. */
    private static String half(String weightName) {
        for (String segment : weightName.split("/")) {
            if (segment.startsWith("forward_")) {
                return "forward";
            }
            if (segment.startsWith("backward_")) {
                return "backward";
            }
        }
        return null;
    }

    private static RecurrentLayer recurrent(LayerSpec spec, TranslationContext ctx, Layer layer) {
        if (!(layer instanceof RecurrentLayer r)) {
            throw ctx.error(spec, "wraps " + layer + ", which is not a recurrent layer");
        }
        return r;
    }
}
