package org.jkeras.keras.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.config.ConfigNode;
import org.jkeras.keras.translate.LayerSpec;
import org.jkeras.keras.translate.TranslationContext;
import org.jkeras.keras.translate.TranslatorRegistry;
import org.jkeras.runtime.Shape;
import org.jkeras.runtime.graph.Graph;
import org.jkeras.runtime.graph.Port;
import org.jkeras.runtime.layers.Layer;
import tools.jackson.databind.JsonNode;

/**
 * A Functional model ({@code Functional} in Keras 3, {@code Model} in Keras 1/2): layers with
 * inbound nodes, model inputs and outputs. Calls are added in dependency order (configs list
 * layers topologically, but this does not rely on it); a layer called several times is one
 * runtime layer applied at several nodes, sharing its weights. A nested model (a Sequential or
 * Functional used as a layer) is inlined: its layers join the graph under {@code <model name>/},
 * translated once however often the model is called.
 */
final class FunctionalBuilder implements NestedModel {
    private record Entry(String name, String cls, ConfigNode config, List<JsonNode> inbound, String keras3Path,
                         boolean op, int nodeBase) {
    }

    private record Call(Entry entry, int node) {
    }

    private final ConfigNode model;
    private final String file;
    private final TranslatorRegistry registry;
    private final TranslationContext ctx;
    private final BuildTrace trace;
    private final String prefix; // runtime names of this model's layers start with it ("" at the top)
    private final Map<String, Entry> byName = new LinkedHashMap<>();
    private final Map<String, Layer> translated = new HashMap<>();
    private final Map<String, NestedModel> nested = new HashMap<>();

    private FunctionalBuilder(ConfigNode model, String file, TranslatorRegistry registry, TranslationContext ctx,
                              BuildTrace trace, String prefix, int depth) {
        this.model = model;
        this.file = file;
        this.registry = registry;
        this.ctx = ctx;
        this.trace = trace;
        this.prefix = prefix;
        this.depth = depth;
        List<JsonNode> layers = model.array("layers");
        if (layers.size() > SequentialBuilder.MAX_LAYERS) {
            throw model.error("layers", "has " + layers.size() + " layers, more than " + SequentialBuilder.MAX_LAYERS);
        }
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
            ConfigNode named = new ConfigNode(c.json(), file + ": layer '" + prefix + name + "' (" + cls + ")");
            List<JsonNode> inbound = entry.has("inbound_nodes") ? entry.array("inbound_nodes") : List.of();
            boolean op = entry.string("module", "").startsWith("keras.src.ops");
            int base = ctx.version().isKeras3() ? 0 : NestedModel.firstNodeIndex(cls, named);
            if (byName.put(name, new Entry(name, cls, named, inbound, paths.next(cls), op, base)) != null) {
                throw entry.error("name", "'" + name + "' is used by two layers");
            }
        }
    }

    private final int depth;

    /** Builds a top-level Functional model. */
    static Graph build(ConfigNode model, String file, TranslatorRegistry registry, TranslationContext ctx,
                       BuildTrace trace) {
        FunctionalBuilder f = new FunctionalBuilder(model, file, registry, ctx, trace, "", 0);
        ShapedGraph g = new ShapedGraph();
        List<Port> inputs = new ArrayList<>();
        for (TensorRef ref : InboundNodes.parseEndpoints(model, "input_layers")) {
            Entry e = f.inputEntry(ref);
            Port input = g.input(e.name(), InputShapes.of(e.config()));
            trace.call(e.name(), 0, null, List.of(g.shapeOf(input)));
            inputs.add(input);
        }
        return g.build(f.apply(g, inputs));
    }

    /** A Functional model used as a layer of another, its layers named {@code prefix + name}. */
    static FunctionalBuilder nested(ConfigNode model, String file, TranslatorRegistry registry, TranslationContext ctx,
                                    String prefix, int depth) {
        return new FunctionalBuilder(model, file, registry, ctx, new BuildTrace(), prefix, depth);
    }

    private Entry inputEntry(TensorRef ref) {
        Entry e = byName.get(ref.layer());
        if (e == null || !TranslatorRegistry.isInputLayer(e.cls())) {
            throw model.error("input_layers", "names " + ref + ", which is not an InputLayer of the model");
        }
        return e;
    }

    @Override
    public List<Port> apply(ShapedGraph g, List<Port> inputs) {
        List<TensorRef> inputRefs = InboundNodes.parseEndpoints(model, "input_layers");
        if (inputRefs.size() != inputs.size()) {
            throw new KerasImportException(model.where() + ": the model takes " + inputRefs.size()
                    + " input(s), called on " + inputs.size());
        }
        Map<String, List<Port>> produced = new HashMap<>(); // "layer#node" -> the call's output ports
        for (int i = 0; i < inputs.size(); i++) {
            Entry e = inputEntry(inputRefs.get(i));
            NestedModel.requireFits(InputShapes.of(e.config()), g.shapeOf(inputs.get(i)), e.config());
            produced.put(key(e.name(), 0), List.of(inputs.get(i)));
        }
        List<Call> pending = new ArrayList<>();
        Set<String> needed = needed();
        for (Entry e : byName.values()) {
            if (!TranslatorRegistry.isInputLayer(e.cls())) {
                for (int n = 0; n < e.inbound().size(); n++) {
                    if (needed.contains(key(e.name(), n + e.nodeBase()))) {
                        pending.add(new Call(e, n));
                    }
                }
            }
        }
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
                LayerSpec spec = new LayerSpec(prefix + e.name(), e.cls(), e.config(), e.keras3Path());
                if (callArgs.args().isEmpty()) {
                    throw ctx.error(spec, "is called without input tensors");
                }
                List<Port> args = new ArrayList<>();
                for (TensorRef r : callArgs.args()) {
                    args.add(port(produced, r, spec));
                }
                checkMask(callArgs, args, g, spec);
                List<Port> out;
                if (NestedModel.isModel(e.cls())) {
                    if (!callArgs.initialState().isEmpty()) {
                        throw ctx.error(spec, "a nested model is called with initial_state, which is not supported");
                    }
                    NestedModel m = nested.computeIfAbsent(e.name(), k -> NestedModel.of(spec, file, registry, ctx,
                            depth + 1));
                    out = m.apply(g, args);
                } else {
                    List<Port> inputs2 = new ArrayList<>(args);
                    for (TensorRef r : callArgs.initialState()) {
                        inputs2.add(port(produced, r, spec));
                    }
                    Layer layer = translated.get(e.name());
                    if (layer == null) {
                        layer = registry.translate(spec, args.stream().map(g::shapeOf).toList(), ctx);
                        translated.put(e.name(), layer);
                    }
                    if (!callArgs.initialState().isEmpty() && g.masked(args.get(0)) && !ctx.version().isKeras3()) {
                        trace.keras3Differs(spec.describe() + " reads a masked sequence with initial_state, whose"
                                + " mask tf.keras 2 applies and Keras 3 ignores: as a Keras 3 file it would compute"
                                + " otherwise");
                    }
                    out = SequentialBuilder.apply(g, layer, inputs2, spec, ctx);
                }
                produced.put(key(e.name(), call.node() + e.nodeBase()), out);
                trace.callOn(e.name(), call.node() + e.nodeBase(), args.stream().map(g::shapeOf).toList(),
                        out.stream().map(g::shapeOf).toList());
                it.remove();
                progress = true;
            }
        }
        if (!pending.isEmpty()) {
            Call stuck = pending.get(0);
            throw new KerasImportException(file + ": layer '" + prefix + stuck.entry().name() + "' ("
                    + stuck.entry().cls() + ") is called on tensors that no layer produces (missing layer, unlisted"
                    + " model input or cycle): " + InboundNodes.parseCall(stuck.entry().inbound().get(stuck.node()),
                    stuck.entry().config(), TranslatorRegistry.takesInitialState(stuck.entry().cls())));
        }
        List<Port> outputs = new ArrayList<>();
        for (TensorRef ref : InboundNodes.parseEndpoints(model, "output_layers")) {
            List<Port> ports = produced.get(key(ref.layer(), ref.node()));
            if (ports == null || ref.tensor() < 0 || ref.tensor() >= ports.size()) {
                throw model.error("output_layers", "names " + ref + ", which no layer produces");
            }
            outputs.add(ports.get(ref.tensor()));
        }
        return outputs;
    }

    /**
     * Accepts a {@code mask} keyword argument only as Keras 3 records the mask it propagated itself: a tensor made
     * by Keras ops (a {@code compute_mask}'s {@code NotEqual}/{@code Any}) on a call whose input jkeras also sees
     * masked, so the mask jkeras propagates is the same one. An explicit mask of the user's is refused.
     */
    private void checkMask(CallArgs call, List<Port> args, ShapedGraph g, LayerSpec spec) {
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
    private Set<String> needed() {
        Set<String> seen = new HashSet<>();
        Deque<TensorRef> todo = new ArrayDeque<>(InboundNodes.parseEndpoints(model, "output_layers"));
        while (!todo.isEmpty()) {
            TensorRef r = todo.pop();
            Entry e = byName.get(r.layer());
            int at = e == null ? -1 : r.node() - e.nodeBase();
            if (e == null || !seen.add(key(r.layer(), r.node())) || at < 0 || at >= e.inbound().size()) {
                continue; // unknown names and missing calls fail later with the full message
            }
            todo.addAll(InboundNodes.parseCall(e.inbound().get(at), e.config(),
                    TranslatorRegistry.takesInitialState(e.cls())).all());
        }
        return seen;
    }

    private Port port(Map<String, List<Port>> produced, TensorRef ref, LayerSpec spec) {
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
