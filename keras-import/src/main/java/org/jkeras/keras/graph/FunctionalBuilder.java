package org.jkeras.keras.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.config.ConfigNode;
import org.jkeras.keras.translate.LayerSpec;
import org.jkeras.keras.translate.TranslationContext;
import org.jkeras.keras.translate.TranslatorRegistry;
import org.jkeras.runtime.graph.Graph;
import org.jkeras.runtime.graph.Port;
import org.jkeras.runtime.layers.Layer;
import tools.jackson.databind.JsonNode;

/**
 * A Functional model ({@code Functional} in Keras 3, {@code Model} in Keras 1/2): layers with
 * inbound nodes, model inputs and outputs. Calls are added in dependency order (configs list
 * layers topologically, but this does not rely on it); a layer called several times is one
 * runtime layer applied at several nodes, sharing its weights.
 */
final class FunctionalBuilder {
    private FunctionalBuilder() {
    }

    private record Entry(String name, String cls, ConfigNode config, List<JsonNode> inbound, String keras3Path,
                         boolean op) {
    }

    private record Call(Entry entry, int node) {
    }

    static Graph build(ConfigNode model, String file, TranslatorRegistry registry, TranslationContext ctx,
                       BuildTrace trace) {
        List<JsonNode> layers = model.array("layers");
        if (layers.size() > SequentialBuilder.MAX_LAYERS) {
            throw model.error("layers", "has " + layers.size() + " layers, more than " + SequentialBuilder.MAX_LAYERS);
        }
        Map<String, Entry> byName = new LinkedHashMap<>();
        Keras3Paths paths = new Keras3Paths();
        for (int i = 0; i < layers.size(); i++) {
            JsonNode l = layers.get(i);
            if (l == null || !l.isObject()) {
                throw model.error("layers", "entry #" + i + " must be an object");
            }
            ConfigNode entry = new ConfigNode(l, file + ": layer #" + i);
            String cls = entry.string("class_name");
            ConfigNode c = entry.object("config", file + ": layer #" + i + " (" + cls + ")");
            String name = entry.string("name", c.string("name", null));
            if (name == null) {
                throw entry.error("name", "is missing");
            }
            ConfigNode named = new ConfigNode(c.json(), file + ": layer '" + name + "' (" + cls + ")");
            List<JsonNode> inbound = entry.has("inbound_nodes") ? entry.array("inbound_nodes") : List.of();
            boolean op = entry.string("module", "").startsWith("keras.src.ops");
            if (byName.put(name, new Entry(name, cls, named, inbound, paths.next(cls), op)) != null) {
                throw entry.error("name", "'" + name + "' is used by two layers");
            }
        }
        ShapedGraph g = new ShapedGraph();
        Map<String, List<Port>> produced = new HashMap<>(); // "layer#node" -> the call's output ports
        for (TensorRef ref : InboundNodes.parseEndpoints(model, "input_layers")) {
            Entry e = byName.get(ref.layer());
            if (e == null || !TranslatorRegistry.isInputLayer(e.cls())) {
                throw model.error("input_layers", "names " + ref + ", which is not an InputLayer of the model");
            }
            Port input = g.input(e.name(), InputShapes.of(e.config()));
            produced.put(key(ref.layer(), 0), List.of(input));
            trace.call(e.name(), 0, null, List.of(g.shapeOf(input)));
        }
        List<Call> pending = new ArrayList<>();
        java.util.Set<String> needed = needed(model, byName);
        for (Entry e : byName.values()) {
            if (!TranslatorRegistry.isInputLayer(e.cls())) {
                for (int n = 0; n < e.inbound().size(); n++) {
                    if (needed.contains(key(e.name(), n))) {
                        pending.add(new Call(e, n));
                    }
                }
            }
        }
        Map<String, Layer> translated = new HashMap<>();
        boolean progress = true;
        while (progress && !pending.isEmpty()) {
            progress = false;
            for (Iterator<Call> it = pending.iterator(); it.hasNext(); ) {
                Call call = it.next();
                Entry e = call.entry();
                CallArgs callArgs = InboundNodes.parseCall(e.inbound().get(call.node()), e.config(),
                        TranslatorRegistry.takesInitialState(e.cls()));
                List<TensorRef> refs = callArgs.all();
                if (!refs.stream().allMatch(r -> produced.containsKey(key(r.layer(), r.node())))) {
                    continue;
                }
                LayerSpec spec = new LayerSpec(e.name(), e.cls(), e.config(), e.keras3Path());
                if (callArgs.args().isEmpty()) {
                    throw ctx.error(spec, "is called without input tensors");
                }
                List<Port> args = new ArrayList<>();
                for (TensorRef r : callArgs.args()) {
                    args.add(port(produced, r, spec, ctx));
                }
                checkMask(callArgs, args, byName, g, spec, ctx);
                List<Port> inputs = new ArrayList<>(args);
                for (TensorRef r : callArgs.initialState()) {
                    inputs.add(port(produced, r, spec, ctx));
                }
                Layer layer = translated.get(e.name());
                if (layer == null) {
                    layer = registry.translate(spec, args.stream().map(g::shapeOf).toList(), ctx);
                    translated.put(e.name(), layer);
                }
                List<Port> out = SequentialBuilder.apply(g, layer, inputs, spec, ctx);
                produced.put(key(e.name(), call.node()), out);
                trace.callOn(e.name(), call.node(), args.stream().map(g::shapeOf).toList(),
                        out.stream().map(g::shapeOf).toList());
                it.remove();
                progress = true;
            }
        }
        if (!pending.isEmpty()) {
            Call stuck = pending.get(0);
            throw new KerasImportException(file + ": layer '" + stuck.entry().name() + "' (" + stuck.entry().cls()
                    + ") is called on tensors that no layer produces (missing layer, unlisted model input or cycle): "
                    + InboundNodes.parseCall(stuck.entry().inbound().get(stuck.node()), stuck.entry().config(),
                    TranslatorRegistry.takesInitialState(stuck.entry().cls())));
        }
        List<Port> outputs = new ArrayList<>();
        for (TensorRef ref : InboundNodes.parseEndpoints(model, "output_layers")) {
            List<Port> ports = produced.get(key(ref.layer(), ref.node()));
            if (ports == null || ref.tensor() < 0 || ref.tensor() >= ports.size()) {
                throw model.error("output_layers", "names " + ref + ", which no layer produces");
            }
            outputs.add(ports.get(ref.tensor()));
        }
        return g.build(outputs);
    }

    /**
     * Accepts a {@code mask} keyword argument only as Keras 3 records the mask it propagated itself: a tensor made
     * by Keras ops (a {@code compute_mask}'s {@code NotEqual}/{@code Any}) on a call whose input jkeras also sees
     * masked, so the mask jkeras propagates is the same one. An explicit mask of the user's is refused.
     */
    private static void checkMask(CallArgs call, List<Port> args, Map<String, Entry> byName, ShapedGraph g,
                                  LayerSpec spec, TranslationContext ctx) {
        for (TensorRef m : call.mask()) {
            Entry from = byName.get(m.layer());
            if (from == null || !from.op() || !g.masked(args.get(0))) {
                throw ctx.error(spec, "is called with an explicit mask " + m + ", which is not supported (only the"
                        + " masks Keras propagates from Masking or Embedding(mask_zero=True) are)");
            }
        }
    }

    /**
     * The calls ({@code layer#node}) the model outputs depend on. Others are skipped: Keras 3 records the ops a
     * layer's {@code compute_mask} ran while the model was built (a Masking layer's {@code NotEqual} and
     * {@code Any}) as dangling nodes that no output reads.
     */
    private static java.util.Set<String> needed(ConfigNode model, Map<String, Entry> byName) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        java.util.Deque<TensorRef> todo = new java.util.ArrayDeque<>(InboundNodes.parseEndpoints(model,
                "output_layers"));
        while (!todo.isEmpty()) {
            TensorRef r = todo.pop();
            Entry e = byName.get(r.layer());
            if (e == null || !seen.add(key(r.layer(), r.node())) || r.node() >= e.inbound().size()) {
                continue; // unknown names and missing calls fail later with the full message
            }
            todo.addAll(InboundNodes.parseCall(e.inbound().get(r.node()), e.config(),
                    TranslatorRegistry.takesInitialState(e.cls())).all());
        }
        return seen;
    }

    private static Port port(Map<String, List<Port>> produced, TensorRef ref, LayerSpec spec,
                             TranslationContext ctx) {
        List<Port> ports = produced.get(key(ref.layer(), ref.node()));
        if (ref.tensor() < 0 || ref.tensor() >= ports.size()) {
            throw ctx.error(spec, "uses output " + ref.tensor() + " of layer '" + ref.layer() + "', which has "
                    + ports.size() + " output(s)");
        }
        return ports.get(ref.tensor());
    }

    private static String key(String layer, int node) {
        return layer + "#" + node;
    }
}
